package org.teledeploy.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.store.StoreReader;

/** Reads for admins: statistics per package, the devices behind a number, a device's timeline. Off the event loop. */
public final class DeploymentQueries {

    private final StoreReader reader;

    public DeploymentQueries(StoreReader reader) {
        this.reader = reader;
    }

    public CompletableFuture<PackageStatistics> statistics(String packageId) {
        return reader.read(c -> statistics(c, packageId));
    }

    static PackageStatistics statistics(Connection c, String packageId) throws SQLException {
        Map<String, Integer> byState = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(state, ''), COUNT(*) FROM assignments WHERE package_id = ? GROUP BY 1")) {
            ps.setString(1, packageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return new PackageStatistics(packageId, byState);
    }

    /** One package's statistics and, among its NOTIFIED devices, how many are downloading. */
    public record Funnel(PackageStatistics statistics, int downloading) {}

    /**
     * The statistics of every package that has assignments, with, per package, the NOTIFIED devices that are
     * downloading: those with an info-file or fragment event in their timeline since they were notified (the
     * timeline is in the store, so this survives restarts and is read in the same statement as the states).
     * One statement, hence one consistent snapshot, grouped exactly as {@link #statistics(String)} groups one
     * package: the metrics' funnel and the statistics API cannot disagree.
     */
    public CompletableFuture<Map<String, Funnel>> funnels() {
        return reader.read(c -> {
            Map<String, Map<String, Integer>> byPackage = new TreeMap<>();
            Map<String, Integer> downloading = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.package_id, COALESCE(a.state, ''), COUNT(*), "
                    + "SUM(CASE WHEN a.state = ? THEN EXISTS (SELECT 1 FROM deployment_events e "
                    + "WHERE e.device_id = a.device_id AND e.package_id = a.package_id AND e.at >= a.state_at "
                    + "AND e.event IN (?, ?)) ELSE 0 END) FROM assignments a GROUP BY 1, 2")) {
                ps.setString(1, DeploymentLog.NOTIFIED);
                ps.setString(2, DownloadTimeline.INFO_EVENT);
                ps.setString(3, DownloadTimeline.FRAGMENT_EVENT);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String packageId = rs.getString(1);
                        byPackage.computeIfAbsent(packageId, k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
                        downloading.merge(packageId, rs.getInt(4), Integer::sum);
                    }
                }
            }
            Map<String, Funnel> out = new TreeMap<>();
            byPackage.forEach((packageId, states) -> out.put(packageId,
                    new Funnel(new PackageStatistics(packageId, states), downloading.getOrDefault(packageId, 0))));
            return out;
        });
    }

    /**
     * Statistics of every package that has assignments, by package ID, from the rows {@link #statistics(String)}
     * counts (one query: a page listing every package shows the same numbers as each package's statistics).
     */
    public CompletableFuture<Map<String, PackageStatistics>> statistics() {
        return reader.read(c -> {
            Map<String, Map<String, Integer>> byPackage = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT package_id, COALESCE(state, ''), COUNT(*) FROM assignments GROUP BY 1, 2");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byPackage.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).merge(rs.getString(2),
                            rs.getInt(3), Integer::sum);
                }
            }
            Map<String, PackageStatistics> out = new TreeMap<>();
            byPackage.forEach((packageId, states) -> out.put(packageId, new PackageStatistics(packageId, states)));
            return out;
        });
    }

    /** Statistics of every package assigned through a group, over the assignments it made (origin group:name). */
    public CompletableFuture<Map<String, PackageStatistics>> groupStatistics(String groupName) {
        return reader.read(c -> {
            Map<String, Map<String, Integer>> byPackage = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT package_id, COALESCE(state, ''), COUNT(*) "
                    + "FROM assignments WHERE origin = ? GROUP BY 1, 2")) {
                ps.setString(1, "group:" + groupName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byPackage.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
                    }
                }
            }
            Map<String, PackageStatistics> out = new TreeMap<>();
            byPackage.forEach((packageId, states) -> out.put(packageId, new PackageStatistics(packageId, states)));
            return out;
        });
    }

    /**
     * What assigning a package to these devices would do, without doing it: how many would be newly assigned and
     * how many already are.
     */
    public CompletableFuture<Deployments.Assigned> dryRun(String packageId, Collection<Long> deviceIds) {
        return reader.read(c -> {
            int already = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM assignments WHERE device_id = ? AND package_id = ?")) {
                for (Long deviceId : new HashSet<>(deviceIds)) {
                    ps.setLong(1, deviceId);
                    ps.setString(2, packageId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            already++;
                        }
                    }
                }
            }
            int distinct = new HashSet<>(deviceIds).size();
            return new Deployments.Assigned(distinct - already, already);
        });
    }

    /** Every activation as stored (broken packages' too, which memory no longer offers), by package ID. */
    public CompletableFuture<Map<String, Activation>> activations() {
        return reader.read(c -> {
            Map<String, Activation> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(ACTIVATION_COLUMNS);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Activation a = activation(rs);
                    out.put(a.packageId(), a);
                }
            }
            return out;
        });
    }

    /** A package's stored activation, if it is activated. */
    public CompletableFuture<Optional<Activation>> activation(String packageId) {
        return reader.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ACTIVATION_COLUMNS + " WHERE package_id = ?")) {
                ps.setString(1, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(activation(rs)) : Optional.empty();
                }
            }
        });
    }

    private static final String ACTIVATION_COLUMNS = "SELECT package_id, fragments, info_loc, pack_loc, cert_path, "
            + "cert_file, activated_at FROM activations";

    private static Activation activation(ResultSet rs) throws SQLException {
        return new Activation(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7));
    }

    /** One device behind a statistics number. */
    public record DeviceState(String deviceId, String name, String state, long stateAt) {}

    /** The devices of a package in one bucket, by DEVICEID. */
    public CompletableFuture<List<DeviceState>> devices(String packageId, PackageStatistics.Bucket bucket) {
        return reader.read(c -> {
            List<DeviceState> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT d.deviceid, COALESCE(d.name, ''), "
                    + "COALESCE(a.state, ''), COALESCE(a.state_at, a.assigned_at) FROM assignments a "
                    + "JOIN devices d ON d.id = a.device_id WHERE a.package_id = ? ORDER BY d.deviceid")) {
                ps.setString(1, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (PackageStatistics.Bucket.of(rs.getString(3)) == bucket) {
                            out.add(new DeviceState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** One line of a device's timeline. */
    public record TimelineEntry(long at, String packageId, String event, String detail) {}

    /** Everything that happened to a device's packages, oldest first. */
    public CompletableFuture<List<TimelineEntry>> timeline(String deviceId) {
        return reader.read(c -> {
            List<TimelineEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT e.at, e.package_id, e.event, e.detail FROM "
                    + "deployment_events e JOIN devices d ON d.id = e.device_id WHERE d.deviceid = ? "
                    + "ORDER BY e.at, e.id")) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TimelineEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    /** One assignment of a device: the package, its state ("" = waiting) and since when. */
    public record Assignment(String packageId, String state, long stateAt) {}

    /** Every assignment of a device (by DEVICEID), by package ID; empty for an unknown device. */
    public CompletableFuture<List<Assignment>> assignments(String deviceId) {
        return reader.read(c -> {
            List<Assignment> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.package_id, COALESCE(a.state, ''), "
                    + "COALESCE(a.state_at, a.assigned_at) FROM assignments a JOIN devices d ON d.id = a.device_id "
                    + "WHERE d.deviceid = ? ORDER BY a.package_id")) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Assignment(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /** The current state of one assignment ("" = waiting), or null when the device is not assigned. */
    public CompletableFuture<String> state(String deviceId, String packageId) {
        return reader.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(a.state, '') FROM assignments a "
                    + "JOIN devices d ON d.id = a.device_id WHERE d.deviceid = ? AND a.package_id = ?")) {
                ps.setString(1, deviceId);
                ps.setString(2, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
