package org.teledeploy.perf.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.deploy.Activation;
import org.teledeploy.deploy.DeploymentIndex;
import org.teledeploy.deploy.DeploymentLog;
import org.teledeploy.deploy.Deployments;
import org.teledeploy.deploy.DownloadReportService;
import org.teledeploy.deploy.InventoryService;
import org.teledeploy.deploy.PendingOffers;
import org.teledeploy.deploy.PrologService;
import org.teledeploy.deploy.Settings;
import org.teledeploy.metrics.DeploymentMetrics;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.protocol.UserAgents;
import org.teledeploy.registry.DeviceRegistry;
import org.teledeploy.registry.InventoryTrigger;
import org.teledeploy.store.Database;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

/**
 * A registered fleet behind a real {@link PrologService}, wired as {@code TeledeployServer.start} wires it (no
 * listeners, no network discovery): devices, activations and assignments seeded into a temporary SQLite store,
 * then loaded by the start-up path ({@link DeviceRegistry#load}, {@link Deployments#load}, {@link Settings#load}),
 * so the PROLOG decision reads exactly the in-memory structures a restarted server holds. Device {@code i}
 * (0-based) has row id {@code i + 1} and DEVICEID {@link AgentBodies#deviceId}; one in four runs the Windows agent,
 * the others the Unix agent; each is assigned {@code packsPerDevice} distinct packages picked at random (seeded).
 */
public final class Fleet implements AutoCloseable {

    /** Where activated packages are fetched from, as a default server advertises it. */
    public static final String INFO_LOC = "deploy.example.org:8443/download";
    public static final String PACK_LOC = "deploy.example.org:8080/download";

    /** The store writer's queue (store.queue.size; the default is 100,000). */
    static final int WRITE_QUEUE = 4096;

    /** Kept referenced: java.util.logging holds loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger SERVER_LOG = java.util.logging.Logger.getLogger("org.teledeploy");

    private final Path dir;
    private final StoreWriter writer;
    private final StoreReader reader;
    private final List<String> packageIds;
    private final List<List<String>> assigned;
    private final PrologService prolog;
    private final QueryDispatcher dispatcher;
    private final DeviceRegistry registry;

    private Fleet(Path dir, StoreWriter writer, StoreReader reader, List<String> packageIds,
                  List<List<String>> assigned, PrologService prolog, QueryDispatcher dispatcher,
                  DeviceRegistry registry) {
        this.dir = dir;
        this.writer = writer;
        this.reader = reader;
        this.packageIds = packageIds;
        this.assigned = assigned;
        this.prolog = prolog;
        this.dispatcher = dispatcher;
        this.registry = registry;
    }

    /** Builds the fleet (blocking; seconds for 100,000 devices). */
    public static Fleet create(int devices, int packages, int packsPerDevice, long seed) {
        if (packsPerDevice > packages) {
            throw new IllegalArgumentException("packsPerDevice: " + packsPerDevice + " (expected: <= " + packages
                    + ")");
        }
        SERVER_LOG.setLevel(java.util.logging.Level.WARNING); // no INFO lines in the middle of JMH's output
        TeledeployConfig config = TeledeployConfig.defaults();
        Clock clock = Clock.systemUTC();
        Path dir;
        try {
            dir = Files.createTempDirectory("teledeploy-jmh-fleet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Database database = Database.open(dir, config.storeSynchronousFull());
        // A short write queue: under benchmark load it is full either way (contact times are queued at every
        // PROLOG, faster than SQLite commits them), and a short one drains in a moment at the end.
        StoreWriter writer = StoreWriter.start(database, WRITE_QUEUE, config.storeBatchSize());
        StoreReader reader = StoreReader.start(database, 2);
        long now = clock.millis();
        List<String> packageIds = new ArrayList<>();
        for (int p = 0; p < packages; p++) {
            packageIds.add(Long.toString(1_764_000_000L + p));
        }
        Random random = new Random(seed);
        List<List<String>> assigned = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            List<String> mine = new ArrayList<>(packsPerDevice);
            while (mine.size() < packsPerDevice) {
                String id = packageIds.get(random.nextInt(packages));
                if (!mine.contains(id)) {
                    mine.add(id);
                }
            }
            assigned.add(List.copyOf(mine));
        }
        try {
            writer.submit(c -> {
                seed(c, devices, packageIds, assigned, now);
                return null;
            }).join();
            Settings settings = Settings.load(writer, reader, config.ocs());
            DeviceRegistry registry = DeviceRegistry.load(writer, reader, clock, config.ocs().download(),
                    InventoryTrigger.NONE);
            DeploymentIndex index = new DeploymentIndex();
            Deployments.load(writer, reader, index, clock); // fills the index
            DeploymentMetrics metrics = DeploymentMetrics.unregistered();
            DeploymentLog deploymentLog = new DeploymentLog(writer);
            PendingOffers offers = new PendingOffers(index, deploymentLog, clock, config.ocs().timeout(), metrics);
            PrologService prolog = new PrologService(settings, registry, offers,
                    new UserAgents(config.extraUserAgents()), clock);
            QueryDispatcher dispatcher = new QueryDispatcher(prolog, new InventoryService(registry),
                    new DownloadReportService(writer, registry, index, clock, metrics));
            return new Fleet(dir, writer, reader, List.copyOf(packageIds), assigned, prolog, dispatcher, registry);
        } catch (RuntimeException e) {
            reader.close();
            writer.close();
            throw e;
        }
    }

    /**
     * The rows a server with this fleet would have after its devices sent their inventories and an admin activated
     * and assigned the packages (written directly: through the admin path 300,000 assignments take a quarter of a
     * minute, perf/JMH.md). Every assignment is waiting (state NULL).
     */
    private static void seed(Connection c, int devices, List<String> packageIds, List<List<String>> assigned, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (id, deviceid, name, os_name, "
                + "user_agent, first_contact, last_contact, last_inventory) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < devices; i++) {
                ps.setLong(1, i + 1);
                ps.setString(2, AgentBodies.deviceId(i));
                ps.setString(3, AgentBodies.deviceName(i));
                ps.setString(4, isWindows(i) ? "Microsoft Windows 11 Pro" : "Debian GNU/Linux 12 (bookworm)");
                ps.setString(5, userAgent(i));
                ps.setLong(6, now - 30 * 86_400_000L);
                ps.setLong(7, now - 3_600_000L);
                ps.setLong(8, now - 3_600_000L);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // Packages deployed long ago stay in the agents' histories: the lookup every offer makes.
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO device_download_history (device_id, package_id) VALUES (?, ?)")) {
            for (int i = 0; i < devices; i++) {
                for (String old : List.of("1600000001", "1600000002")) {
                    ps.setLong(1, i + 1);
                    ps.setString(2, old);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO activations (package_id, fragments, info_loc, "
                + "pack_loc, cert_path, cert_file, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int p = 0; p < packageIds.size(); p++) {
                ps.setString(1, packageIds.get(p));
                ps.setInt(2, 1 + p % 20);
                ps.setString(3, INFO_LOC);
                ps.setString(4, PACK_LOC);
                ps.setString(5, Activation.DEFAULT_CERT_PATH);
                ps.setString(6, Activation.DEFAULT_CERT_FILE);
                ps.setLong(7, now - 86_400_000L);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assignments (device_id, package_id, assigned_at, "
                + "origin) VALUES (?, ?, ?, 'device')")) {
            for (int i = 0; i < devices; i++) {
                for (String id : assigned.get(i)) {
                    ps.setLong(1, i + 1);
                    ps.setString(2, id);
                    ps.setLong(3, now - 86_400_000L);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** One in four devices runs the Windows agent. */
    public static boolean isWindows(int device) {
        return device % 4 == 3;
    }

    public static String userAgent(int device) {
        return isWindows(device) ? AgentBodies.WINDOWS_AGENT : AgentBodies.UNIX_AGENT;
    }

    /** A client address per device (info and fragment downloads are attributed by it). */
    public static String clientIp(int device) {
        return "10." + ((device >> 16) & 0xFF) + "." + ((device >> 8) & 0xFF) + "." + (device & 0xFF);
    }

    public PrologService prolog() {
        return prolog;
    }

    /** PROLOG, INVENTORY and DOWNLOAD routed as the agent endpoint routes them. */
    public QueryDispatcher dispatcher() {
        return dispatcher;
    }

    public DeviceRegistry registry() {
        return registry;
    }

    /** The activated package IDs. */
    public List<String> packageIds() {
        return packageIds;
    }

    /** The package IDs assigned to device {@code i}. */
    public List<String> assignedTo(int device) {
        return assigned.get(device);
    }

    /** Writes waiting for the store (the background contact and NOTIFIED writes PROLOGs queue). */
    public int queuedWrites() {
        return writer.queued();
    }

    /** Stops the store (committing what is queued) and deletes the temporary directory. */
    @Override
    public void close() {
        try {
            writer.close();
            reader.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
