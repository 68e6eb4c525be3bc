package org.teledeploy.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

/**
 * The deployment operations an admin performs (OCS "activate", "affect", "affect again", "force", "unassign",
 * "deactivate"): each writes to the store first and updates the {@link DeploymentIndex} once committed, so
 * what PROLOGs offer never runs ahead of what survives a restart. Devices are given by their row ids; the
 * selection (DEVICEIDs, searches, groups) is resolved by the caller.
 */
public final class Deployments {

    private static final Logger log = LoggerFactory.getLogger(Deployments.class);

    private final StoreWriter writer;
    private final DeploymentIndex index;
    private final Clock clock;

    private Deployments(StoreWriter writer, DeploymentIndex index, Clock clock) {
        this.writer = writer;
        this.index = index;
        this.clock = clock;
    }

    /** Builds the index from the store (blocking; at start only). */
    public static Deployments load(StoreWriter writer, StoreReader reader, DeploymentIndex index, Clock clock) {
        int[] counts = reader.readNow(c -> {
            int activations = 0;
            int pending = 0;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT package_id, fragments, info_loc, pack_loc, cert_path, cert_file, "
                         + "activated_at FROM activations")) {
                while (rs.next()) {
                    index.putActivation(new Activation(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7)));
                    activations++;
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT device_id, package_id, state, COALESCE(state_at, 0), force, "
                         + "schedule, post_command FROM assignments WHERE state IS NULL OR state = 'NOTIFIED'")) {
                // Package IDs and post commands repeat across the fleet: one String each, not one per assignment.
                Map<String, String> strings = new HashMap<>();
                while (rs.next()) {
                    boolean notified = rs.getString(3) != null;
                    index.putPending(new PendingAssignment(rs.getLong(1), strings.computeIfAbsent(rs.getString(2),
                            v -> v), notified, notified ? rs.getLong(4) : 0, rs.getInt(5) == 1,
                            parseNotBefore(rs.getString(6)), strings.computeIfAbsent(rs.getString(7), v -> v)));
                    pending++;
                }
            }
            return new int[] {activations, pending};
        });
        log.info("Deployments loaded: {} activated packages, {} assignments waiting or notified", counts[0], counts[1]);
        return new Deployments(writer, index, clock);
    }

    public DeploymentIndex index() {
        return index;
    }

    /** Activates (or moves) a package: from now on it is offered to devices assigned to it. */
    public CompletableFuture<Activation> activate(String packageId, int fragments, String infoLocation,
                                                  String packLocation) {
        Activation activation = new Activation(packageId, fragments, infoLocation, packLocation,
                Activation.DEFAULT_CERT_PATH, Activation.DEFAULT_CERT_FILE, clock.millis());
        return writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO activations (package_id, fragments, "
                    + "info_loc, pack_loc, cert_path, cert_file, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, packageId);
                ps.setInt(2, fragments);
                ps.setString(3, infoLocation);
                ps.setString(4, packLocation);
                ps.setString(5, activation.certPath());
                ps.setString(6, activation.certFile());
                ps.setLong(7, activation.activatedAt());
                ps.executeUpdate();
            }
            return activation;
        }).thenApply(a -> {
            index.putActivation(a);
            log.info("Package {} activated: info {} fragments {}", packageId, infoLocation, packLocation);
            return a;
        });
    }

    /**
     * Deactivates a package: it is no longer offered. Assignments keep their states (statistics stay readable);
     * agents that already have the info file keep working on it (no recall exists, §5.3).
     *
     * @return whether it was active
     */
    public CompletableFuture<Boolean> deactivate(String packageId) {
        return writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM activations WHERE package_id = ?")) {
                ps.setString(1, packageId);
                return ps.executeUpdate() > 0;
            }
        }).thenApply(removed -> {
            index.removeActivation(packageId);
            return removed;
        });
    }

    /**
     * Forgets a package being deleted: its activation, every assignment (device and group) and its timeline.
     *
     * @return how many device assignments were removed
     */
    public CompletableFuture<Integer> forget(String packageId) {
        return writer.submit(c -> {
            int removed;
            try (PreparedStatement activation = c.prepareStatement("DELETE FROM activations WHERE package_id = ?");
                 PreparedStatement assignments = c.prepareStatement("DELETE FROM assignments WHERE package_id = ?");
                 PreparedStatement groups = c.prepareStatement("DELETE FROM group_assignments WHERE package_id = ?");
                 PreparedStatement events = c.prepareStatement("DELETE FROM deployment_events WHERE package_id = ?")) {
                for (PreparedStatement ps : List.of(activation, assignments, groups, events)) {
                    ps.setString(1, packageId);
                }
                activation.executeUpdate();
                removed = assignments.executeUpdate();
                groups.executeUpdate();
                events.executeUpdate();
            }
            return removed;
        }).thenApply(removed -> {
            index.removeActivation(packageId);
            index.removePackage(packageId);
            log.info("Package {} forgotten: {} assignments removed", packageId, removed);
            return removed;
        });
    }

    /**
     * Stops offering a package whose files are broken, in memory only: its activation stays in the store so that
     * statistics and the admin still see it.
     */
    public void suspend(String packageId) {
        if (index.activation(packageId).isPresent()) {
            index.removeActivation(packageId);
            log.error("Package {} is activated but broken: not offered until it is deleted and rebuilt", packageId);
        }
    }

    /** What an assignment command did. */
    public record Assigned(int created, int alreadyAssigned) {}

    /**
     * Assigns a package to devices (state: waiting). Devices already assigned to it keep their state (use
     * {@link #affectAgain} to reset).
     *
     * @param origin where it came from, for display: {@code device}, {@code search:<expr>}, {@code group:<name>}
     */
    public CompletableFuture<Assigned> assign(String packageId, Collection<Long> deviceIds, AssignOptions options,
                                              String origin) {
        long now = clock.millis();
        return writer.submit(c -> insertAssignments(c, packageId, deviceIds, options, origin, now))
                .thenApply(created -> {
                    for (Long deviceId : created) {
                        index.putPending(new PendingAssignment(deviceId, packageId, false, 0, options.force(),
                                options.notBeforeMillis(), options.postCommand()));
                    }
                    return new Assigned(created.size(), deviceIds.size() - created.size());
                });
    }

    /** Inserts missing assignments in the caller's transaction; returns the device ids newly assigned. */
    static List<Long> insertAssignments(Connection c, String packageId, Collection<Long> deviceIds,
                                        AssignOptions options, String origin, long now) throws SQLException {
        List<Long> created = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO assignments (device_id, package_id, "
                + "assigned_at, force, schedule, post_command, origin) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Long deviceId : deviceIds) {
                ps.setLong(1, deviceId);
                ps.setString(2, packageId);
                ps.setLong(3, now);
                ps.setInt(4, options.force() ? 1 : 0);
                ps.setString(5, options.notBefore().map(Object::toString).orElse(""));
                ps.setString(6, options.postCommand());
                ps.setString(7, origin);
                if (ps.executeUpdate() > 0) {
                    created.add(deviceId);
                    DeploymentLog.event(c, deviceId, packageId, now, "assigned", origin);
                }
            }
        }
        return created;
    }

    /**
     * "Affect again" / "force": the assignment of each device is reset to waiting, so the next PROLOG offers the
     * package again; with {@code force}, even to agents that have it in their history (FORCE="1").
     *
     * @return how many assignments were reset
     */
    public CompletableFuture<Integer> affectAgain(String packageId, Collection<Long> deviceIds, AssignOptions options) {
        long now = clock.millis();
        return writer.submit(c -> {
            List<Long> reset = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE assignments SET state = NULL, state_at = ?, "
                    + "force = ?, schedule = ?, post_command = ? WHERE device_id = ? AND package_id = ?")) {
                for (Long deviceId : deviceIds) {
                    ps.setLong(1, now);
                    ps.setInt(2, options.force() ? 1 : 0);
                    ps.setString(3, options.notBefore().map(Object::toString).orElse(""));
                    ps.setString(4, options.postCommand());
                    ps.setLong(5, deviceId);
                    ps.setString(6, packageId);
                    if (ps.executeUpdate() > 0) {
                        reset.add(deviceId);
                        DeploymentLog.event(c, deviceId, packageId, now, "reset", options.force() ? "forced" : "affect again");
                    }
                }
            }
            return reset;
        }).thenApply(reset -> {
            for (Long deviceId : reset) {
                index.putPending(new PendingAssignment(deviceId, packageId, false, 0, options.force(),
                        options.notBeforeMillis(), options.postCommand()));
            }
            return reset.size();
        });
    }

    /**
     * Removes assignments: the package is no longer offered to those devices.
     *
     * @param onlyWaiting remove only those not yet notified ("unassign not notified": really stops new
     *     notifications while devices already at work finish and report)
     * @return how many were removed
     */
    public CompletableFuture<Integer> unassign(String packageId, Collection<Long> deviceIds, boolean onlyWaiting) {
        return writer.submit(c -> {
            List<Long> removed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM assignments WHERE device_id = ? AND package_id = ?"
                    + (onlyWaiting ? " AND state IS NULL" : ""))) {
                for (Long deviceId : deviceIds) {
                    ps.setLong(1, deviceId);
                    ps.setString(2, packageId);
                    if (ps.executeUpdate() > 0) {
                        removed.add(deviceId);
                    }
                }
            }
            return removed;
        }).thenApply(removed -> {
            removed.forEach(deviceId -> index.removePending(deviceId, packageId));
            return removed.size();
        });
    }

    /**
     * "Unassign not notified" for every device: removes each assignment of the package still waiting, so no new
     * device is notified, while devices already at work finish and report.
     *
     * @return how many were removed
     */
    public CompletableFuture<Integer> unassignAllWaiting(String packageId) {
        return writer.submit(c -> assignedDevices(c, packageId, true))
                .thenCompose(waiting -> unassign(packageId, waiting, true));
    }

    /**
     * "Affect again" for every device whose state matches {@code pattern} ({@code *} matches any characters,
     * {@code ?} one; {@code ""} matches waiting), e.g. {@code ERR_*} after fixing a broken package.
     *
     * @return how many assignments were reset
     */
    public CompletableFuture<Integer> affectAgainWhere(String packageId, String pattern, AssignOptions options) {
        if (pattern.length() > 200 || !pattern.matches("[A-Za-z0-9_*?\\-]*")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("status: " + pattern
                    + " (expected: a result code pattern such as ERR_* or EXIT_CODE_*)"));
        }
        return writer.submit(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM assignments WHERE package_id = ? AND "
                    + (pattern.isEmpty() ? "state IS NULL" : "state GLOB ?"))) {
                ps.setString(1, packageId);
                if (!pattern.isEmpty()) {
                    ps.setString(2, pattern);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        }).thenCompose(ids -> affectAgain(packageId, ids, options));
    }

    /** Device row ids assigned to a package, optionally only those still waiting. */
    public static List<Long> assignedDevices(Connection c, String packageId, boolean onlyWaiting) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM assignments WHERE package_id = ?"
                + (onlyWaiting ? " AND state IS NULL" : ""))) {
            ps.setString(1, packageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static long parseNotBefore(String schedule) {
        return schedule == null || schedule.isEmpty() ? 0 : java.time.Instant.parse(schedule).toEpochMilli();
    }
}
