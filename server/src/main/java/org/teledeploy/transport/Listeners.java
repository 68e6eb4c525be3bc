package org.teledeploy.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.config.HostPort;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.metrics.HttpMetrics;
import org.teledeploy.metrics.Listener;
import org.teledeploy.metrics.ServerMetrics;
import org.teledeploy.packages.DownloadObserver;
import org.teledeploy.packages.PackageContent;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.QueryDispatcher;

/**
 * Binds the listeners (HTTP, HTTPS, admin, and the optional metrics one) on one set of event loops and closes
 * them. Knows Netty; knows nothing of what the queries do.
 */
public final class Listeners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final List<Channel> channels;
    private final int httpPort;
    private final int httpsPort;
    private final int adminPort;
    private final int metricsPort;
    private final ConnectionLimiter connectionLimiter;
    private final AdminEndpoint adminApi;
    private final InFlightRequests inFlight;
    private final Duration shutdownTimeout;

    private Listeners(EventLoopGroup bossGroup, EventLoopGroup workerGroup, List<Channel> channels, int httpPort,
                      int httpsPort, int adminPort, int metricsPort, ConnectionLimiter connectionLimiter,
                      AdminEndpoint adminApi, InFlightRequests inFlight, Duration shutdownTimeout) {
        this.inFlight = inFlight;
        this.shutdownTimeout = shutdownTimeout;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.channels = channels;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.adminPort = adminPort;
        this.metricsPort = metricsPort;
        this.connectionLimiter = connectionLimiter;
        this.adminApi = adminApi;
    }

    /** Binds every configured listener, the admin one without the admin API ({@code /health} only), no metrics. */
    public static Listeners start(TeledeployConfig config, SslContext sslContext, QueryDispatcher dispatcher,
                                  PackageContent packages, DownloadObserver downloadObserver,
                                  Supplier<String> health) {
        return start(config, sslContext == null ? null : () -> sslContext, dispatcher, packages, downloadObserver,
                health, null, null, Clock.systemUTC());
    }

    /**
     * Binds every configured listener; on any failure, closes what was bound (and {@code adminApi}) and rethrows.
     *
     * @param sslContext the HTTPS listener's TLS context (required when listen.https is on), asked once per new
     *     connection: what it returns after a certificate reload is used by new handshakes only
     * @param packages what {@code /download} serves on the HTTP and HTTPS listeners
     * @param downloadObserver told of every info file and fragment served whole
     * @param health the JSON answered by the admin listener's {@code /health}
     * @param adminApi the admin API behind {@code /health}, or null for none; closed by {@link #close()}
     * @param metrics where requests, bytes and handshakes are counted and what {@code /metrics} shows (admin
     *     listener with the admin API's token, and {@code listen.metrics}), or null for no metrics
     * @param clock refills the per-client request buckets ({@code limit.requests.per.client})
     */
    public static Listeners start(TeledeployConfig config, Supplier<SslContext> sslContext,
                                  QueryDispatcher dispatcher, PackageContent packages,
                                  DownloadObserver downloadObserver, Supplier<String> health,
                                  AdminEndpoint adminApi, ServerMetrics metrics, Clock clock) {
        Transports.Transport transport = Transports.choose(config.transport());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), transport.ioHandlerFactory());
        List<Channel> channels = new ArrayList<>();
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerClient());
        AgentHttpHandler.Shared shared = new AgentHttpHandler.Shared(
                new BodyCodec(config.maxInflatedSize()), new AgentXmlReader(config.maxXmlDepth()), dispatcher);
        DownloadHandler.Shared downloads = new DownloadHandler.Shared(packages, downloadObserver);
        HttpMetrics http = metrics == null ? HttpMetrics.unregistered() : metrics.http();
        InFlightRequests inFlight = new InFlightRequests();
        ClientRateLimits rateLimits = config.requestsPerClient() > 0
                ? new ClientRateLimits(config.requestsPerClient(), config.requestBurst(), clock) : null;
        try {
            int httpPort = bind(boss, workers, transport, config.listenHttp(), "HTTP", channels,
                    new AgentChannelInitializer(config, null, limiter, shared, downloads, Listener.HTTP, http,
                            inFlight, rateLimits));
            int httpsPort = bind(boss, workers, transport, config.listenHttps(), "HTTPS", channels,
                    new AgentChannelInitializer(config, sslContext, limiter, shared, downloads, Listener.HTTPS, http,
                            inFlight, rateLimits));
            int adminPort = bind(boss, workers, transport, config.listenAdmin(), "admin", channels,
                    new AdminChannelInitializer(config, health, adminApi, metrics, inFlight));
            int metricsPort = metrics == null ? -1 : bind(boss, workers, transport, config.listenMetrics(),
                    "metrics", channels, new MetricsChannelInitializer(config, metrics));
            return new Listeners(boss, workers, channels, httpPort, httpsPort, adminPort, metricsPort, limiter,
                    adminApi, inFlight, config.shutdownTimeout());
        } catch (RuntimeException e) {
            channels.forEach(Channel::close);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (adminApi != null) {
                adminApi.close();
            }
            throw e;
        }
    }

    private static int bind(EventLoopGroup boss, EventLoopGroup workers, Transports.Transport transport,
                            Optional<HostPort> address, String name, List<Channel> channels,
                            ChannelInitializer<Channel> initializer) {
        if (address.isEmpty()) {
            log.info("{} listener off", name);
            return -1;
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer);
        Channel channel;
        try {
            channel = bootstrap.bind(address.get().toSocketAddress()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + address.get() + " (" + name + "): " + e.getMessage(), e);
        }
        channels.add(channel);
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        log.info("{} listener on {}", name, new HostPort(address.get().host(), port));
        return port;
    }

    /** Bound port, or -1 when the listener is off. */
    public int httpPort() {
        return httpPort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    public int adminPort() {
        return adminPort;
    }

    /** Bound port of {@code listen.metrics}, or -1 when off. */
    public int metricsPort() {
        return metricsPort;
    }

    /** Agent connections open now. */
    public int openConnections() {
        return connectionLimiter.open();
    }

    /** Agent connections refused so far because {@code limit.connections} was reached. */
    public long refusedConnections() {
        return connectionLimiter.refused();
    }

    /**
     * Stops accepting (closes the listening sockets), closes idle connections, gives requests in progress up to
     * {@code timeout.shutdown} to be answered (each connection is closed once its response is written), closes what
     * is left, stops the event loops, then the admin API's background work.
     */
    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        int open = inFlight.open();
        long started = System.nanoTime();
        int cut = inFlight.drain(shutdownTimeout);
        if (cut > 0) {
            log.warn("Stop: {} of {} connections still busy after timeout.shutdown ({}): closed", cut, open,
                    shutdownTimeout);
        } else if (open > 0) {
            log.info("Stop: {} connections closed, requests in progress answered, in {} ms", open,
                    (System.nanoTime() - started) / 1_000_000);
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (adminApi != null) {
            adminApi.close();
        }
    }
}
