package org.teledeploy.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.metrics.ServerMetrics;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format. On the admin listener it needs the admin
 * API's bearer token (401 with {@code WWW-Authenticate: Bearer} otherwise; a token in the query string is a 400,
 * as for the API) and passes every other request on (to {@code /health} and the API); on the
 * {@code listen.metrics} listener it is open and answers 404 to other paths.
 *
 * <p>The text is rendered off the event loop ({@link ServerMetrics#scrape}); meanwhile the connection stops
 * reading and holds back what was already decoded, so that pipelined requests are still answered in order.
 */
final class MetricsHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MetricsHandler.class);

    static final String PATH = "/metrics";

    private final ServerMetrics metrics;
    private final Predicate<String> authorization;
    private final boolean last;
    private final Queue<Object> held = new ArrayDeque<>();
    private boolean busy;

    /**
     * @param authorization whether an {@code Authorization} header value is accepted, or null: no authentication
     * @param last true when no handler follows: other paths get a 404 here
     */
    MetricsHandler(ServerMetrics metrics, Predicate<String> authorization, boolean last) {
        this.metrics = metrics;
        this.authorization = authorization;
        this.last = last;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy) {
            held.add(msg);
            return;
        }
        if (msg instanceof FullHttpRequest request && request.decoderResult().isSuccess()
                && path(request.uri()).equals(PATH)) {
            try {
                answer(ctx, request);
            } finally {
                request.release();
            }
        } else if (last) {
            refuseOther(ctx, msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpVersion version = request.protocolVersion();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.method().equals(HttpMethod.GET)) {
            FullHttpResponse refused = HttpResponses.text(version, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method not allowed on " + PATH + " (expected: GET)", keepAlive);
            refused.headers().set(HttpHeaderNames.ALLOW, "GET");
            respond(ctx, refused, keepAlive);
            return;
        }
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        if (query.containsKey("token") || query.containsKey("access_token")) {
            respond(ctx, HttpResponses.text(version, HttpResponseStatus.BAD_REQUEST, "token: given in the query string"
                    + " (expected: an Authorization: Bearer header; query strings end up in logs)", keepAlive), keepAlive);
            return;
        }
        if (authorization != null && !authorization.test(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse refused = HttpResponses.text(version, HttpResponseStatus.UNAUTHORIZED,
                    "a valid bearer token is required (the admin token, as for the admin API)", keepAlive);
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            respond(ctx, refused, keepAlive);
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        metrics.scrape().whenComplete((text, failure) -> ctx.executor().execute(() -> {
            FullHttpResponse response;
            if (failure != null) {
                log.warn("500 to {}: metrics could not be rendered: {}", AccessLog.clientIp(ctx.channel().remoteAddress()),
                        String.valueOf(failure));
                response = HttpResponses.text(version, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "metrics could not be rendered, see the server log", keepAlive);
            } else {
                response = new DefaultFullHttpResponse(version, HttpResponseStatus.OK, Unpooled.wrappedBuffer(text));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, ServerMetrics.CONTENT_TYPE)
                        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
                HttpUtil.setContentLength(response, text.length);
                HttpUtil.setKeepAlive(response, keepAlive);
            }
            respond(ctx, response, keepAlive);
            busy = false;
            if (keepAlive) {
                replayHeld(ctx);
            }
        }));
    }

    /**
     * Reads again, then goes on with what arrived while the scrape was rendered (before anything newly read, which
     * comes in a later turn of the event loop), until one of those makes this busy again. Reading is resumed first
     * so that the handlers after this one can pause it again for what they are given (an upload, a slow call).
     */
    private void replayHeld(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(true);
        Object next;
        while (!busy && (next = held.poll()) != null) {
            channelRead(ctx, next);
        }
    }

    private void refuseOther(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof FullHttpRequest request)) {
                return; // an unexpected part: nothing to answer
            }
            boolean ok = request.decoderResult().isSuccess();
            boolean keepAlive = ok && HttpUtil.isKeepAlive(request);
            respond(ctx, HttpResponses.text(request.protocolVersion(),
                    ok ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST,
                    ok ? "no such path (this listener serves GET " + PATH + ")" : "malformed HTTP request", keepAlive),
                    keepAlive);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Object next;
        while ((next = held.poll()) != null) {
            ReferenceCountUtil.release(next);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (last) {
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
