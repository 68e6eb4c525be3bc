package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
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

/**
 * The admin listener (localhost by default). For now it answers {@code GET /health} with the server's state as
 * JSON, for probes and scripts; the admin API and metrics are added here.
 */
final class AdminChannelInitializer extends ChannelInitializer<Channel> {

    private final TeledeployConfig config;
    private final Supplier<String> health;

    /** @param health the JSON document {@code /health} answers */
    AdminChannelInitializer(TeledeployConfig config, Supplier<String> health) {
        this.config = config;
        this.health = health;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(PipelineNames.IDLE_CLOSE, new IdleCloseHandler(config.idleTimeout()))
                .addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(AgentChannelInitializer.decoderConfig(config)))
                .addLast(PipelineNames.ACCESS_LOG, new AccessLogHandler("admin"))
                .addLast(PipelineNames.AGGREGATOR, new HttpObjectAggregator(64 * 1024))
                .addLast("admin", new AdminHandler(health));
    }

    private static final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Supplier<String> health;

        AdminHandler(Supplier<String> health) {
            this.health = health;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
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
