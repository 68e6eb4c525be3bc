package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;

/**
 * Sits right after the HTTP codec so that it sees every request and every response, whoever wrote it (the
 * aggregator's 413, the agent handler's replies, errors), and logs one line when a response is complete.
 * Handlers further on attach the DEVICEID and QUERY with {@link #annotate}.
 */
final class AccessLogHandler extends ChannelDuplexHandler {

    private static final AttributeKey<String[]> ANNOTATION = AttributeKey.valueOf("teledeploy.access.annotation");

    private final String listener;
    private String method;
    private String path;
    private long startNanos;
    private int status;
    private long bytes;

    AccessLogHandler(String listener) {
        this.listener = listener;
    }

    /** Records the DEVICEID and QUERY of the request being answered on {@code channel}. */
    static void annotate(Channel channel, String deviceId, String query) {
        channel.attr(ANNOTATION).set(new String[] {deviceId, query});
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            method = request.method().name();
            String uri = request.uri();
            int q = uri.indexOf('?');
            path = q < 0 ? uri : uri.substring(0, q);
            startNanos = System.nanoTime();
            ctx.channel().attr(ANNOTATION).set(null);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            status = response.status().code();
            bytes = HttpUtil.getContentLength(response, -1L);
            if (bytes < 0 && !response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                bytes = 0;
            }
        }
        if (msg instanceof LastHttpContent && status != 0) {
            String[] annotation = ctx.channel().attr(ANNOTATION).getAndSet(null);
            long millis = method == null ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
            AccessLog.log(ctx.channel().remoteAddress(), listener, method, path, status, bytes, millis,
                    annotation == null ? null : annotation[0], annotation == null ? null : annotation[1]);
            status = 0;
            method = null;
            path = null;
        }
        super.write(ctx, msg, promise);
    }
}
