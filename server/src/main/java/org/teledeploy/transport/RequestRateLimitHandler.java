package org.teledeploy.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.metrics.HttpMetrics;

/**
 * {@code limit.requests.per.client} on the agent endpoint ({@code /ocsinventory}): a request past its address's
 * {@link ClientRateLimits} bucket is answered 429 with {@code Retry-After} as soon as its head arrives, before its
 * body is aggregated; the body is then read and dropped (never buffered), so that a keep-alive connection stays
 * usable and no reset destroys the answer. Downloads are not counted: they are paced by the agents
 * ({@code DOWNLOAD_FRAG_LATENCY}) and bounded by the connection limits. Installed only when the limit is on.
 */
final class RequestRateLimitHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestRateLimitHandler.class);
    private static final String ENDPOINT = "/ocsinventory";

    private final ClientRateLimits limits;
    private final HttpMetrics metrics;
    private final long maxBodySize;
    /** Dropping the body of a refused request; then whether to close once it has ended. */
    private boolean dropping;
    private boolean closeAfter;
    private long dropped;

    /** @param maxBodySize most body bytes of a refused request read and dropped before closing instead */
    RequestRateLimitHandler(ClientRateLimits limits, HttpMetrics metrics, long maxBodySize) {
        this.limits = limits;
        this.metrics = metrics;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (dropping) {
            drop(ctx, msg);
            return;
        }
        if (msg instanceof HttpRequest request && !request.decoderResult().isFailure() && isEndpoint(request.uri())
                && ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            long wait = limits.acquire(inet.getAddress());
            if (wait > 0) {
                refuse(ctx, request, inet, wait);
                dropping = true;
                dropped = 0;
                drop(ctx, msg);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, InetSocketAddress client, long wait) {
        metrics.rateLimited();
        if (limits.shouldWarn()) {
            log.warn("429 to {}: over limit.requests.per.client ({}/s, burst {}); further refusals are counted in"
                    + " teledeploy_http_rate_limited_total", AccessLog.clientIp(client), format(limits.perSecond()),
                    limits.burst());
        }
        closeAfter = !HttpUtil.isKeepAlive(request);
        FullHttpResponse response = HttpResponses.text(request.protocolVersion(), HttpResponseStatus.TOO_MANY_REQUESTS,
                "too many requests from " + AccessLog.clientIp(client) + " (limit.requests.per.client = "
                        + format(limits.perSecond()) + "/s, burst " + limits.burst() + "); retry after " + wait + " s",
                !closeAfter);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(wait));
        ctx.writeAndFlush(response);
    }

    /** Releases what was read of a refused request; once it has ended, the connection takes the next one. */
    private void drop(ChannelHandlerContext ctx, Object msg) {
        boolean last = msg instanceof LastHttpContent;
        if (msg instanceof HttpContent content) {
            dropped += content.content().readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (last || dropped > maxBodySize) {
            dropping = false;
            RequestTimeoutHandler.requestReceived(ctx.channel());
            RequestTimeoutHandler.responseSent(ctx.channel());
            if (closeAfter || !last) {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static boolean isEndpoint(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return path.equals(ENDPOINT) || path.startsWith(ENDPOINT + "/");
    }

    private static String format(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }
}
