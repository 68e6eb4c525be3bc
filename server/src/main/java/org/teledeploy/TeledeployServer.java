package org.teledeploy;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.admin.AdminApi;
import org.teledeploy.config.ConfigKey;
import org.teledeploy.config.DownloadLocations;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.deploy.DeploymentIndex;
import org.teledeploy.deploy.DeploymentLog;
import org.teledeploy.deploy.DeploymentQueries;
import org.teledeploy.deploy.Deployments;
import org.teledeploy.deploy.Groups;
import org.teledeploy.deploy.DownloadReportService;
import org.teledeploy.deploy.DownloadTimeline;
import org.teledeploy.deploy.PackageActivation;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.deploy.PackageStatistics.Bucket;
import org.teledeploy.deploy.ReachabilityCheck;
import org.teledeploy.deploy.Settings;
import org.teledeploy.deploy.InventoryService;
import org.teledeploy.deploy.PendingOffers;
import org.teledeploy.deploy.PrologService;
import org.teledeploy.logging.LogSetup;
import org.teledeploy.metrics.DeploymentFunnel;
import org.teledeploy.metrics.SubnetGauges;
import org.teledeploy.metrics.ServerMetrics;
import org.teledeploy.network.NetworkDiscovery;
import org.teledeploy.packages.FragmentVerifier;
import org.teledeploy.packages.PackageCatalog;
import org.teledeploy.packages.PackageException;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.protocol.UserAgents;
import org.teledeploy.registry.DeviceRegistry;
import org.teledeploy.registry.InventoryTrigger;
import org.teledeploy.store.Database;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;
import org.teledeploy.tls.CertificateExpiry;
import org.teledeploy.tls.ServerCertificates;
import org.teledeploy.tls.TlsContexts;
import org.teledeploy.tls.TlsProvider;
import org.teledeploy.transport.Listeners;

/**
 * One running teledeployd: the composition root that opens the store, loads the registry, prepares TLS, wires
 * the query services and binds the listeners; {@link #close()} undoes it in reverse order. Tests start it on
 * ephemeral 127.0.0.1 ports with a temporary state dir.
 */
public final class TeledeployServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TeledeployServer.class);

    /** How often the certificate files are checked for changes (and a generated certificate for renewal). */
    static final long TLS_CHECK_SECONDS = Long.getLong("teledeploy.tls.check.seconds", 60);

    /** Keys whose new value a reload applies; every other change waits for a restart. */
    private static final List<ConfigKey> RELOADABLE = List.of(ConfigKey.TLS_CERT, ConfigKey.TLS_KEY,
            ConfigKey.TLS_HOSTNAMES, ConfigKey.LOG_LEVEL, ConfigKey.TLS_EXPIRY_WARNING);

    private final TeledeployConfig config;
    private final Clock clock;
    private final AtomicReference<SslContext> ssl;
    private final ScheduledExecutorService tlsWatch;
    /** Warns while the served certificate nears its end; replaced when tls.expiry.warning is reloaded. */
    private volatile CertificateExpiry expiry;
    /** The configuration the TLS material was last loaded from (changes on reload). */
    private TeledeployConfig tlsConfig;
    /** What the certificate files looked like at the last load attempt; guarded by this. */
    private List<String> tlsFiles;
    /** When a due renewal of the generated certificate was last tried (at most hourly); guarded by this. */
    private Instant lastRenewal = Instant.MIN;
    private final StoreWriter writer;
    private final StoreReader reader;
    private final DeviceRegistry registry;
    private final Deployments deployments;
    private final Groups groups;
    private final DeploymentQueries queries;
    private volatile ServerCertificates certificates;
    private final Listeners listeners;
    private final DownloadLocations downloadLocations;
    private final PackageCatalog packages;
    private final Settings settings;
    private final PackageActivation activation;
    private final List<ExecutorService> packageExecutors;
    private final NetworkDiscovery network;
    private final ServerMetrics metrics;

    private TeledeployServer(TeledeployConfig config, Clock clock, StoreWriter writer, StoreReader reader,
                             DeviceRegistry registry, Deployments deployments, Groups groups,
                             ServerCertificates certificates, AtomicReference<SslContext> ssl, Listeners listeners,
                             PackageCatalog packages, List<ExecutorService> packageExecutors, Settings settings,
                             NetworkDiscovery network, ServerMetrics metrics) {
        this.network = network;
        this.metrics = metrics;
        this.settings = settings;
        this.config = config;
        this.clock = clock;
        this.ssl = ssl;
        this.tlsConfig = config;
        this.tlsFiles = fileStamps(certificates);
        this.writer = writer;
        this.reader = reader;
        this.registry = registry;
        this.deployments = deployments;
        this.groups = groups;
        this.queries = new DeploymentQueries(reader);
        this.certificates = certificates;
        this.listeners = listeners;
        this.downloadLocations = DownloadLocations.of(config, listeners.httpsPort(), listeners.httpPort());
        this.packages = packages;
        this.packageExecutors = packageExecutors;
        this.activation = new PackageActivation(packages, deployments, downloadLocations, config.ocs().periodLength(),
                ReachabilityCheck.create(packages, certificates.caCertificate()));
        this.expiry = expiry(config, clock);
        if (ssl.get() != null) {
            expiry.loaded(certificates);
        }
        if (ssl.get() != null && TLS_CHECK_SECONDS > 0) {
            tlsWatch = Executors.newSingleThreadScheduledExecutor(named("teledeploy-tls-watch"));
            tlsWatch.scheduleWithFixedDelay(this::checkTls, TLS_CHECK_SECONDS, TLS_CHECK_SECONDS, TimeUnit.SECONDS);
        } else {
            tlsWatch = null;
        }
    }

    /** Starts a server; everything opened so far is closed again if any step fails. */
    public static TeledeployServer start(TeledeployConfig config, Clock clock) {
        long started = System.nanoTime();
        Path stateDir = config.stateDir().toAbsolutePath();
        Database database = Database.open(stateDir, config.storeSynchronousFull(), config.storeBusyTimeout());
        ServerMetrics metrics = ServerMetrics.create(); // first: every component gets its meters when built
        StoreWriter writer;
        try {
            writer = StoreWriter.start(database, config.storeQueueSize(), config.storeBatchSize(), metrics.store());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        StoreReader reader = StoreReader.start(database, 2);
        // Builds and imports (long, streaming) on two threads; info-file cache misses on their own thread, so
        // that an agent never waits behind a multi-GB build.
        ExecutorService builds = Executors.newFixedThreadPool(2, named("teledeploy-packages"));
        ExecutorService infoReads = Executors.newSingleThreadExecutor(named("teledeploy-package-reads"));
        // Fragment files are hashed before their first serve, off the event loops and away from info reads.
        ExecutorService fragmentChecks = Executors.newSingleThreadExecutor(named("teledeploy-fragment-checks"));
        List<ExecutorService> packageExecutors = List.of(builds, infoReads, fragmentChecks);
        NetworkDiscovery network = null;
        try {
            PackageCatalog packages = PackageCatalog.load(stateDir.resolve("packages"), writer, reader, clock, builds,
                    infoReads, fragmentChecks, new FragmentVerifier.Listener() {
                        @Override
                        public void corrupt(String packageId, int n) {
                            metrics.packages().corrupt();
                        }

                        @Override
                        public void intact(String packageId, int n) {
                            // the gauge reads the catalog's count
                        }
                    });
            DeploymentIndex index = new DeploymentIndex();
            Settings settings = Settings.load(writer, reader, config.ocs());
            Groups groups = new Groups(writer, reader, index, clock, settings);
            network = NetworkDiscovery.load(writer, reader, clock, config.discovery(), settings);
            DeviceRegistry registry = DeviceRegistry.load(writer, reader, clock, config.ocs().download(),
                    InventoryTrigger.all(groups, network.intake()));
            ServerCertificates certificates = certificates(config, stateDir, clock);
            AtomicReference<SslContext> ssl = new AtomicReference<>(config.listenHttps().isPresent()
                    ? TlsContexts.forServer(certificates, TlsProvider.fromConfig(config.tlsProvider()))
                    : null);
            Deployments deployments = Deployments.load(writer, reader, index, clock);
            packages.brokenIds().forEach(deployments::suspend);
            DeploymentLog deploymentLog = new DeploymentLog(writer);
            PendingOffers offers = new PendingOffers(index, deploymentLog, clock, config.ocs().timeout(),
                    metrics.deployment());
            QueryDispatcher dispatcher = new QueryDispatcher(
                    new PrologService(settings, registry, offers, new UserAgents(config.extraUserAgents()), clock,
                            network, metrics.deployment()),
                    new InventoryService(registry),
                    new DownloadReportService(writer, registry, index, clock, metrics.deployment()));
            TeledeployServer[] self = new TeledeployServer[1];
            AdminApi adminApi = AdminApi.open(config, clock); // owned (and closed) by the listeners from here
            Listeners listeners = Listeners.start(config, ssl.get() == null ? null : ssl::get, dispatcher, packages,
                    new DownloadTimeline(index, deploymentLog, clock), () -> self[0] == null ? "{}" : self[0].health(),
                    adminApi, metrics, clock);
            self[0] = new TeledeployServer(config, clock, writer, reader, registry, deployments, groups, certificates,
                    ssl, listeners, packages, packageExecutors, settings, network, metrics);
            bindMetrics(metrics, self[0]);
            adminApi.bind(self[0]);
            log.info("teledeployd {} started in {} ms: {} devices, state in {}; agents: server URL "
                            + "http://<this host>:{}/ocsinventory, CA file {}",
                    Teledeployd.version(), (System.nanoTime() - started) / 1_000_000, registry.size(), stateDir,
                    listeners.httpPort(), certificates.caCertificate() == null ? "(admin-supplied certificate)"
                            : certificates.caCertificate());
            return self[0];
        } catch (RuntimeException e) {
            if (network != null) {
                network.close();
            }
            packageExecutors.forEach(ExecutorService::shutdownNow);
            reader.close();
            writer.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * The gauges that read the running server: connections, devices, certificate, version, and the deployment
     * funnel, read from the store at each scrape (every package that exists or has assignments).
     */
    private static void bindMetrics(ServerMetrics metrics, TeledeployServer server) {
        metrics.bindConnections(server.listeners::openConnections, server.listeners::refusedConnections);
        metrics.bindDevices(server.registry::size);
        metrics.packages().bindCorrupt(server.packages::corruptFragmentCount);
        // Read at each scrape: a reload (SIGHUP, changed files, renewal) replaces the certificate.
        metrics.bindCertificate(() -> server.certificates.leafNotAfter());
        metrics.bindBuildInfo(Teledeployd.version());
        metrics.bindFunnel(() -> server.queries.funnels().thenApply(funnels -> {
            List<DeploymentFunnel.Counts> out = new ArrayList<>();
            funnels.forEach((id, f) -> out.add(counts(id, f)));
            for (PackageRecord p : server.packages.list()) {
                if (!funnels.containsKey(p.id())) {
                    out.add(new DeploymentFunnel.Counts(p.id(), 0, 0, 0, 0, 0, 0, 0));
                }
            }
            return out;
        }));
        metrics.bindSubnets(() -> server.network().subnets().thenApply(list -> list.stream()
                .map(s -> new SubnetGauges.Counts(s.cidr(), s.hosts(), s.unmanaged())).toList()));
    }

    private static DeploymentFunnel.Counts counts(String packageId, DeploymentQueries.Funnel funnel) {
        PackageStatistics s = funnel.statistics();
        return new DeploymentFunnel.Counts(packageId, s.total(), s.count(Bucket.WAITING), s.count(Bucket.NOTIFIED),
                funnel.downloading(), s.count(Bucket.SUCCESS), s.count(Bucket.ERROR), s.count(Bucket.OTHER));
    }

    private static CertificateExpiry expiry(TeledeployConfig config, Clock clock) {
        return new CertificateExpiry(config.tlsExpiryWarning(), config.rawValue(ConfigKey.TLS_EXPIRY_WARNING), clock);
    }

    private static ServerCertificates certificates(TeledeployConfig config, Path stateDir, Clock clock) {
        Optional<Path> cert = config.tlsCert();
        if (cert.isPresent()) {
            return ServerCertificates.fromFiles(cert.get(), config.tlsKey().orElseThrow());
        }
        return ServerCertificates.ensureGenerated(stateDir.resolve("tls"), config.tlsHostnames(), clock);
    }

    /**
     * Applies what can change without a restart (SIGHUP): loads the TLS certificate again (the files of
     * {@code tls.cert}/{@code tls.key}, or the generated one, renewed if it nears expiry or {@code tls.hostnames}
     * changed) and applies {@code log.level}. New handshakes use the new certificate; open connections keep theirs.
     * If the certificate cannot be loaded the one in use stays, and the error is logged. Other changed keys are
     * logged as needing a restart.
     *
     * @param newConfig the configuration read again (same file, same environment)
     * @return whether the TLS certificate (if any) was loaded
     */
    public synchronized boolean reload(TeledeployConfig newConfig) {
        for (ConfigKey key : ConfigKey.values()) {
            if (!RELOADABLE.contains(key) && !newConfig.rawValue(key).equals(config.rawValue(key))) {
                log.warn("reload: {} changed ({} -> {}): takes effect at the next restart", key.key(),
                        config.rawValue(key), newConfig.rawValue(key));
            }
        }
        if (!newConfig.logLevel().equals(tlsConfig.logLevel())) {
            LogSetup.setLevel(newConfig.logLevel());
            log.info("reload: log.level is now {}", newConfig.logLevel());
        }
        if (!newConfig.tlsExpiryWarning().equals(tlsConfig.tlsExpiryWarning())) {
            expiry = expiry(newConfig, clock);
            log.info("reload: tls.expiry.warning is now {}", newConfig.rawValue(ConfigKey.TLS_EXPIRY_WARNING));
        }
        TeledeployConfig previous = tlsConfig;
        tlsConfig = newConfig;
        if (ssl.get() == null) {
            return true;
        }
        boolean loaded = reloadTls("configuration reload");
        if (!loaded) {
            tlsConfig = previous;
        }
        return loaded;
    }

    /**
     * Reloads the TLS certificate when its files changed or a generated one is due for renewal, and warns once a
     * day while the certificate in use nears its end. Runs every {@link #TLS_CHECK_SECONDS}; tests call it.
     */
    synchronized void checkTls() {
        try {
            ServerCertificates current = certificates;
            boolean renew = current.generated()
                    && current.leafNotAfter().isBefore(clock.instant().plus(ServerCertificates.RENEW_BEFORE));
            if (renew && lastRenewal.isBefore(clock.instant().minusSeconds(3600))) {
                lastRenewal = clock.instant();
                reloadTls("the server certificate expires on " + current.leafNotAfter());
            } else if (!fileStamps(current).equals(tlsFiles)) {
                reloadTls(current.certificateChain() + " or " + current.privateKey() + " changed");
            }
            expiry.daily(certificates);
        } catch (RuntimeException e) {
            log.error("tls: certificate check failed: {}", e.toString(), e);
        }
    }

    /** Loads the certificate for {@link #tlsConfig}; keeps the one in use when that fails. Holds this. */
    private boolean reloadTls(String why) {
        ServerCertificates before = certificates;
        try {
            ServerCertificates loaded = certificates(tlsConfig, tlsConfig.stateDir().toAbsolutePath(), clock);
            SslContext context = TlsContexts.forServer(loaded, TlsProvider.fromConfig(config.tlsProvider()));
            ssl.set(context);
            certificates = loaded;
            log.info("tls: certificate reloaded ({}): {} serial {}, valid until {}; new connections use it",
                    why, loaded.leaf().getSubjectX500Principal(), loaded.leaf().getSerialNumber().toString(16),
                    loaded.leafNotAfter());
            expiry.loaded(loaded);
            return true;
        } catch (RuntimeException e) {
            log.error("tls: certificate reload failed ({}), still serving serial {} valid until {}: {}", why,
                    before.leaf().getSerialNumber().toString(16), before.leafNotAfter(), e.getMessage());
            return false;
        } finally {
            tlsFiles = fileStamps(certificates);
        }
    }

    /** Size, modification time and inode of the certificate files: what a change check compares. */
    private static List<String> fileStamps(ServerCertificates certs) {
        List<String> stamps = new ArrayList<>();
        for (Path file : List.of(certs.certificateChain(), certs.privateKey())) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(file + " " + a.size() + " " + a.lastModifiedTime().toMillis() + " "
                        + Objects.toString(a.fileKey()));
            } catch (IOException e) {
                stamps.add(file + " missing");
            }
        }
        return stamps;
    }

    /** The JSON of the admin listener's {@code /health}. */
    String health() {
        Instant notAfter = certificates.leafNotAfter();
        return "{\"status\":\"ok\",\"version\":\"" + Teledeployd.version() + "\",\"devices\":" + registry.size()
                + ",\"storeQueue\":" + writer.queued() + ",\"connections\":" + listeners.openConnections()
                + ",\"certificateNotAfter\":\"" + notAfter + "\"}";
    }

    public TeledeployConfig config() {
        return config;
    }

    /** Bound HTTP port, -1 if off. */
    public int httpPort() {
        return listeners.httpPort();
    }

    public int httpsPort() {
        return listeners.httpsPort();
    }

    public int adminPort() {
        return listeners.adminPort();
    }

    /** Bound port of {@code listen.metrics}, -1 if off. */
    public int metricsPort() {
        return listeners.metricsPort();
    }

    /** Every meter; {@code GET /metrics} renders them. */
    public ServerMetrics metrics() {
        return metrics;
    }

    public DeviceRegistry registry() {
        return registry;
    }

    /** Activations and assignments (the admin side of deployment). */
    public Deployments deployments() {
        return deployments;
    }

    /** Static and dynamic groups, searches, group assignments. */
    public Groups groups() {
        return groups;
    }

    /** Statistics and timelines. */
    public DeploymentQueries queries() {
        return queries;
    }

    /** The packages: build, import, edit, delete; what the download listeners serve. */
    public PackageCatalog packages() {
        return packages;
    }

    /** Per-device and per-group OCS parameters (DOWNLOAD_SWITCH, latencies, PROLOG_FREQ, FREQUENCY, ...). */
    public Settings settings() {
        return settings;
    }

    /** Network discovery (IpDiscover): subnets, elected devices, discovered and unmanaged hosts. */
    public NetworkDiscovery network() {
        return network;
    }

    /** Activation with its checks (complete package, reachable info and first fragment). */
    public PackageActivation activation() {
        return activation;
    }

    /**
     * Deletes a package: deactivates it, forgets its assignments and timeline, removes its files; its ID stays
     * taken forever.
     */
    public CompletableFuture<PackageRecord> deletePackage(String packageId) {
        if (packages.get(packageId).isEmpty()) {
            return CompletableFuture.failedFuture(new PackageException(PackageException.Kind.NOT_FOUND,
                    "no package " + packageId));
        }
        return deployments.forget(packageId).thenCompose(removed -> packages.delete(packageId));
    }

    /** Waits until every write queued so far (including background ones) is committed. */
    public void flushWrites() {
        writer.submit(c -> null).join();
    }

    /** Read access to the store, for the admin side and tests. */
    public StoreReader reader() {
        return reader;
    }

    /** The CA file agents need, or null when the admin supplied the certificate. */
    public Path caCertificate() {
        return certificates.caCertificate();
    }

    public DownloadLocations downloadLocations() {
        return downloadLocations;
    }

    /** Stops listening, lets in-flight replies finish, commits queued writes, closes the database. */
    @Override
    public void close() {
        if (tlsWatch != null) {
            tlsWatch.shutdownNow();
        }
        listeners.close();
        network.close();
        packageExecutors.forEach(ExecutorService::shutdown);
        try {
            for (ExecutorService executor : packageExecutors) {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("Package operations still running at shutdown: interrupted (cleaned at next start)");
                    executor.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            packageExecutors.forEach(ExecutorService::shutdownNow);
            Thread.currentThread().interrupt();
        }
        writer.close();
        reader.close();
        metrics.close();
        log.info("teledeployd stopped");
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
