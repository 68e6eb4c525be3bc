package org.teledeploy.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
