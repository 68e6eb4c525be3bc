package org.teledeploy.admin.dashboard;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard on one admin connection: answers the whole requests whose path is the dashboard's and passes
 * every other message on (to the admin API). A page is read through futures and rendered on the thread that
 * completed them; the answer is written on this connection's event loop. Requests are answered in order: while a
 * page is being made, later messages wait here.
 */
final class DashboardHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DashboardHandler.class);

    private final Dashboard dashboard;
    private final Queue<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;

    DashboardHandler(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (busy) {
            waiting.add(msg);
        } else {
            dispatch(msg);
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof FullHttpRequest request && request.decoderResult().isSuccess()
                && Dashboard.handles(path(request.uri()))) {
            handle(request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void handle(FullHttpRequest request) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        HttpVersion version = request.protocolVersion();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        DashboardRequest req;
        try {
            req = DashboardRequest.of(request, client(), ctx.pipeline().get(SslHandler.class) != null);
        } finally {
            request.release();
        }
        dashboard.answer(req).thenAccept(page -> answered(version, keepAlive, req, page)).exceptionally(e -> {
            log.warn("Closing admin connection {}: dashboard answer to {} {} not written", req.client(), req.method(),
                    req.path(), e);
            ctx.close();
            return null;
        });
    }

    /** Writes a page (from any thread), then goes on with the next waiting message. */
    private void answered(HttpVersion version, boolean keepAlive, DashboardRequest r, PageResponse page) {
        FullHttpResponse response = encode(version, keepAlive, r, page);
        ctx.executor().execute(() -> {
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
                return;
            }
            busy = false;
            Object next;
            while (!busy && (next = waiting.poll()) != null) {
                dispatch(next);
            }
            if (!busy) {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    /** The HTTP response of a page, with the headers every dashboard answer has. */
    static FullHttpResponse encode(HttpVersion version, boolean keepAlive, DashboardRequest r, PageResponse page) {
        byte[] body = page.html().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(version, page.status(), Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        if (body.length > 0) {
            h.set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        }
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, Layout.CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "same-origin");
        page.headers().forEach(h::set);
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    private String client() {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(ctx.channel().remoteAddress());
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        Object next;
        while ((next = waiting.poll()) != null) {
            ReferenceCountUtil.release(next);
        }
        super.channelInactive(context);
    }
}
