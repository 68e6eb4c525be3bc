package org.teledeploy.perf.fleet;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The simulator's network side: one event-loop group (epoll when available), a plain and a TLS bootstrap, and
 * the raw request bytes. TLS uses BoringSSL like the server, trusting the server's CA file when given (else
 * anything: the simulator measures, it does not audit certificates). Sessions are not resumed across
 * connections, as agents (one process per run) do not.
 */
public final class FleetTransport implements AutoCloseable {

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final SslContext sslContext;

    public FleetTransport(int threads, File caFile, int connectTimeoutMillis) throws SSLException {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        SslContextBuilder ssl = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .sessionCacheSize(1)
                .sessionTimeout(1);
        ssl = caFile == null ? ssl.trustManager(InsecureTrustManagerFactory.INSTANCE) : ssl.trustManager(caFile);
        this.sslContext = ssl.build();
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true); // the pipeline is set per connection in connect()
    }

    /** Opens a connection; for HTTPS it completes once the handshake is done. */
    public CompletableFuture<HttpConnection> connect(Endpoint endpoint) {
        CompletableFuture<HttpConnection> result = new CompletableFuture<>();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (endpoint.tls()) {
                    ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc(), endpoint.host(), endpoint.port()));
                }
                ch.pipeline().addLast("decoder", new HttpResponseDecoder());
                ch.pipeline().addLast("connection", new HttpConnection(ch));
            }
        });
        b.connect(endpoint.host(), endpoint.port()).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new RequestException("connect", String.valueOf(f.cause().getMessage())));
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            HttpConnection connection = ch.pipeline().get(HttpConnection.class);
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null) {
                result.complete(connection);
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    result.complete(connection);
                } else {
                    ch.close();
                    result.completeExceptionally(new RequestException("tls", String.valueOf(h.cause().getMessage())));
                }
            });
        });
        return result;
    }

    public static ByteBuf post(Endpoint endpoint, String path, String userAgent, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + endpoint.hostHeader() + "\r\nUser-Agent: " + userAgent
                + "\r\nContent-Type: application/x-compress\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(h.length + body.length);
        return buf.writeBytes(h).writeBytes(body);
    }

    public static ByteBuf get(Endpoint endpoint, String path, String userAgent) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + endpoint.hostHeader() + "\r\nUser-Agent: " + userAgent
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        return ByteBufAllocator.DEFAULT.buffer(h.length).writeBytes(h);
    }

    public static ByteBuf raw(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
    }

    public EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
