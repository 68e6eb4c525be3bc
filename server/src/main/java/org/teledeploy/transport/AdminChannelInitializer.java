package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.metrics.HttpMetrics;
import org.teledeploy.metrics.Listener;
import org.teledeploy.metrics.ServerMetrics;

/**
 * The admin listener (localhost by default): {@code GET /health} with the server's state as JSON, for probes and
 * scripts (never authenticated), {@code GET /metrics} for Prometheus (with the admin token), then the web dashboard
 * ({@code /login}, {@code /logout}, {@code /dashboard...}) and the admin API ({@link AdminEndpoint}) for every
 * other request.
 */
final class AdminChannelInitializer extends ChannelInitializer<Channel> {

    private final TeledeployConfig config;
    private final Supplier<String> health;
    private final AdminEndpoint adminApi;
    private final ServerMetrics metrics;
    private final HttpMetrics httpMetrics;
    private final InFlightRequests inFlight;

    /**
     * @param health the JSON document {@code /health} answers
     * @param adminApi the admin API, or null: then every other path is a 404 (also {@code /metrics}: no token)
     * @param metrics what {@code /metrics} shows and where requests are counted, or null for neither
     * @param inFlight the listeners' requests in progress, which a stop waits for
     */
    AdminChannelInitializer(TeledeployConfig config, Supplier<String> health, AdminEndpoint adminApi,
                            ServerMetrics metrics, InFlightRequests inFlight) {
        this.config = config;
        this.inFlight = inFlight;
        this.health = health;
        this.adminApi = adminApi;
        this.metrics = metrics;
        this.httpMetrics = metrics == null ? HttpMetrics.unregistered() : metrics.http();
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline()
                .addLast(PipelineNames.IDLE_CLOSE, new IdleCloseHandler(config.idleTimeout()))
                .addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(AgentChannelInitializer.decoderConfig(config)))
                .addLast(PipelineNames.ACCESS_LOG, new AccessLogHandler(Listener.ADMIN, httpMetrics))
                .addLast(PipelineNames.IN_FLIGHT, inFlight.newHandler());
        if (adminApi == null) {
            p.addLast(PipelineNames.AGGREGATOR, new HttpObjectAggregator(64 * 1024))
                    .addLast(PipelineNames.HEALTH, new HealthHandler(health, false));
        } else {
            p.addLast(PipelineNames.AGGREGATOR, adminApi.newAggregator());
            if (metrics != null) {
                p.addLast(PipelineNames.METRICS, new MetricsHandler(metrics, adminApi::authorizes, false));
            }
            p.addLast(PipelineNames.HEALTH, new HealthHandler(health, true))
                    .addLast(PipelineNames.DASHBOARD, adminApi.newDashboardHandler())
                    .addLast(PipelineNames.ADMIN_API, adminApi.newHandler());
        }
    }

    /**
     * Answers {@code /health}; passes every other whole request on when the API follows (streamed upload parts
     * are not {@link FullHttpRequest}s and pass by themselves), else answers 404.
     */
    private static final class HealthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Supplier<String> health;
        private final boolean forward;

        HealthHandler(Supplier<String> health, boolean forward) {
            super(false);
            this.health = health;
            this.forward = forward;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean isHealth = request.decoderResult().isSuccess() && request.uri().equals("/health");
            if (forward && !isHealth) {
                ctx.fireChannelRead(request);
                return;
            }
            try {
                answer(ctx, request);
            } finally {
                request.release();
            }
        }

        private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            FullHttpResponse response;
            if (request.decoderResult().isFailure()) {
                response = HttpResponses.text(request.protocolVersion(), HttpResponseStatus.BAD_REQUEST,
                        "malformed HTTP request", false);
            } else if (!request.uri().equals("/health")) {
                response = HttpResponses.text(request.protocolVersion(), HttpResponseStatus.NOT_FOUND,
                        "no such path", keepAlive);
            } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                response = HttpResponses.text(request.protocolVersion(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                        "method not allowed on /health (expected: GET)", keepAlive);
            } else {
                response = HttpResponses.ok(request.protocolVersion(),
                        health.get().getBytes(StandardCharsets.UTF_8), "application/json", keepAlive);
            }
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
