package org.teledeploy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates request bodies up to {@code limit.body.size}. A larger body (announced by Content-Length, or
 * discovered while a chunked body streams in) gets a 413 that says which limit, and the connection is closed
 * because the rest of the body cannot be skipped safely.
 *
 * <p>The close waits until the client has finished sending (at most {@link #DRAIN_LIMIT} more bytes): closing a
 * socket with unread data makes the kernel send a reset, which can destroy the 413 before the client reads it
 * (seen with a 1 MiB body). The request timeout still bounds a body that never ends.
 */
final class LimitedAggregator extends HttpObjectAggregator {

    private static final Logger log = LoggerFactory.getLogger(LimitedAggregator.class);

    /** Most body bytes read and dropped after a 413 before closing anyway. */
    static final long DRAIN_LIMIT = 8L << 20;

    private final long max;
    private boolean draining;
    private long drained;

    LimitedAggregator(long maxBodySize) {
        super((int) Math.min(Integer.MAX_VALUE, maxBodySize), true);
        this.max = maxBodySize;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        log.info("413 to {}: body over limit.body.size ({} bytes)",
                AccessLog.clientIp(ctx.channel().remoteAddress()), max);
        ctx.writeAndFlush(HttpResponses.text(oversized.protocolVersion(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body over limit.body.size (" + max + " bytes)", false));
        draining = true;
        drained = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!draining) {
            super.channelRead(ctx, msg);
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        if (msg instanceof HttpContent content) {
            drained += content.content().readableBytes();
        }
        io.netty.util.ReferenceCountUtil.release(msg);
        if (last || drained > DRAIN_LIMIT) {
            draining = false;
            ctx.close();
        }
    }
}
