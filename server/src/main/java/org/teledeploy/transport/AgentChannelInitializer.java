package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.function.Supplier;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.metrics.HttpMetrics;
import org.teledeploy.metrics.Listener;

/**
 * The pipeline of an agent connection (HTTP and HTTPS listeners), every handler named in order from
 * {@link PipelineNames}.
 */
final class AgentChannelInitializer extends ChannelInitializer<Channel> {

    private final TeledeployConfig config;
    private final Supplier<SslContext> sslContext;
    private final ConnectionLimiter connectionLimiter;
    private final AgentHttpHandler.Shared shared;
    private final DownloadHandler.Shared downloads;
    private final Listener listener;
    private final HttpMetrics metrics;
    private final InFlightRequests inFlight;
    private final ClientRateLimits rateLimits;

    /** A pipeline with a fixed TLS context (null: plain HTTP), no metrics, outside any listener (tests). */
    AgentChannelInitializer(TeledeployConfig config, SslContext sslContext, ConnectionLimiter connectionLimiter,
                            AgentHttpHandler.Shared shared, DownloadHandler.Shared downloads, String listener) {
        this(config, sslContext == null ? null : () -> sslContext, connectionLimiter, shared, downloads,
                Listener.of(listener), HttpMetrics.unregistered(), new InFlightRequests(), null);
    }

    /**
     * @param sslContext null for the plain HTTP listener; else asked once per new connection, so that a reloaded
     *     certificate is used by new handshakes while open connections keep theirs
     * @param listener HTTP or HTTPS, for logs and metrics
     * @param inFlight the listeners' requests in progress, which a stop waits for
     * @param rateLimits the per-client request buckets shared by the agent listeners, or null when
     *     {@code limit.requests.per.client} is off
     */
    AgentChannelInitializer(TeledeployConfig config, Supplier<SslContext> sslContext,
                            ConnectionLimiter connectionLimiter, AgentHttpHandler.Shared shared,
                            DownloadHandler.Shared downloads, Listener listener, HttpMetrics metrics,
                            InFlightRequests inFlight, ClientRateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.config = config;
        this.inFlight = inFlight;
        this.sslContext = sslContext;
        this.connectionLimiter = connectionLimiter;
        this.shared = shared;
        this.downloads = downloads;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(PipelineNames.CONNECTION_LIMIT, connectionLimiter);
        if (sslContext != null) {
            p.addLast(PipelineNames.TLS, sslContext.get().newHandler(ch.alloc()));
        }
        p.addLast(PipelineNames.IDLE_CLOSE, new IdleCloseHandler(config.idleTimeout()));
        p.addLast(PipelineNames.REQUEST_TIMEOUT, new RequestTimeoutHandler(config.requestTimeout(), listener, metrics));
        p.addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(decoderConfig(config)));
        p.addLast(PipelineNames.CHUNKED_WRITE, new ChunkedWriteHandler());
        p.addLast(PipelineNames.ACCESS_LOG, new AccessLogHandler(listener, metrics));
        p.addLast(PipelineNames.IN_FLIGHT, inFlight.newHandler());
        if (rateLimits != null) {
            p.addLast(PipelineNames.RATE_LIMIT, new RequestRateLimitHandler(rateLimits, metrics, config.maxBodySize()));
        }
        p.addLast(PipelineNames.AGGREGATOR, new LimitedAggregator(config.maxBodySize()));
        p.addLast(PipelineNames.DOWNLOAD, new DownloadHandler(downloads, sslContext != null));
        p.addLast(PipelineNames.AGENT, new AgentHttpHandler(shared));
    }

    static HttpDecoderConfig decoderConfig(TeledeployConfig config) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxLineLength())
                .setMaxHeaderSize(config.maxHeaderSize())
                .setMaxChunkSize(64 * 1024)
                // Old agents and hand-made clients end lines with a bare LF; Netty 4.2 rejects that by default.
                // The server sits behind no proxy that could disagree on line ends, so tolerance is safe here.
                .setStrictLineParsing(false);
    }
}
