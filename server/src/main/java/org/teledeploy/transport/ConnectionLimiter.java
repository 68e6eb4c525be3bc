package org.teledeploy.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open agent connections over all listeners ({@code limit.connections}): past the cap a new connection is
 * closed at once, before TLS or HTTP spend anything on it, and the refusal is logged (at most once a second).
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            long total = refused.incrementAndGet();
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last > 1_000_000_000L && lastWarning.compareAndSet(last, now)) {
                log.warn("limit.connections ({}) reached: refusing connection from {} ({} refused so far)",
                        max, ctx.channel().remoteAddress(), total);
            }
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.get();
    }
}
