package org.teledeploy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.metrics.HttpMetrics;
import org.teledeploy.metrics.Listener;

/**
 * The slowloris guard: once the first byte of a request arrives, the whole request (head and body) must arrive
 * within {@code timeout.request}, otherwise the client gets a 408 and the connection is closed. It sits before
 * the HTTP codec so that it also catches a header block trickled byte by byte, which the codec would never
 * finish; the agent handler disarms it with {@link #requestReceived} when a whole request is there.
 *
 * <p>Timing uses the channel's event loop scheduler, so tests drive it with {@code EmbeddedChannel.advanceTimeBy}
 * instead of sleeping.
 */
final class RequestTimeoutHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestTimeoutHandler.class);

    private final long timeoutNanos;
    private final Listener listener;
    private final HttpMetrics metrics;
    private ScheduledFuture<?> timer;
    private boolean waitingForResponse;

    RequestTimeoutHandler(Duration timeout, Listener listener, HttpMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.listener = listener;
        this.metrics = metrics;
    }

    /** The request on {@code channel} has fully arrived: stop the clock until the next one starts. */
    static void requestReceived(Channel channel) {
        RequestTimeoutHandler handler = channel.pipeline().get(RequestTimeoutHandler.class);
        if (handler != null) {
            handler.cancel();
            handler.waitingForResponse = true;
        }
    }

    /** The response was written: the next byte starts a new request. */
    static void responseSent(Channel channel) {
        RequestTimeoutHandler handler = channel.pipeline().get(RequestTimeoutHandler.class);
        if (handler != null) {
            handler.waitingForResponse = false;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (timer == null && !waitingForResponse && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, msg);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        String message = "request not received within timeout.request (" + ms + " ms)\n";
        byte[] body = message.getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf response = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
        log.info("408 to {}: {}", AccessLog.clientIp(ctx.channel().remoteAddress()), message.trim());
        AccessLog.log(ctx.channel().remoteAddress(), listener.label(), null, null, 408, body.length, ms, null, null);
        metrics.requestTimedOut(listener);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }
}
