package org.teledeploy;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.config.DownloadLocations;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.deploy.DeploymentIndex;
import org.teledeploy.deploy.DeploymentLog;
import org.teledeploy.deploy.DeploymentQueries;
import org.teledeploy.deploy.Deployments;
import org.teledeploy.deploy.Groups;
import org.teledeploy.deploy.DownloadReportService;
import org.teledeploy.deploy.InventoryService;
import org.teledeploy.deploy.PendingOffers;
import org.teledeploy.deploy.PrologService;
import org.teledeploy.packages.DownloadObserver;
import org.teledeploy.packages.InfoDocument;
import org.teledeploy.packages.PackageContent;
import org.teledeploy.packages.PublishedPackage;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.protocol.UserAgents;
import org.teledeploy.registry.DeviceRegistry;
import org.teledeploy.store.Database;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;
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

    private final TeledeployConfig config;
    private final StoreWriter writer;
    private final StoreReader reader;
    private final DeviceRegistry registry;
    private final Deployments deployments;
    private final Groups groups;
    private final DeploymentQueries queries;
    private final ServerCertificates certificates;
    private final Listeners listeners;
    private final DownloadLocations downloadLocations;

    private TeledeployServer(TeledeployConfig config, StoreWriter writer, StoreReader reader, DeviceRegistry registry,
                             Deployments deployments, Groups groups, ServerCertificates certificates,
                             Listeners listeners) {
        this.config = config;
        this.writer = writer;
        this.reader = reader;
        this.registry = registry;
        this.deployments = deployments;
        this.groups = groups;
        this.queries = new DeploymentQueries(reader);
        this.certificates = certificates;
        this.listeners = listeners;
        this.downloadLocations = DownloadLocations.of(config, listeners.httpsPort(), listeners.httpPort());
    }

    /** Starts a server; everything opened so far is closed again if any step fails. */
    public static TeledeployServer start(TeledeployConfig config, Clock clock) {
        long started = System.nanoTime();
        Path stateDir = config.stateDir().toAbsolutePath();
        Database database = Database.open(stateDir, config.storeSynchronousFull());
        StoreWriter writer = StoreWriter.start(database, config.storeQueueSize(), config.storeBatchSize());
        StoreReader reader = StoreReader.start(database, 2);
        try {
            DeploymentIndex index = new DeploymentIndex();
            Groups groups = new Groups(writer, reader, index, clock);
            DeviceRegistry registry = DeviceRegistry.load(writer, reader, clock, config.ocs().download(), groups);
            ServerCertificates certificates = certificates(config, stateDir, clock);
            SslContext ssl = config.listenHttps().isPresent()
                    ? TlsContexts.forServer(certificates, TlsProvider.fromConfig(config.tlsProvider()))
                    : null;
            Deployments deployments = Deployments.load(writer, reader, index, clock);
            PendingOffers offers = new PendingOffers(index, new DeploymentLog(writer), clock, config.ocs().timeout());
            QueryDispatcher dispatcher = new QueryDispatcher(
                    new PrologService(config.ocs(), registry, offers, new UserAgents(config.extraUserAgents()), clock),
                    new InventoryService(registry),
                    new DownloadReportService(writer, registry, index, clock));
            TeledeployServer[] self = new TeledeployServer[1];
            Listeners listeners = Listeners.start(config, ssl, dispatcher, noPackages(), DownloadObserver.NONE,
                    () -> self[0] == null ? "{}" : self[0].health());
            self[0] = new TeledeployServer(config, writer, reader, registry, deployments, groups, certificates, listeners);
            log.info("teledeployd {} started in {} ms: {} devices, state in {}; agents: server URL "
                            + "http://<this host>:{}/ocsinventory, CA file {}",
                    Teledeployd.version(), (System.nanoTime() - started) / 1_000_000, registry.size(), stateDir,
                    listeners.httpPort(), certificates.caCertificate() == null ? "(admin-supplied certificate)"
                            : certificates.caCertificate());
            return self[0];
        } catch (RuntimeException e) {
            reader.close();
            writer.close();
            throw e;
        }
    }

    /** Until the package catalog is wired in: {@code /download} knows no package (every ID is 404). */
    private static PackageContent noPackages() {
        return new PackageContent() {
            @Override
            public Optional<PublishedPackage> find(String packageId) {
                return Optional.empty();
            }

            @Override
            public CompletableFuture<InfoDocument> info(String packageId) {
                return CompletableFuture.failedFuture(new NoSuchElementException("no package " + packageId));
            }
        };
    }

    private static ServerCertificates certificates(TeledeployConfig config, Path stateDir, Clock clock) {
        Optional<Path> cert = config.tlsCert();
        if (cert.isPresent()) {
            return ServerCertificates.fromFiles(cert.get(), config.tlsKey().orElseThrow());
        }
        return ServerCertificates.ensureGenerated(stateDir.resolve("tls"), config.tlsHostnames(), clock);
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
        listeners.close();
        writer.close();
        reader.close();
        log.info("teledeployd stopped");
    }
}
