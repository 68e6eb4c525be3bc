package org.teledeploy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;

/**
 * Every open connection of the listeners, and whether each is in the middle of a request (read, not yet answered
 * in full), so that a stop can let requests in progress finish instead of cutting them: {@link #drain} closes idle
 * keep-alive connections at once and busy ones right after their response is written, within a bound.
 *
 * <p>Its handler sits after the HTTP codec and before the aggregator, where it sees each {@link HttpRequest} head
 * coming in and each response going out (whoever wrote it), like {@link AccessLogHandler}: a response ends with
 * its {@link LastHttpContent} or with the {@link HttpChunkedInput} that produces it, and is done when that write
 * completes.
 */
final class InFlightRequests {

    private final ChannelGroup connections = new DefaultChannelGroup("teledeploy-connections",
            GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    /** A handler for one new connection. */
    Handler newHandler() {
        return new Handler();
    }

    /** Connections open now (all listeners). */
    int open() {
        return connections.size();
    }

    /**
     * Closes every idle connection now, and every busy one when its response has been written; waits until none is
     * left or {@code timeout} has passed, then closes what is left.
     *
     * @return how many connections had to be cut at the timeout
     */
    int drain(Duration timeout) {
        draining = true;
        for (Channel channel : connections) {
            channel.eventLoop().execute(() -> {
                Handler handler = channel.pipeline().get(Handler.class);
                if (handler == null || handler.pending == 0) {
                    channel.close();
                }
            });
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = connections.size();
        if (cut > 0) {
            connections.close().awaitUninterruptibly(2_000);
        }
        return cut;
    }

    /** Per connection: the requests read and not yet answered in full. Event-loop confined. */
    final class Handler extends ChannelDuplexHandler {
        private int pending;
        private boolean responding;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            connections.add(ctx.channel());
            if (draining) {
                ctx.close(); // accepted just before the listener closed: the server is stopping
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                pending++;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse response) {
                if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                    super.write(ctx, msg, promise); // "100 Continue" does not answer the request
                    return;
                }
                responding = true;
                if (draining) {
                    HttpUtil.setKeepAlive(response, false); // the connection closes after it: say so
                }
            }
            if (!responding || !(msg instanceof LastHttpContent || msg instanceof HttpChunkedInput)) {
                super.write(ctx, msg, promise);
                return;
            }
            responding = false;
            ChannelPromise written = promise.unvoid();
            written.addListener(f -> {
                pending = Math.max(0, pending - 1);
                if (draining && pending == 0) {
                    ctx.close();
                }
            });
            super.write(ctx, msg, written);
        }
    }
}
