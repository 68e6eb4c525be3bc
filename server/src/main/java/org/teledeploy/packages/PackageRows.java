package org.teledeploy.packages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The SQL of the {@code packages} and {@code package_ids} tables, run by the store's threads. */
final class PackageRows {

    private static final String COLUMNS = "id, name, description, os, protocol, priority, action, action_param, "
            + "notify_user, notify_text, notify_countdown, notify_can_abort, notify_can_delay, need_done_action, "
            + "need_done_action_text, post_command, fragment_size, digest, digest_algo, archive_size, fragments, "
            + "origin, created_at, updated_at, broken_reason";

    private PackageRows() {}

    /**
     * The next package ID: the Unix time in seconds, as OCS does (10 digits until 2286), or one more than the
     * highest ever issued or imported if that is larger, so IDs never repeat, even with a clock set back.
     */
    static String allocateId(Connection c, long nowMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE package_ids SET highest = MAX(highest + 1, ?) WHERE singleton = 1 RETURNING highest")) {
            ps.setLong(1, nowMillis / 1000);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Long.toString(rs.getLong(1));
            }
        }
    }

    /** Imported IDs count as issued. */
    static void reserveId(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE package_ids SET highest = MAX(highest, ?) WHERE singleton = 1")) {
            ps.setLong(1, Long.parseLong(id));
            ps.executeUpdate();
        }
    }

    /** Whether a row of that ID exists, deleted or not. */
    static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM packages WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void insert(Connection c, PackageRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO packages (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            PackageSpec s = r.spec();
            ps.setString(1, r.id());
            bindSpec(ps, 2, s);
            if (s.fragmentation().requestedSize() > 0 && r.origin().equals(PackageRecord.BUILT)) {
                ps.setLong(17, s.fragmentation().requestedSize());
            } else {
                ps.setNull(17, Types.INTEGER);
            }
            ps.setString(18, r.digest());
            ps.setString(19, s.digest().name());
            ps.setLong(20, r.archiveSize());
            ps.setInt(21, r.fragments());
            ps.setString(22, r.origin());
            ps.setLong(23, r.createdAt());
            ps.setLong(24, r.updatedAt());
            ps.setString(25, r.brokenReason().orElse(null));
            ps.executeUpdate();
        }
    }

    /** Rewrites the editable columns. */
    static void update(Connection c, PackageRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE packages SET name = ?, description = ?, os = ?, "
                + "protocol = ?, priority = ?, action = ?, action_param = ?, notify_user = ?, notify_text = ?, "
                + "notify_countdown = ?, notify_can_abort = ?, notify_can_delay = ?, need_done_action = ?, "
                + "need_done_action_text = ?, post_command = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")) {
            bindSpec(ps, 1, r.spec());
            ps.setLong(16, r.updatedAt());
            ps.setString(17, r.id());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("package " + r.id() + " vanished");
            }
        }
    }

    /** Binds name … post_command (15 columns) from {@code first}. */
    private static void bindSpec(PreparedStatement ps, int first, PackageSpec s) throws SQLException {
        Notification n = s.notification();
        int i = first;
        ps.setString(i++, s.name());
        ps.setString(i++, s.description());
        ps.setString(i++, s.os().name());
        ps.setString(i++, s.protocol().name());
        ps.setInt(i++, s.priority());
        ps.setString(i++, s.action().name());
        ps.setString(i++, s.actionParameter());
        ps.setInt(i++, n.notifiesUser() ? 1 : 0);
        ps.setString(i++, n.text());
        if (n.countdownSeconds().isPresent()) {
            ps.setInt(i++, n.countdownSeconds().getAsInt());
        } else {
            ps.setNull(i++, Types.INTEGER);
        }
        ps.setInt(i++, n.canAbort() ? 1 : 0);
        ps.setInt(i++, n.canDelay() ? 1 : 0);
        ps.setInt(i++, n.doneText().isEmpty() ? 0 : 1);
        ps.setString(i++, n.doneText());
        ps.setString(i, s.postCommand().packValue());
    }

    static void markDeleted(Connection c, String id, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE packages SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")) {
            ps.setLong(1, at);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    static void markBroken(Connection c, String id, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE packages SET broken_reason = ? WHERE id = ?")) {
            ps.setString(1, reason);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** Records the SHA-256 of fragment 1 … N of a package being inserted. */
    static void insertFragmentDigests(Connection c, String id, String[] digests) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fragment_digests (package_id, fragment, sha256) VALUES (?, ?, ?)")) {
            for (int i = 0; i < digests.length; i++) {
                ps.setString(1, id);
                ps.setInt(2, i + 1);
                ps.setString(3, digests[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Records the SHA-256 of fragment 1 … N of a package published before they were recorded. */
    static void replaceFragmentDigests(Connection c, String id, String[] digests) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM fragment_digests WHERE package_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        insertFragmentDigests(c, id, digests);
    }

    /**
     * The recorded fragment digests of every package not deleted: ID → SHA-256 of fragment 1 … N. Packages
     * published before they were recorded (schema version 5) are absent.
     */
    static Map<String, String[]> fragmentDigests(Connection c) throws SQLException {
        Map<String, List<String>> lists = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT d.package_id, d.fragment, d.sha256 FROM fragment_digests d "
                     + "JOIN packages p ON p.id = d.package_id WHERE p.deleted_at IS NULL "
                     + "ORDER BY d.package_id, d.fragment")) {
            while (rs.next()) {
                List<String> list = lists.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (rs.getInt(2) != list.size() + 1) {
                    throw new SQLException("fragment_digests of package " + rs.getString(1) + " skip fragment "
                            + (list.size() + 1));
                }
                list.add(rs.getString(3));
            }
        }
        Map<String, String[]> out = new HashMap<>();
        lists.forEach((id, list) -> out.put(id, list.toArray(new String[0])));
        return out;
    }

    /** Every row not deleted, in ID order. */
    static List<PackageRecord> live(Connection c) throws SQLException {
        List<PackageRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM packages WHERE deleted_at IS NULL ORDER BY id")) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /** IDs of deleted packages. */
    static List<String> deleted(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM packages WHERE deleted_at IS NOT NULL")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static PackageRecord read(ResultSet rs) throws SQLException {
        int countdown = rs.getInt(11);
        OptionalInt countdownSeconds = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(countdown);
        Notification notification = new Notification(rs.getString(10), countdownSeconds, rs.getInt(12) == 1,
                rs.getInt(13) == 1, rs.getString(15));
        long fragmentSize = rs.getLong(17);
        boolean bySize = !rs.wasNull();
        int fragments = rs.getInt(21);
        Fragmentation fragmentation = bySize ? Fragmentation.bySize(fragmentSize)
                : fragments > 0 ? Fragmentation.byCount(fragments) : Fragmentation.DEFAULT;
        PackageSpec spec = new PackageSpec(rs.getString(2), rs.getString(3), TargetOs.valueOf(rs.getString(4)),
                FragmentProtocol.valueOf(rs.getString(5)), rs.getInt(6), PackageAction.valueOf(rs.getString(7)),
                rs.getString(8), notification, PostCommand.fromPackValue(rs.getString(16)), fragmentation,
                DigestAlgorithm.valueOf(rs.getString(19)));
        return new PackageRecord(rs.getString(1), spec, rs.getString(18), rs.getLong(20), fragments,
                rs.getString(22), rs.getLong(23), rs.getLong(24), Optional.ofNullable(rs.getString(25)));
    }
}
