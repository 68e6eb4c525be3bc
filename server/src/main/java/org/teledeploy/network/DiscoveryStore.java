package org.teledeploy.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.teledeploy.registry.Inventory;

/**
 * The discovery tables' SQL for the store writer: device subnets, policies and seats, discovered hosts and their
 * link to registered devices. Stateless; every method runs in the caller's transaction.
 */
final class DiscoveryStore {

    /** A device's row in {@code ipdiscover_devices}, or the default (automatic, no seat). */
    record State(Election.Policy policy, Optional<Subnet> forcedSubnet, Optional<Subnet> electedSubnet,
                 long unableSince) {
        static final State DEFAULT = new State(Election.Policy.AUTO, Optional.empty(), Optional.empty(), 0);
    }

    private static final String CANDIDATE_COLUMNS = "d.id, COALESCE(d.user_agent, ''), d.contacts, d.contact_quality, "
            + "COALESCE(d.last_inventory, 0), d.first_contact, COALESCE(p.policy, 'auto'), p.forced_subnet, "
            + "p.elected_subnet, COALESCE(p.unable_since, 0), ds.is_primary";

    /** The normalized MAC expression device_networks is indexed on (V005). */
    static final String DEVICE_MAC = "lower(replace(mac_address, '-', ':'))";

    private DiscoveryStore() {}

    static Optional<Long> deviceRowId(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM devices WHERE deviceid = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    static String deviceIdOf(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT deviceid FROM devices WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "#" + id;
            }
        }
    }

    /** The device's NETWORKS as the registry stored them in this transaction. */
    static List<Inventory.Network> networks(Connection c, long deviceId) throws SQLException {
        List<Inventory.Network> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(description, ''), COALESCE(ip_address, ''), "
                + "COALESCE(ip_mask, ''), COALESCE(ip_subnet, ''), COALESCE(ip_gateway, ''), COALESCE(mac_address, ''), "
                + "COALESCE(status, ''), COALESCE(type, '') FROM device_networks WHERE device_id = ? ORDER BY rowid")) {
            ps.setLong(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Inventory.Network(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    /** The device's stored subnets, primary first. */
    static List<Subnet> subnets(Connection c, long deviceId) throws SQLException {
        List<Subnet> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT subnet FROM device_subnets WHERE device_id = ? ORDER BY is_primary DESC, subnet")) {
            ps.setLong(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Subnet.parse(rs.getString(1)));
                }
            }
        }
        return out;
    }

    /** Replaces the device's subnets (the first one is primary) when they changed. */
    static void replaceSubnets(Connection c, long deviceId, List<Subnet> subnets, List<Subnet> previous)
            throws SQLException {
        if (subnets.equals(previous)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM device_subnets WHERE device_id = ?")) {
            ps.setLong(1, deviceId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO device_subnets (device_id, subnet, is_primary) VALUES (?, ?, ?)")) {
            for (int i = 0; i < subnets.size(); i++) {
                ps.setLong(1, deviceId);
                ps.setString(2, subnets.get(i).cidr());
                ps.setInt(3, i == 0 ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Discovered hosts with one of these MACs are this device's (managed); hosts linked to it whose MAC it no
     * longer has go to another device with that MAC, or become unmanaged.
     */
    static void relink(Connection c, long deviceId, Set<String> macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE discovered_hosts SET device_id = ? WHERE mac = ? AND device_id IS NOT ?")) {
            for (String mac : macs) {
                ps.setLong(1, deviceId);
                ps.setString(2, mac);
                ps.setLong(3, deviceId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<String> lost = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT mac FROM discovered_hosts WHERE device_id = ?")) {
            ps.setLong(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!macs.contains(rs.getString(1))) {
                        lost.add(rs.getString(1));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE discovered_hosts SET device_id = (SELECT n.device_id "
                + "FROM device_networks n WHERE " + DEVICE_MAC.replace("mac_address", "n.mac_address") + " = ? "
                + "AND n.device_id <> ? LIMIT 1) WHERE device_id = ? AND mac = ?")) {
            for (String mac : lost) {
                ps.setString(1, mac);
                ps.setLong(2, deviceId);
                ps.setLong(3, deviceId);
                ps.setString(4, mac);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static State state(Connection c, long deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT policy, forced_subnet, elected_subnet, "
                + "COALESCE(unable_since, 0) FROM ipdiscover_devices WHERE device_id = ?")) {
            ps.setLong(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return State.DEFAULT;
                }
                return new State(policy(rs.getString(1)), subnet(rs.getString(2)), subnet(rs.getString(3)),
                        rs.getLong(4));
            }
        }
    }

    static void setPolicy(Connection c, long deviceId, Election.Policy policy, Optional<Subnet> forced)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ipdiscover_devices (device_id, policy, forced_subnet) "
                + "VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET policy = excluded.policy, "
                + "forced_subnet = excluded.forced_subnet, unable_since = NULL")) {
            ps.setLong(1, deviceId);
            ps.setString(2, policy.name().toLowerCase(Locale.ROOT));
            ps.setString(3, forced.map(Subnet::cidr).orElse(null));
            ps.executeUpdate();
        }
    }

    /** The device was asked to scan and its inventory carried no result. */
    static void markUnable(Connection c, long deviceId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ipdiscover_devices (device_id, unable_since) "
                + "VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET unable_since = excluded.unable_since")) {
            ps.setLong(1, deviceId);
            ps.setLong(2, now);
            ps.executeUpdate();
        }
    }

    /**
     * Upserts one reported host, keyed on (subnet, MAC), and links it to the registered device with that MAC.
     * An empty name does not erase a known one.
     */
    static void upsertHost(PreparedStatement ps, Subnet subnet, DiscoverySection.Host host, long reporter, long now)
            throws SQLException {
        ps.setString(1, subnet.cidr());
        ps.setString(2, host.mac());
        ps.setString(3, host.ip());
        ps.setLong(4, host.ipNumber());
        ps.setString(5, subnet.mask());
        ps.setString(6, host.name());
        ps.setLong(7, now);
        ps.setLong(8, now);
        ps.setLong(9, reporter);
        ps.setString(10, host.mac());
        ps.addBatch();
    }

    static final String UPSERT_HOST = "INSERT INTO discovered_hosts (subnet, mac, ip, ip_number, mask, name, "
            + "first_seen, last_seen, reporter_id, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "(SELECT device_id FROM device_networks WHERE " + DEVICE_MAC + " = ? LIMIT 1)) "
            + "ON CONFLICT (subnet, mac) DO UPDATE SET ip = excluded.ip, ip_number = excluded.ip_number, "
            + "mask = excluded.mask, name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END, "
            + "last_seen = excluded.last_seen, reporter_id = excluded.reporter_id, device_id = excluded.device_id";

    /**
     * The candidates that matter for one subnet: its seat holders, the devices forced for it, and the best
     * {@code best} automatic candidates by {@link Election#PREFERENCE} (more cannot win: at most IPDISCOVER seats).
     * The SQL filter mirrors {@link Election#isCandidate}, which still decides.
     */
    static List<Election.Candidate> candidates(Connection c, Subnet subnet, Election.Rules rules, long now, int best)
            throws SQLException {
        Map<Long, Election.Candidate> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CANDIDATE_COLUMNS + " FROM ipdiscover_devices p "
                + "JOIN devices d ON d.id = p.device_id LEFT JOIN device_subnets ds ON ds.device_id = d.id "
                + "AND ds.subnet = ?1 WHERE p.elected_subnet = ?1 OR (p.policy = 'forced' AND p.forced_subnet = ?1)")) {
            ps.setString(1, subnet.cidr());
            read(ps, subnet, out);
        }
        long oldest = now - rules.maxAliveMillis();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CANDIDATE_COLUMNS + " FROM device_subnets ds "
                + "JOIN devices d ON d.id = ds.device_id LEFT JOIN ipdiscover_devices p ON p.device_id = d.id "
                + "WHERE ds.subnet = ? AND COALESCE(p.policy, 'auto') = 'auto' AND p.elected_subnet IS NULL "
                + "AND COALESCE(d.last_inventory, 0) >= ? AND COALESCE(p.unable_since, 0) < ? "
                + "AND (? = 1 OR (d.contacts > 2 AND d.contact_quality > 0)) "
                + "AND (d.user_agent GLOB 'OCS-NG_WINDOWS_AGENT_v*' OR d.user_agent GLOB 'OCS-NG_windows_client_v*' "
                + "OR (d.user_agent GLOB 'OCS-NG_unified_unix_agent_v*' AND ds.is_primary = 1)) "
                + "ORDER BY d.contact_quality, d.contacts DESC, d.first_contact, d.id LIMIT ?")) {
            ps.setString(1, subnet.cidr());
            ps.setLong(2, oldest);
            ps.setLong(3, oldest);
            ps.setInt(4, rules.noPostpone() ? 1 : 0);
            ps.setInt(5, best);
            read(ps, subnet, out);
        }
        return new ArrayList<>(out.values());
    }

    private static void read(PreparedStatement ps, Subnet subnet, Map<Long, Election.Candidate> out)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                Election.Policy policy = policy(rs.getString(7));
                Optional<Subnet> forced = subnet(rs.getString(8));
                Optional<Subnet> elected = subnet(rs.getString(9));
                Object primary = rs.getObject(11);
                out.putIfAbsent(id, new Election.Candidate(id, rs.getString(2), rs.getInt(3), rs.getDouble(4),
                        rs.getLong(5), rs.getLong(6), policy, policy == Election.Policy.FORCED
                        && forced.equals(Optional.of(subnet)), primary != null, primary != null && rs.getInt(11) == 1,
                        elected.equals(Optional.of(subnet)), elected.isPresent() && !elected.get().equals(subnet),
                        rs.getLong(10)));
            }
        }
    }

    /** Gives a seat on {@code subnet} to a device (taking it from any other subnet). */
    static void seat(Connection c, long deviceId, Subnet subnet, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ipdiscover_devices (device_id, elected_subnet, "
                + "elected_at) VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET "
                + "elected_subnet = excluded.elected_subnet, elected_at = excluded.elected_at")) {
            ps.setLong(1, deviceId);
            ps.setString(2, subnet.cidr());
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    static void unseat(Connection c, long deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ipdiscover_devices SET elected_subnet = NULL, elected_at = NULL WHERE device_id = ?")) {
            ps.setLong(1, deviceId);
            ps.executeUpdate();
        }
    }

    /** Every subnet with a seat holder or a forced device: those an expiry round re-decides. */
    static Set<Subnet> decidedSubnets(Connection c) throws SQLException {
        Set<Subnet> out = new TreeSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT elected_subnet FROM ipdiscover_devices WHERE elected_subnet IS NOT "
                     + "NULL UNION SELECT forced_subnet FROM ipdiscover_devices WHERE policy = 'forced'")) {
            while (rs.next()) {
                subnet(rs.getString(1)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Device row id → the subnet it is elected for. */
    static Map<Long, Subnet> seats(Connection c) throws SQLException {
        Map<Long, Subnet> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT device_id, elected_subnet FROM ipdiscover_devices WHERE elected_subnet IS NOT NULL")) {
            while (rs.next()) {
                out.put(rs.getLong(1), Subnet.parse(rs.getString(2)));
            }
        }
        return out;
    }

    static int expireHosts(Connection c, long seenBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM discovered_hosts WHERE last_seen < ?")) {
            ps.setLong(1, seenBefore);
            return ps.executeUpdate();
        }
    }

    static Election.Policy policy(String stored) {
        return stored == null ? Election.Policy.AUTO : Election.Policy.valueOf(stored.toUpperCase(Locale.ROOT));
    }

    static Optional<Subnet> subnet(String cidr) {
        return cidr == null ? Optional.empty() : Optional.of(Subnet.parse(cidr));
    }
}
