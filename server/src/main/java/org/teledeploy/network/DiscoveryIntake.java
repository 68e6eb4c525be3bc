package org.teledeploy.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.config.DiscoveryOptions;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.registry.Inventory;
import org.teledeploy.registry.InventoryTrigger;

/**
 * What network discovery does with every inventory, inside its transaction: record the device's subnets, link
 * discovered hosts with the device's MACs (they are managed now), store the hosts an elected device reports, and
 * re-decide the seats of the device's subnets.
 *
 * <p>As in OCS ({@code _ipdiscover_read_result}), only a device elected (automatically or forced) reads into the
 * host table; a section from any other device is ignored. Unlike OCS, which files every host under the subnet the
 * device was elected for, each host goes to the reporting device's subnet that contains its address: the Unix agent
 * scans its default route's interface whatever subnet it was given, so its hosts may belong to another one; a host
 * in none of the device's subnets (a stale inventory, a lie) is skipped.
 */
final class DiscoveryIntake implements InventoryTrigger {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryIntake.class);

    private final DiscoveryOptions options;
    private final SeatIndex seats;

    DiscoveryIntake(DiscoveryOptions options, SeatIndex seats) {
        this.options = options;
        this.seats = seats;
    }

    @Override
    public Runnable afterInventory(Connection c, long deviceId, long now) throws SQLException {
        return afterInventory(c, deviceId, Optional.empty(), now);
    }

    @Override
    public Runnable afterInventory(Connection c, long deviceId, Optional<XmlNode> content, long now)
            throws SQLException {
        List<Inventory.Network> networks = DiscoveryStore.networks(c, deviceId);
        String gateway = content.flatMap(x -> x.path("HARDWARE")).map(h -> h.valueOrEmpty("DEFAULTGATEWAY")).orElse("");
        List<Subnet> subnets = InterfaceSubnets.derive(networks, gateway);
        List<Subnet> previous = DiscoveryStore.subnets(c, deviceId);
        DiscoveryStore.replaceSubnets(c, deviceId, subnets, previous);
        Set<String> macs = new HashSet<>();
        for (Inventory.Network n : networks) {
            DiscoverySection.normalizeMac(n.macAddress()).ifPresent(macs::add);
        }
        DiscoveryStore.relink(c, deviceId, macs);
        boolean asked = seats.answered(deviceId);
        if (!options.enabled()) {
            return () -> { };
        }
        DiscoveryStore.State state = DiscoveryStore.state(c, deviceId);
        if (state.electedSubnet().isPresent()) {
            DiscoverySection.Parsed parsed = DiscoverySection.read(content, options.maxHostsPerInventory());
            if (parsed.present()) {
                store(c, deviceId, state.electedSubnet().get(), subnets, parsed, now);
            } else if (asked && state.policy() == Election.Policy.AUTO) {
                DiscoveryStore.markUnable(c, deviceId, now);
                log.info("IpDiscover: {} was asked to discover {} and its inventory has no IPDISCOVER section (its "
                        + "agent cannot scan: not root, no ipdiscover or nmap?); another device gets the seat",
                        DiscoveryStore.deviceIdOf(c, deviceId), state.electedSubnet().get());
            }
        } else if (content.flatMap(x -> x.child("IPDISCOVER")).isPresent()) {
            log.debug("IpDiscover: ignoring the IPDISCOVER section of {}, which is not elected",
                    DiscoveryStore.deviceIdOf(c, deviceId));
        }
        Set<Subnet> affected = new LinkedHashSet<>(subnets);
        affected.addAll(previous);
        state.electedSubnet().ifPresent(affected::add);
        state.forcedSubnet().ifPresent(affected::add);
        Map<Long, Optional<Subnet>> changes = new ElectionRound(c, options, now).decide(affected).changes();
        return () -> seats.apply(changes);
    }

    private void store(Connection c, long deviceId, Subnet elected, List<Subnet> subnets,
                       DiscoverySection.Parsed parsed, long now) throws SQLException {
        List<Subnet> homes = new ArrayList<>();
        homes.add(elected);
        subnets.stream().filter(s -> !s.equals(elected)).forEach(homes::add);
        int stored = 0;
        int outside = 0;
        try (PreparedStatement ps = c.prepareStatement(DiscoveryStore.UPSERT_HOST)) {
            for (DiscoverySection.Host host : parsed.hosts()) {
                Optional<Subnet> home = homes.stream().filter(s -> s.contains(host.ipNumber())
                        && host.ipNumber() != s.network() && host.ipNumber() != s.broadcast()).findFirst();
                if (home.isEmpty()) {
                    outside++;
                    continue;
                }
                DiscoveryStore.upsertHost(ps, home.get(), host, deviceId, now);
                stored++;
            }
            ps.executeBatch();
        }
        String device = DiscoveryStore.deviceIdOf(c, deviceId);
        if (parsed.overLimit() > 0) {
            log.warn("IpDiscover: {} reported {} hosts; only the first {} were read (limit.ipdiscover.hosts)",
                    device, parsed.hosts().size() + parsed.skipped() + parsed.overLimit(), options.maxHostsPerInventory());
        }
        log.info("IpDiscover: {} discovered {} hosts for {} ({} malformed, {} outside its subnets)", device, stored,
                elected, parsed.skipped(), outside);
    }
}
