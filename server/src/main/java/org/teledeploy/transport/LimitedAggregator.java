package org.teledeploy.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates request bodies up to {@code limit.body.size}. A larger body (announced by Content-Length, or
 * discovered while a chunked body streams in) gets a 413 that says which limit, and the connection is closed
 * because the rest of the body cannot be skipped safely.
 */
final class LimitedAggregator extends HttpObjectAggregator {

    private static final Logger log = LoggerFactory.getLogger(LimitedAggregator.class);

    private final long max;

    LimitedAggregator(long maxBodySize) {
        super((int) Math.min(Integer.MAX_VALUE, maxBodySize), true);
        this.max = maxBodySize;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        log.info("413 to {}: body over limit.body.size ({} bytes)",
                AccessLog.clientIp(ctx.channel().remoteAddress()), max);
        ctx.writeAndFlush(HttpResponses.text(oversized.protocolVersion(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "body over limit.body.size (" + max + " bytes)", false))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
