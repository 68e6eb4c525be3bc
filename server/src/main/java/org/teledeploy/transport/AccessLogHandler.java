package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;

/**
 * Sits right after the HTTP codec (and the chunked writer) so that it sees every request and every response,
 * whoever wrote it (the aggregator's 413, the agent handler's replies, downloads, errors), and logs one line when
 * a response has been written. The bytes are the body's Content-Length (0 for HEAD and 304), or "-" when the
 * write failed (a client gone in the middle of a fragment). A response ends with its {@link LastHttpContent}, or
 * with the {@link HttpChunkedInput} that produces it. Handlers further on attach the DEVICEID and QUERY with
 * {@link #annotate}.
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
        if (msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            super.write(ctx, msg, promise); // "100 Continue" is not the answer to the request
            return;
        }
        if (msg instanceof HttpResponse response) {
            status = response.status().code();
            bytes = bodyLength(response);
        }
        if (status == 0 || !(msg instanceof LastHttpContent || msg instanceof HttpChunkedInput)) {
            super.write(ctx, msg, promise);
            return;
        }
        String[] annotation = ctx.channel().attr(ANNOTATION).getAndSet(null);
        if (!AccessLog.enabled()) {
            status = 0;
            super.write(ctx, msg, promise);
            return;
        }
        String loggedMethod = method;
        String loggedPath = path;
        int loggedStatus = status;
        long loggedBytes = bytes;
        long started = startNanos;
        status = 0;
        method = null;
        path = null;
        ChannelPromise written = promise.unvoid();
        written.addListener(f -> {
            long millis = loggedMethod == null ? 0 : (System.nanoTime() - started) / 1_000_000;
            AccessLog.log(ctx.channel().remoteAddress(), listener, loggedMethod, loggedPath, loggedStatus,
                    f.isSuccess() ? loggedBytes : -1, millis,
                    annotation == null ? null : annotation[0], annotation == null ? null : annotation[1]);
        });
        super.write(ctx, msg, written);
    }

    /** Body bytes the response announces: none for HEAD and 304, unknown (-1) when chunked. */
    private long bodyLength(HttpResponse response) {
        if (HttpMethod.HEAD.name().equals(method) || response.status().code() == 304) {
            return 0;
        }
        long length = HttpUtil.getContentLength(response, -1L);
        if (length < 0 && !response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return 0;
        }
        return length;
    }
}
