package org.teledeploy.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's SQL, run by the store writer (writes) or a store reader (reads) with their connection and
 * transaction. Stateless.
 */
final class DeviceStore {

    private static final Logger log = LoggerFactory.getLogger(DeviceStore.class);

    private DeviceStore() {}

    /** Every device's summary, to build the in-memory index at start. */
    static List<DeviceSummary> loadSummaries(Connection c) throws SQLException {
        Map<Long, Set<String>> histories = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, package_id FROM device_download_history")) {
            while (rs.next()) {
                histories.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        List<DeviceSummary> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, deviceid, first_contact, last_contact, "
                     + "COALESCE(last_inventory, 0), COALESCE(user_agent, '') FROM devices")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                out.add(new DeviceSummary(id, rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getString(6), histories.getOrDefault(id, Set.of())));
            }
        }
        return out;
    }

    /**
     * A PROLOG of a known device: last contact and User-Agent, and the contact statistics OCS keeps for the
     * IpDiscover election (OCS {@code Server/Communication.pm}: FIDELITY, the number of contacts, and QUALITY, the
     * running average of the days between two contacts; the smaller, the more often the device calls in).
     */
    static final String UPDATE_CONTACT = "UPDATE devices SET contact_quality = CASE WHEN contacts > 1 "
            + "THEN (MAX(0, ?1 - last_contact) / 86400000.0 + contact_quality * contacts) / (contacts + 1) "
            + "ELSE MAX(0, ?1 - last_contact) / 86400000.0 END, contacts = contacts + 1, "
            + "last_contact = ?1, user_agent = ?2 WHERE id = ?3";

    static void bindContact(PreparedStatement ps, long id, long now, String userAgent) throws SQLException {
        ps.setLong(1, now);
        ps.setString(2, userAgent);
        ps.setLong(3, id);
    }

    /** Result of {@link #storeInventory}: the new summary, and the DEVICEID merged into it, if any. */
    record Stored(DeviceSummary summary, Optional<String> mergedDeviceId) {}

    /**
     * Creates or updates a device from an inventory, in the caller's transaction. With an OLD_DEVICEID naming
     * another known device, that device is merged into this one first (§2.3): its row is renamed when the new
     * DEVICEID is unknown (everything attached follows), otherwise its reports are moved and it is deleted.
     */
    static Stored storeInventory(Connection c, String deviceId, String userAgent, Inventory inv, long now,
                                 boolean replaceHistory) throws SQLException {
        Optional<String> merged = Optional.empty();
        if (inv.oldDeviceId().isPresent() && !inv.oldDeviceId().get().equals(deviceId)) {
            merged = merge(c, inv.oldDeviceId().get(), deviceId, now);
        }
        long id;
        long firstContact;
        String previousHash = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, first_contact, software_hash FROM devices WHERE deviceid = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    id = rs.getLong(1);
                    firstContact = rs.getLong(2);
                    previousHash = rs.getString(3);
                } else {
                    id = -1;
                    firstContact = now;
                }
            }
        }
        String softwareHash = softwareHash(inv.software());
        if (id < 0) {
            id = insertDevice(c, deviceId, now);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET name = ?, os_name = ?, os_version = ?, "
                + "os_comments = ?, arch = ?, ip_address = ?, user_id = ?, workgroup = ?, user_domain = ?, tag = ?, "
                + "serial = ?, manufacturer = ?, model = ?, uuid = ?, user_agent = ?, last_contact = ?, "
                + "last_inventory = ?, software_count = ?, software_hash = ? WHERE id = ?")) {
            int i = 1;
            for (String v : List.of(inv.name(), inv.osName(), inv.osVersion(), inv.osComments(), inv.arch(),
                    inv.ipAddress(), inv.userId(), inv.workgroup(), inv.userDomain(), inv.tag(), inv.serial(),
                    inv.manufacturer(), inv.model(), inv.uuid(), userAgent)) {
                ps.setString(i++, v);
            }
            ps.setLong(i++, now);
            ps.setLong(i++, now);
            ps.setInt(i++, inv.software().size());
            ps.setString(i++, softwareHash);
            ps.setLong(i, id);
            ps.executeUpdate();
        }
        replaceNetworks(c, id, inv.networks());
        if (!softwareHash.equals(previousHash)) {
            replaceSoftware(c, id, inv.software());
        }
        if (replaceHistory) {
            replaceHistory(c, id, inv.downloadHistory());
        }
        Set<String> history = replaceHistory
                ? new HashSet<>(inv.downloadHistory()) : loadHistory(c, id);
        return new Stored(new DeviceSummary(id, deviceId, firstContact, now, now, userAgent, history), merged);
    }

    private static long insertDevice(Connection c, String deviceId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO devices (deviceid, first_contact, last_contact) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, deviceId);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static Optional<String> merge(Connection c, String oldDeviceId, String newDeviceId, long now)
            throws SQLException {
        Long oldId = idOf(c, oldDeviceId);
        if (oldId == null) {
            return Optional.empty();
        }
        Long newId = idOf(c, newDeviceId);
        if (newId == null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET deviceid = ? WHERE id = ?")) {
                ps.setString(1, newDeviceId);
                ps.setLong(2, oldId);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE id = ?")) {
                ps.setLong(1, oldId);
                ps.executeUpdate();
            }
        }
        // Tables keyed by DEVICEID text follow the machine too. (Assignments, when they exist, must move here.)
        try (PreparedStatement ps = c.prepareStatement("UPDATE download_reports SET deviceid = ? WHERE deviceid = ?")) {
            ps.setString(1, newDeviceId);
            ps.setString(2, oldDeviceId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO device_merges (old_deviceid, new_deviceid, merged_at) VALUES (?, ?, ?)")) {
            ps.setString(1, oldDeviceId);
            ps.setString(2, newDeviceId);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
        log.info("Device {} merged into {} (OLD_DEVICEID)", oldDeviceId, newDeviceId);
        return Optional.of(oldDeviceId);
    }

    private static Long idOf(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM devices WHERE deviceid = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void replaceNetworks(Connection c, long id, List<Inventory.Network> networks) throws SQLException {
        deleteFor(c, "device_networks", id);
        if (networks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_networks (device_id, description, "
                + "ip_address, ip_mask, ip_subnet, ip_gateway, mac_address, status, type) VALUES (?,?,?,?,?,?,?,?,?)")) {
            for (Inventory.Network n : networks) {
                ps.setLong(1, id);
                ps.setString(2, n.description());
                ps.setString(3, n.ipAddress());
                ps.setString(4, n.ipMask());
                ps.setString(5, n.ipSubnet());
                ps.setString(6, n.ipGateway());
                ps.setString(7, n.macAddress());
                ps.setString(8, n.status());
                ps.setString(9, n.type());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void replaceSoftware(Connection c, long id, List<Inventory.Software> software) throws SQLException {
        deleteFor(c, "device_software", id);
        try (PreparedStatement find = c.prepareStatement(
                     "SELECT id FROM software WHERE name = ? AND version = ? AND publisher = ? AND arch = ?");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO software (name, version, publisher, arch) VALUES (?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS);
             PreparedStatement link = c.prepareStatement(
                     "INSERT OR IGNORE INTO device_software (device_id, software_id) VALUES (?, ?)")) {
            for (Inventory.Software s : software) {
                long softwareId = -1;
                bind(find, s);
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        softwareId = rs.getLong(1);
                    }
                }
                if (softwareId < 0) {
                    bind(insert, s);
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        softwareId = keys.getLong(1);
                    }
                }
                link.setLong(1, id);
                link.setLong(2, softwareId);
                link.addBatch();
            }
            link.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, Inventory.Software s) throws SQLException {
        ps.setString(1, s.name());
        ps.setString(2, s.version());
        ps.setString(3, s.publisher());
        ps.setString(4, s.arch());
    }

    private static void replaceHistory(Connection c, long id, List<String> packageIds) throws SQLException {
        deleteFor(c, "device_download_history", id);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO device_download_history (device_id, package_id) VALUES (?, ?)")) {
            for (String packageId : packageIds) {
                ps.setLong(1, id);
                ps.setString(2, packageId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Set<String> loadHistory(Connection c, long id) throws SQLException {
        Set<String> history = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT package_id FROM device_download_history WHERE device_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    history.add(rs.getString(1));
                }
            }
        }
        return history;
    }

    private static void deleteFor(Connection c, String table, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE device_id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Order-sensitive digest of a software list: an unchanged list (the common case) is not rewritten. */
    static String softwareHash(List<Inventory.Software> software) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Inventory.Software s : software) {
                for (String v : List.of(s.name(), s.version(), s.publisher(), s.arch())) {
                    md.update(v.getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                }
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole stored record of a device, or empty. */
    static Optional<DeviceRecord> load(Connection c, String deviceId) throws SQLException {
        DeviceSummary summary;
        String[] f = new String[14];
        int softwareCount;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, deviceid, first_contact, last_contact, "
                + "COALESCE(last_inventory, 0), COALESCE(user_agent, ''), name, os_name, os_version, os_comments, "
                + "arch, ip_address, user_id, workgroup, user_domain, tag, serial, manufacturer, model, uuid, "
                + "software_count FROM devices WHERE deviceid = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                summary = new DeviceSummary(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getString(6), Set.of());
                for (int i = 0; i < f.length; i++) {
                    String v = rs.getString(7 + i);
                    f[i] = v == null ? "" : v;
                }
                softwareCount = rs.getInt(21);
            }
        }
        long id = summary.id();
        List<Inventory.Network> networks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT description, ip_address, ip_mask, ip_subnet, "
                + "ip_gateway, mac_address, status, type FROM device_networks WHERE device_id = ? ORDER BY rowid")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    networks.add(new Inventory.Network(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        List<Inventory.Software> software = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.name, s.version, s.publisher, s.arch FROM "
                + "device_software d JOIN software s ON s.id = d.software_id WHERE d.device_id = ? ORDER BY s.name")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    software.add(new Inventory.Software(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4)));
                }
            }
        }
        List<String> history = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT package_id FROM device_download_history WHERE device_id = ? ORDER BY package_id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    history.add(rs.getString(1));
                }
            }
        }
        summary = new DeviceSummary(summary.id(), summary.deviceId(), summary.firstContact(), summary.lastContact(),
                summary.lastInventory(), summary.userAgent(), new HashSet<>(history));
        Inventory inventory = new Inventory(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10],
                f[11], f[12], f[13], networks, software, history, Optional.empty());
        return Optional.of(new DeviceRecord(summary, inventory, softwareCount));
    }
}
