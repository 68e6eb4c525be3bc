package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.metrics.Listener;
import org.teledeploy.metrics.ServerMetrics;

/**
 * The pipeline of the optional metrics listener ({@code listen.metrics}): {@code GET /metrics} without
 * authentication, for a Prometheus that cannot be given the admin token, and nothing else. Requests are small
 * (a GET without body), hence the small aggregator.
 */
final class MetricsChannelInitializer extends ChannelInitializer<Channel> {

    private final TeledeployConfig config;
    private final ServerMetrics metrics;

    MetricsChannelInitializer(TeledeployConfig config, ServerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(PipelineNames.IDLE_CLOSE, new IdleCloseHandler(config.idleTimeout()))
                .addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(AgentChannelInitializer.decoderConfig(config)))
                .addLast(PipelineNames.ACCESS_LOG, new AccessLogHandler(Listener.METRICS, metrics.http()))
                .addLast(PipelineNames.AGGREGATOR, new HttpObjectAggregator(16 * 1024))
                .addLast(PipelineNames.METRICS, new MetricsHandler(metrics, null, true));
    }
}
