package org.teledeploy.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.store.StoreReader;

/**
 * The registry reads admins need and PROLOGs never do: pages of devices matching a search, devices by row id,
 * and the resolution of what an admin types (a DEVICEID or a machine name) into row ids. Everything runs on the
 * store's reader threads and returns a future, so the admin listener never blocks its event loop.
 */
public final class DeviceQueries {

    /** Largest page {@link #list} returns. */
    public static final int MAX_LIMIT = 1000;

    /** Row ids per {@code IN (...)} list: far below SQLite's bound-parameter limit. */
    private static final int CHUNK = 500;

    private static final String COLUMNS = "SELECT d.id, d.deviceid, COALESCE(d.name, ''), COALESCE(d.os_name, ''), "
            + "COALESCE(d.os_version, ''), COALESCE(d.user_agent, ''), COALESCE(d.ip_address, ''), "
            + "COALESCE(d.tag, ''), d.first_contact, d.last_contact, COALESCE(d.last_inventory, 0), "
            + "d.software_count FROM devices d";

    private final StoreReader reader;

    public DeviceQueries(StoreReader reader) {
        this.reader = reader;
    }

    /**
     * What an admin sees of a device in a list.
     *
     * @param id the row id
     * @param lastInventory epoch milliseconds, 0 if none
     */
    public record DeviceRow(long id, String deviceId, String name, String os, String osVersion, String userAgent,
                            String ip, String tag, long firstContact, long lastContact, long lastInventory,
                            int softwareCount) {}

    /** One page of a list, and how many devices match in all. */
    public record Page(int total, List<DeviceRow> devices) {}

    /**
     * Devices matching {@code search} (all when empty), by DEVICEID, {@code limit} of them from {@code offset}.
     */
    public CompletableFuture<Page> list(Optional<DeviceSearch> search, int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit/offset: " + limit + "/" + offset
                    + " (expected: limit 1 to " + MAX_LIMIT + ", offset 0 or more)"));
        }
        String where = search.map(s -> " WHERE " + s.sql()).orElse("");
        List<String> parameters = search.map(DeviceSearch::parameters).orElse(List.of());
        return reader.read(c -> {
            int total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM devices d" + where)) {
                bind(ps, parameters);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getInt(1);
                }
            }
            List<DeviceRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + where + " ORDER BY d.deviceid LIMIT ? OFFSET ?")) {
                bind(ps, parameters);
                ps.setInt(parameters.size() + 1, limit);
                ps.setInt(parameters.size() + 2, offset);
                readRows(ps, rows);
            }
            return new Page(total, rows);
        });
    }

    /** One device by DEVICEID. */
    public CompletableFuture<Optional<DeviceRow>> find(String deviceId) {
        return reader.read(c -> {
            List<DeviceRow> rows = new ArrayList<>(1);
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE d.deviceid = ?")) {
                ps.setString(1, deviceId);
                readRows(ps, rows);
            }
            return rows.stream().findFirst();
        });
    }

    /** Devices by row id (those that no longer exist are left out), by DEVICEID. */
    public CompletableFuture<List<DeviceRow>> rows(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        return reader.read(c -> {
            List<DeviceRow> rows = new ArrayList<>(all.size());
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE d.id IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setLong(i + 1, chunk.get(i));
                    }
                    readRows(ps, rows);
                }
            }
            rows.sort(Comparator.comparing(DeviceRow::deviceId));
            return rows;
        });
    }

    /**
     * What a list of DEVICEIDs or machine names designates.
     *
     * @param ids the row ids, in the order given, without repeats
     * @param unknown the entries that name no device
     * @param ambiguous entries that are no DEVICEID but the name of several devices, with their DEVICEIDs
     */
    public record Resolution(List<Long> ids, List<String> unknown, Map<String, List<String>> ambiguous) {}

    /**
     * Resolves each entry as a DEVICEID first, else as a machine name (case-insensitive), which must then be
     * the name of exactly one device.
     */
    public CompletableFuture<Resolution> resolve(List<String> devicesOrNames) {
        List<String> entries = List.copyOf(devicesOrNames);
        return reader.read(c -> {
            Set<Long> ids = new LinkedHashSet<>();
            List<String> unknown = new ArrayList<>();
            Map<String, List<String>> ambiguous = new LinkedHashMap<>();
            for (String entry : entries) {
                List<Long> byId = new ArrayList<>();
                List<String> names = new ArrayList<>();
                lookUp(c, "SELECT id, deviceid FROM devices WHERE deviceid = ?", entry, byId, names);
                if (byId.isEmpty()) {
                    lookUp(c, "SELECT id, deviceid FROM devices WHERE name = ? COLLATE NOCASE ORDER BY deviceid",
                            entry, byId, names);
                }
                if (byId.isEmpty()) {
                    unknown.add(entry);
                } else if (byId.size() > 1) {
                    ambiguous.put(entry, names);
                } else {
                    ids.add(byId.get(0));
                }
            }
            return new Resolution(List.copyOf(ids), unknown, ambiguous);
        });
    }

    private static void lookUp(Connection c, String sql, String value, List<Long> ids, List<String> deviceIds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    deviceIds.add(rs.getString(2));
                }
            }
        }
    }

    private static void bind(PreparedStatement ps, List<String> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setString(i + 1, parameters.get(i));
        }
    }

    private static void readRows(PreparedStatement ps, List<DeviceRow> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DeviceRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                        rs.getLong(10), rs.getLong(11), rs.getInt(12)));
            }
        }
    }
}
