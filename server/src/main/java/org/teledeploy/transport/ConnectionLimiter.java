package org.teledeploy.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open agent connections over all listeners ({@code limit.connections}) and, when set, per client address
 * ({@code limit.connections.per.client}): past a cap a new connection is closed at once, before TLS or HTTP spend
 * anything on it, and the refusal is logged (at most once a second).
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    /** Set on connections that were counted, so that only those are uncounted when they close. */
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("teledeploy.counted");

    private final int max;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();

    /** @param maxPerClient 0 = no limit per address */
    ConnectionLimiter(int max, int maxPerClient) {
        this.max = max;
        this.maxPerClient = maxPerClient;
    }

    ConnectionLimiter(int max) {
        this(max, 0);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refuse(ctx, "limit.connections (" + max + ")");
            return;
        }
        InetAddress client = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (maxPerClient > 0 && client != null) {
            AtomicInteger count = perClient.computeIfAbsent(client, k -> new AtomicInteger());
            if (count.incrementAndGet() > maxPerClient) {
                release(client);
                open.decrementAndGet();
                refuse(ctx, "limit.connections.per.client (" + maxPerClient + ")");
                return;
            }
        }
        ctx.channel().attr(COUNTED).set(client == null ? InetAddress.getLoopbackAddress() : client);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = ctx.channel().attr(COUNTED).getAndSet(null);
        if (client != null) {
            open.decrementAndGet();
            if (maxPerClient > 0) {
                release(client);
            }
        }
        super.channelInactive(ctx);
    }

    private void release(InetAddress client) {
        perClient.computeIfPresent(client, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private void refuse(ChannelHandlerContext ctx, String limit) {
        long total = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > 1_000_000_000L && lastWarning.compareAndSet(last, now)) {
            log.warn("{} reached: refusing connection from {} ({} refused so far)", limit,
                    ctx.channel().remoteAddress(), total);
        }
        ctx.close();
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.get();
    }
}
