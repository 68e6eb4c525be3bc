package org.teledeploy.network;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.config.DiscoveryOptions;
import org.teledeploy.deploy.EffectiveSettings;
import org.teledeploy.deploy.Parameter;
import org.teledeploy.deploy.PrologOption;
import org.teledeploy.deploy.PrologOptions;
import org.teledeploy.deploy.Settings;
import org.teledeploy.registry.DeviceSummary;
import org.teledeploy.registry.InventoryTrigger;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

/**
 * Network discovery as OCS IpDiscover does it, seen from the server: per subnet a few agents are elected, their
 * PROLOG carries {@code <OPTION><NAME>IPDISCOVER</NAME><PARAM IPDISC_LAT="100">192.0.2.0</PARAM></OPTION>} with
 * RESPONSE forced to SEND, and their next inventory reports the hosts that answered their ARP scan; a host whose MAC
 * belongs to no registered device is a machine without an agent. This is the one entry point: the PROLOG
 * contributor ({@link PrologOptions}, from memory), the inventory trigger ({@link #intake()}), and the Java API the
 * admin API, CLI and dashboard call (futures; reads on the store readers, changes through the store writer).
 */
public final class NetworkDiscovery implements PrologOptions, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkDiscovery.class);
    private static final long EXPIRY_PERIOD_MINUTES = 60;
    /** The first expiry round runs a little after start, not during it. */
    private static final long EXPIRY_FIRST_MINUTES = 5;

    private final StoreWriter writer;
    private final StoreReader reader;
    private final Clock clock;
    private final DiscoveryOptions options;
    private final Settings settings;
    private final SeatIndex seats;
    private final DiscoveryIntake intake;
    private final ScheduledExecutorService expiry;

    private NetworkDiscovery(StoreWriter writer, StoreReader reader, Clock clock, DiscoveryOptions options,
                             Settings settings, SeatIndex seats) {
        this.writer = writer;
        this.reader = reader;
        this.clock = clock;
        this.options = options;
        this.settings = settings;
        this.seats = seats;
        this.intake = new DiscoveryIntake(options, seats);
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "teledeploy-network-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the seats into memory (blocking; at start only) and schedules the expiry of old hosts and seats: five
     * minutes after start, then every hour.
     */
    public static NetworkDiscovery load(StoreWriter writer, StoreReader reader, Clock clock, DiscoveryOptions options,
                                        Settings settings) {
        SeatIndex seats = new SeatIndex(reader.readNow(DiscoveryStore::seats));
        NetworkDiscovery discovery = new NetworkDiscovery(writer, reader, clock, options, settings, seats);
        log.info("Network discovery {}: {} devices elected", options.enabled()
                ? "on (IPDISCOVER=" + options.maxPerSubnet() + " per subnet)" : "off (IPDISCOVER=0)", seats.size());
        discovery.expiry.scheduleAtFixedRate(() -> discovery.expire().exceptionally(e -> {
            log.warn("IpDiscover expiry failed: {}", e.getMessage());
            return null;
        }), EXPIRY_FIRST_MINUTES, EXPIRY_PERIOD_MINUTES, TimeUnit.MINUTES);
        return discovery;
    }

    /** Runs in every inventory's transaction: subnets, managed links, reported hosts, seats. */
    public InventoryTrigger intake() {
        return intake;
    }

    /**
     * The IPDISCOVER option for an elected, registered device (OCS gives none to unknown devices), unless
     * discovery is off or the device must never inventory (FREQUENCY -1: its result would never come). The PARAM
     * text is the bare network address (the Unix agent's Nmap backend refuses anything else) and IPDISC_LAT is
     * always an attribute: without one, the Unix agent's XML::Simple reads the PARAM as a plain string and
     * {@code IpDiscover.pm} dies on {@code ->{content}}. RESPONSE is forced to SEND (OCS does), and the
     * connection is closed after the reply as OCS does ({@code Connection: close}): the scan takes from seconds
     * to hours (a /16 at 100 ms per address: 1 h 49 min), and the inventory then comes on a new connection
     * instead of one the server may be closing for idleness at that very moment.
     */
    @Override
    public List<PrologOption> optionsFor(Optional<DeviceSummary> device, EffectiveSettings effective) {
        if (!options.enabled() || device.isEmpty() || effective.frequency() < 0) {
            return List.of();
        }
        long id = device.get().id();
        Optional<Subnet> seat = seats.seatOf(id);
        if (seat.isEmpty()) {
            return List.of();
        }
        seats.markAsked(id);
        int latency = settings.ownOrLargestOfGroups(id, Parameter.IPDISCOVER_LATENCY).orElse(options.latency());
        return List.of(new PrologOption("IPDISCOVER", List.of(new PrologOption.Param(seat.get().address(),
                List.of("IPDISC_LAT", Integer.toString(latency)))), true, true));
    }

    /** Every subnet with registered devices or discovered hosts, by address. */
    public CompletableFuture<List<SubnetSummary>> subnets() {
        return reader.read(DiscoveryQueries::subnets);
    }

    /** Discovered hosts, by address: all, or those of one subnet, optionally only the unmanaged ones. */
    public CompletableFuture<List<DiscoveredHost>> hosts(Optional<String> subnet, boolean unmanagedOnly) {
        return hosts(subnet, unmanagedOnly, Integer.MAX_VALUE, 0);
    }

    /** The same, one page at a time. */
    public CompletableFuture<List<DiscoveredHost>> hosts(Optional<String> subnet, boolean unmanagedOnly, int limit,
                                                         int offset) {
        if (limit < 1 || offset < 0) {
            return CompletableFuture.failedFuture(new NetworkException(NetworkException.Kind.INVALID,
                    "limit/offset: " + limit + "/" + offset + " (expected: limit 1 or more, offset 0 or more)"));
        }
        Optional<Subnet> parsed;
        try {
            parsed = subnet.map(Subnet::parse);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new NetworkException(NetworkException.Kind.INVALID, e.getMessage()));
        }
        return reader.read(c -> DiscoveryQueries.hosts(c, parsed, unmanagedOnly, limit, offset));
    }

    /** A device's policy, seat and subnets. */
    public CompletableFuture<DeviceDiscovery> device(String deviceId) {
        return reader.read(c -> DiscoveryQueries.device(c, require(c, deviceId), deviceId));
    }

    /** Forces a device to discover its primary subnet (the one of its default route). */
    public CompletableFuture<DeviceDiscovery> elect(String deviceId) {
        return change(deviceId, (c, id) -> {
            List<Subnet> subnets = DiscoveryStore.subnets(c, id);
            if (subnets.isEmpty()) {
                throw new NetworkException(NetworkException.Kind.INVALID, "deviceid: " + deviceId + " (expected: a "
                        + "device whose inventory has an IPv4 interface on a /16 to /30 subnet)");
            }
            DiscoveryStore.setPolicy(c, id, Election.Policy.FORCED, Optional.of(subnets.get(0)));
        });
    }

    /** Forces a device to discover one of its subnets, given as CIDR. */
    public CompletableFuture<DeviceDiscovery> elect(String deviceId, String subnetCidr) {
        Subnet subnet;
        try {
            subnet = Subnet.parse(subnetCidr);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new NetworkException(NetworkException.Kind.INVALID, e.getMessage()));
        }
        return change(deviceId, (c, id) -> {
            List<Subnet> subnets = DiscoveryStore.subnets(c, id);
            if (!subnets.contains(subnet)) {
                throw new NetworkException(NetworkException.Kind.INVALID, "subnet: " + subnetCidr + " (expected: one "
                        + "of the subnets of " + deviceId + ": " + (subnets.isEmpty() ? "none" : subnets) + ")");
            }
            DiscoveryStore.setPolicy(c, id, Election.Policy.FORCED, Optional.of(subnet));
        });
    }

    /** Never elects this device (OCS "not an ipdiscover agent"); it leaves its seat at once. */
    public CompletableFuture<DeviceDiscovery> forbid(String deviceId) {
        return change(deviceId, (c, id) -> DiscoveryStore.setPolicy(c, id, Election.Policy.FORBIDDEN, Optional.empty()));
    }

    /** Back to the automatic election (a forced device keeps its seat only if it would win it anyway). */
    public CompletableFuture<DeviceDiscovery> clear(String deviceId) {
        return change(deviceId, (c, id) -> DiscoveryStore.setPolicy(c, id, Election.Policy.AUTO, Optional.empty()));
    }

    /** What {@link #expire()} did. */
    public record Expired(int hosts, int seats) {}

    /**
     * Forgets hosts not reported for ipdiscover.host.retention and re-decides every subnet that has seats, so that
     * devices not inventoried for IPDISCOVER_MAX_ALIVE days lose theirs to others. Runs every hour; callable at any
     * time (tests move the clock instead of waiting).
     */
    public CompletableFuture<Expired> expire() {
        long now = clock.millis();
        return writer.submit(c -> {
            int hosts = DiscoveryStore.expireHosts(c, now - options.hostRetention().toMillis());
            Map<Long, Optional<Subnet>> changes = new ElectionRound(c, options, now)
                    .decide(DiscoveryStore.decidedSubnets(c)).changes();
            return new Round(new Expired(hosts, (int) changes.values().stream().filter(Optional::isEmpty).count()),
                    changes);
        }).thenApply(round -> {
            seats.apply(round.changes());
            if (round.expired().hosts() > 0 || round.expired().seats() > 0) {
                log.info("IpDiscover expiry: {} hosts not seen for {} forgotten, {} seats lost",
                        round.expired().hosts(), options.hostRetention(), round.expired().seats());
            }
            return round.expired();
        });
    }

    private record Round(Expired expired, Map<Long, Optional<Subnet>> changes) {}

    /** A policy change and its outcome. */
    private record Changed(DeviceDiscovery device, Map<Long, Optional<Subnet>> changes) {}

    @FunctionalInterface
    private interface PolicyChange {
        void apply(Connection c, long deviceRowId) throws SQLException;
    }

    private CompletableFuture<DeviceDiscovery> change(String deviceId, PolicyChange change) {
        long now = clock.millis();
        return writer.submit(c -> {
            long id = require(c, deviceId);
            DiscoveryStore.State before = DiscoveryStore.state(c, id);
            change.apply(c, id);
            DiscoveryStore.State after = DiscoveryStore.state(c, id);
            Set<Subnet> affected = new LinkedHashSet<>(DiscoveryStore.subnets(c, id));
            before.electedSubnet().ifPresent(affected::add);
            before.forcedSubnet().ifPresent(affected::add);
            after.forcedSubnet().ifPresent(affected::add);
            Map<Long, Optional<Subnet>> changes = new ElectionRound(c, options, now).decide(affected).changes();
            return new Changed(DiscoveryQueries.device(c, id, deviceId), changes);
        }).thenApply(changed -> {
            seats.apply(changed.changes());
            log.info("IpDiscover: {} set to {} by the admin", deviceId, changed.device().policy());
            return changed.device();
        });
    }

    private static long require(Connection c, String deviceId) throws SQLException {
        return DiscoveryStore.deviceRowId(c, deviceId).orElseThrow(() -> NetworkException.unknownDevice(deviceId));
    }

    /** Stops the expiry schedule (the store is closed by its owner). */
    @Override
    public void close() {
        expiry.shutdownNow();
    }
}
