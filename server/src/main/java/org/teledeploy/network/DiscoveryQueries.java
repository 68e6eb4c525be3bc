package org.teledeploy.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reads behind the discovery views ({@link SubnetSummary}, {@link DiscoveredHost}, {@link DeviceDiscovery}).
 * Stateless; run on a store reader (or the writer, to answer a change with its outcome).
 */
final class DiscoveryQueries {

    private DiscoveryQueries() {}

    /** Every subnet that has a registered device or a discovered host, by address. */
    static List<SubnetSummary> subnets(Connection c) throws SQLException {
        Map<Subnet, long[]> counts = new TreeMap<>();
        Map<Subnet, List<SubnetSummary.ElectedDevice>> elected = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT subnet, COUNT(*) FROM device_subnets GROUP BY subnet")) {
            while (rs.next()) {
                counts.computeIfAbsent(Subnet.parse(rs.getString(1)), k -> new long[3])[0] = rs.getLong(2);
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT subnet, COUNT(*), COUNT(device_id) FROM discovered_hosts GROUP BY subnet")) {
            while (rs.next()) {
                long[] n = counts.computeIfAbsent(Subnet.parse(rs.getString(1)), k -> new long[3]);
                n[1] = rs.getLong(2);
                n[2] = rs.getLong(3);
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.elected_subnet, d.deviceid, p.policy FROM ipdiscover_devices p "
                     + "JOIN devices d ON d.id = p.device_id WHERE p.elected_subnet IS NOT NULL ORDER BY d.deviceid")) {
            while (rs.next()) {
                Subnet subnet = Subnet.parse(rs.getString(1));
                counts.computeIfAbsent(subnet, k -> new long[3]);
                elected.computeIfAbsent(subnet, k -> new ArrayList<>()).add(new SubnetSummary.ElectedDevice(
                        rs.getString(2), DiscoveryStore.policy(rs.getString(3)) == Election.Policy.FORCED));
            }
        }
        List<SubnetSummary> out = new ArrayList<>(counts.size());
        counts.forEach((subnet, n) -> out.add(new SubnetSummary(subnet.cidr(), (int) n[0],
                elected.getOrDefault(subnet, List.of()), (int) n[1], (int) n[2], (int) (n[1] - n[2]))));
        return out;
    }

    /** Discovered hosts by address, optionally of one subnet and only those without an agent. */
    static List<DiscoveredHost> hosts(Connection c, Optional<Subnet> subnet, boolean unmanagedOnly, int limit,
                                      int offset) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT h.subnet, h.ip, h.mac, h.mask, h.name, h.first_seen, "
                + "h.last_seen, r.deviceid, m.deviceid FROM discovered_hosts h LEFT JOIN devices r ON r.id = "
                + "h.reporter_id LEFT JOIN devices m ON m.id = h.device_id WHERE 1 = 1");
        if (subnet.isPresent()) {
            sql.append(" AND h.subnet = ?");
        }
        if (unmanagedOnly) {
            sql.append(" AND h.device_id IS NULL");
        }
        sql.append(" ORDER BY h.ip_number, h.subnet, h.mac LIMIT ? OFFSET ?");
        List<DiscoveredHost> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (subnet.isPresent()) {
                ps.setString(i++, subnet.get().cidr());
            }
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DiscoveredHost(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7), Optional.ofNullable(rs.getString(8)),
                            Optional.ofNullable(rs.getString(9))));
                }
            }
        }
        return out;
    }

    static DeviceDiscovery device(Connection c, long id, String deviceId) throws SQLException {
        DiscoveryStore.State state = DiscoveryStore.state(c, id);
        List<String> subnets = DiscoveryStore.subnets(c, id).stream().map(Subnet::cidr).toList();
        return new DeviceDiscovery(deviceId, state.policy(), state.forcedSubnet().map(Subnet::cidr),
                state.electedSubnet().map(Subnet::cidr), subnets, state.unableSince());
    }
}
