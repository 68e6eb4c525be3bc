package org.teledeploy.transport;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import org.teledeploy.metrics.HttpMetrics;
import org.teledeploy.metrics.Listener;

/**
 * Sits right after the HTTP codec (and the chunked writer) so that it sees every request and every response,
 * whoever wrote it (the aggregator's 413, the agent handler's replies, downloads, errors), and logs one line when
 * a response has been written. The bytes are the body's Content-Length (0 for HEAD and 304), or "-" when the
 * write failed (a client gone in the middle of a fragment). A response ends with its {@link LastHttpContent}, or
 * with the {@link HttpChunkedInput} that produces it. Handlers further on attach the DEVICEID and QUERY with
 * {@link #annotate}.
 *
 * <p>Seeing all of that, it is also where the request metrics are recorded ({@link HttpMetrics}): one request
 * (endpoint, query, status, duration up to the response being handed on) per logged line, whether the access
 * log is on or not; the body bytes written (a file body cut short counts what was sent); and TLS
 * handshakes, whose completion event passes here on its way up the pipeline.
 */
final class AccessLogHandler extends ChannelDuplexHandler {

    private static final AttributeKey<String[]> ANNOTATION = AttributeKey.valueOf("teledeploy.access.annotation");

    /** A request read and not answered yet. */
    private record Request(String method, String path, long startNanos) {}

    private final Listener listener;
    private final HttpMetrics metrics;
    /** Requests read and not answered yet, oldest first: pipelined requests are answered in order. */
    private final ArrayDeque<Request> unanswered = new ArrayDeque<>(2);
    /** The request whose response is being written, or null (none read: a response of its own). */
    private Request current;
    private int status;
    private long bytes;

    AccessLogHandler(Listener listener, HttpMetrics metrics) {
        this.listener = listener;
        this.metrics = metrics;
    }

    /** Records the DEVICEID and QUERY of the request being answered on {@code channel}. */
    static void annotate(Channel channel, String deviceId, String query) {
        channel.attr(ANNOTATION).set(new String[] {deviceId, query});
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            String uri = request.uri();
            int q = uri.indexOf('?');
            unanswered.add(new Request(request.method().name(), q < 0 ? uri : uri.substring(0, q), System.nanoTime()));
            ctx.channel().attr(ANNOTATION).set(null);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            metrics.tlsHandshake(handshake.isSuccess());
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            super.write(ctx, msg, promise); // "100 Continue" is not the answer to the request
            return;
        }
        if (msg instanceof HttpResponse response) {
            current = unanswered.poll();
            status = response.status().code();
            bytes = bodyLength(response);
        }
        ChannelPromise counted = countBody(msg, promise);
        if (status == 0 || !(msg instanceof LastHttpContent || msg instanceof HttpChunkedInput)) {
            super.write(ctx, msg, counted);
            return;
        }
        String[] annotation = ctx.channel().attr(ANNOTATION).getAndSet(null);
        boolean logged = AccessLog.enabled();
        String loggedMethod = current == null ? null : current.method();
        String loggedPath = current == null ? null : current.path();
        long started = current == null ? 0 : current.startNanos();
        int loggedStatus = status;
        long loggedBytes = bytes;
        status = 0;
        current = null;
        // Recorded as the response is handed on, before a byte of it leaves: whoever reads the answer (a test, a
        // scrape that follows) finds it counted. Its duration stops here too, not after the client's download.
        metrics.request(listener, loggedPath, annotation == null ? null : annotation[1], loggedStatus,
                loggedMethod == null ? 0 : System.nanoTime() - started);
        if (!logged) {
            super.write(ctx, msg, counted);
            return;
        }
        ChannelPromise written = counted.unvoid();
        written.addListener(f -> {
            long millis = loggedMethod == null ? 0 : (System.nanoTime() - started) / 1_000_000;
            AccessLog.log(ctx.channel().remoteAddress(), listener.label(), loggedMethod, loggedPath, loggedStatus,
                    f.isSuccess() ? loggedBytes : -1, millis,
                    annotation == null ? null : annotation[0], annotation == null ? null : annotation[1]);
        });
        super.write(ctx, msg, written);
    }

    /**
     * Counts the body bytes of an outbound message: in-memory content as it is handed on, a file (sendfile region,
     * or chunks through TLS) when its write ends, as far as it went. The file's count comes before the download
     * handler resumes reading the connection, hence before the next request on it is answered.
     */
    private ChannelPromise countBody(Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBufHolder holder) {
            metrics.served(listener, holder.content().readableBytes());
            return promise;
        }
        if (msg instanceof FileRegion region) {
            ChannelPromise counted = promise.unvoid();
            counted.addListener(f -> metrics.served(listener, region.transferred()));
            return counted;
        }
        if (msg instanceof HttpChunkedInput input) {
            ChannelPromise counted = promise.unvoid();
            counted.addListener(f -> metrics.served(listener, input.progress()));
            return counted;
        }
        return promise;
    }

    /** Body bytes the response announces: none for HEAD and 304, unknown (-1) when chunked. */
    private long bodyLength(HttpResponse response) {
        if ((current != null && HttpMethod.HEAD.name().equals(current.method())) || response.status().code() == 304) {
            return 0;
        }
        long length = HttpUtil.getContentLength(response, -1L);
        if (length < 0 && !response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return 0;
        }
        return length;
    }
}
