package org.teledeploy.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away HTTPS-less TLS server on 127.0.0.1: after the handshake it writes "ok" and closes. It reports each
 * connection's outcome ("ok TLSv1.3" or "failed ...") so tests can check the server's side too.
 */
final class TestTlsServer implements AutoCloseable {

    static final long TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();

    TestTlsServer(SslContext context) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        boolean started = false;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(context.newHandler(ch.alloc()), new OkHandler());
                        }
                    });
            ChannelFuture bind = bootstrap.bind(new InetSocketAddress(loopback(), 0));
            if (!bind.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
                throw new IllegalStateException("test server did not bind to 127.0.0.1", bind.cause());
            }
            channel = bind.channel();
            started = true;
        } finally {
            if (!started) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The next connection's outcome, waiting at most 10 s. */
    String nextOutcome() throws InterruptedException {
        String outcome = outcomes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (outcome == null) {
            throw new AssertionError("no TLS connection outcome within " + TIMEOUT_SECONDS + " s");
        }
        return outcome;
    }

    @Override
    public void close() {
        try {
            channel.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private final class OkHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (!(event instanceof SslHandshakeCompletionEvent)) {
                ctx.fireUserEventTriggered(event);
                return;
            }
            SslHandshakeCompletionEvent completion = (SslHandshakeCompletionEvent) event;
            if (completion.isSuccess()) {
                String protocol = ctx.pipeline().get(SslHandler.class).engine().getSession().getProtocol();
                outcomes.add("ok " + protocol);
                ctx.writeAndFlush(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                outcomes.add("failed " + completion.cause());
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // handshake failures are reported through the completion event
        }
    }
}
