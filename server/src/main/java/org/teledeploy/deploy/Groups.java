package org.teledeploy.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.registry.DeviceSearch;
import org.teledeploy.registry.InventoryTrigger;
import org.teledeploy.store.StoreException;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

/**
 * Static and dynamic groups of devices (shared/ocs-protocol.md §7.1–§7.2) and packages assigned to them.
 *
 * <p>Membership: statically included, or matched by the group's search (dynamic groups), and not statically
 * excluded. Assigning a package to a group gives every current member its own assignment (origin
 * {@code group:<name>}), so each device has a state, a timeline and a place in the statistics, as OCS's trace
 * rows do. Members who join later get it too: at {@link #addMembers} for static groups, and for dynamic groups
 * at their next inventory ({@link #afterInventory}, in the inventory's own transaction), hence offered at the
 * PROLOG after it.
 */
public final class Groups implements InventoryTrigger {

    /** A group; {@code search} is present for dynamic groups. */
    public record Group(long id, String name, Optional<String> search) {}

    private final StoreWriter writer;
    private final StoreReader reader;
    private final DeploymentIndex index;
    private final Clock clock;
    private final Settings settings;

    public Groups(StoreWriter writer, StoreReader reader, DeploymentIndex index, Clock clock, Settings settings) {
        this.settings = settings;
        this.writer = writer;
        this.reader = reader;
        this.index = index;
        this.clock = clock;
    }

    /**
     * Creates a group: static when {@code search} is empty, dynamic otherwise. Fails with a {@link GroupException}
     * ({@link GroupException.Kind#CONFLICT}) when the name is taken; every call naming a group that does not exist
     * fails with one of kind {@link GroupException.Kind#NOT_FOUND}.
     */
    public CompletableFuture<Group> create(String name, Optional<DeviceSearch> search) {
        if (name == null || name.isBlank() || name.length() > 255) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "group name: \"" + name + "\" (expected: 1-255 characters)"));
        }
        long now = clock.millis();
        return writer.submit(c -> {
            if (find(c, name).isPresent()) {
                throw GroupException.exists(name);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO groups (name, expression, created_at) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, search.map(DeviceSearch::expression).orElse(null));
                ps.setLong(3, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Group(keys.getLong(1), name, search.map(DeviceSearch::expression));
                }
            }
        });
    }

    /** Adds static members (removing any exclusion); they get the group's packages at once. */
    public CompletableFuture<Integer> addMembers(String name, Collection<Long> deviceIds) {
        return changeMembers(name, deviceIds, false);
    }

    /** Excludes devices: they leave the group even if its search matches them (their assignments stay). */
    public CompletableFuture<Integer> exclude(String name, Collection<Long> deviceIds) {
        return changeMembers(name, deviceIds, true);
    }

    private CompletableFuture<Integer> changeMembers(String name, Collection<Long> deviceIds, boolean excluded) {
        long now = clock.millis();
        return writer.submit(c -> {
            Group group = require(c, name);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO group_members (group_id, device_id, excluded) VALUES (?, ?, ?)")) {
                for (Long deviceId : deviceIds) {
                    ps.setLong(1, group.id());
                    ps.setLong(2, deviceId);
                    ps.setInt(3, excluded ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return new Changed(group.id(), excluded ? List.of() : expand(c, group, deviceIds, now));
        }).thenApply(changed -> {
            changed.created().forEach(index::putPending);
            deviceIds.forEach(d -> settings.membership(changed.groupId(), d, !excluded));
            return deviceIds.size();
        });
    }

    /** Deletes a group and its package assignments; device assignments made through it keep their states. */
    public CompletableFuture<Boolean> delete(String name) {
        return writer.submit(c -> {
            Optional<Group> group = find(c, name);
            if (group.isEmpty()) {
                return Optional.<Long>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM groups WHERE id = ?")) {
                ps.setLong(1, group.get().id());
                ps.executeUpdate();
            }
            return Optional.of(group.get().id());
        }).thenApply(deleted -> {
            deleted.ifPresent(settings::groupDeleted);
            return deleted.isPresent();
        });
    }

    public CompletableFuture<List<Group>> list() {
        return reader.read(Groups::listGroups);
    }

    private static List<Group> listGroups(Connection c) throws SQLException {
        List<Group> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, expression FROM groups ORDER BY name")) {
            while (rs.next()) {
                out.add(new Group(rs.getLong(1), rs.getString(2), Optional.ofNullable(rs.getString(3))));
            }
        }
        return out;
    }

    /** A group and how many members it has now. */
    public record Summary(Group group, int members) {}

    /** Every group with its member count, by name. */
    public CompletableFuture<List<Summary>> summaries() {
        return reader.read(c -> {
            List<Summary> out = new ArrayList<>();
            for (Group group : listGroups(c)) {
                out.add(new Summary(group, members(c, group, null).size()));
            }
            return out;
        });
    }

    /** One group with its member count; fails with {@link GroupException} when there is none of that name. */
    public CompletableFuture<Summary> summary(String name) {
        return reader.read(c -> {
            Group group = require(c, name);
            return new Summary(group, members(c, group, null).size());
        });
    }

    /** The names of the groups a device belongs to now (included or matched, and not excluded), by name. */
    public CompletableFuture<List<String>> groupsOf(long deviceId) {
        return reader.read(c -> {
            List<String> names = new ArrayList<>();
            for (Group group : listGroups(c)) {
                if (!members(c, group, deviceId).isEmpty()) {
                    names.add(group.name());
                }
            }
            return names;
        });
    }

    /** Current members' device row ids. */
    public CompletableFuture<List<Long>> members(String name) {
        return reader.read(c -> members(c, require(c, name), null));
    }

    /** Devices matching a search now (one-shot selection, e.g. for "deploy --where"). */
    public CompletableFuture<List<Long>> select(DeviceSearch search) {
        return reader.read(c -> query(c, "SELECT d.id FROM devices d WHERE " + search.sql() + " ORDER BY d.id",
                search.parameters()));
    }

    /** Assigns a package to a group: every current member gets it now, later members when they join. */
    public CompletableFuture<Deployments.Assigned> assign(String packageId, String name, AssignOptions options) {
        long now = clock.millis();
        return writer.submit(c -> {
            Group group = require(c, name);
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO group_assignments (group_id, "
                    + "package_id, force, schedule, post_command, assigned_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, group.id());
                ps.setString(2, packageId);
                ps.setInt(3, options.force() ? 1 : 0);
                ps.setString(4, options.notBefore().map(Object::toString).orElse(""));
                ps.setString(5, options.postCommand());
                ps.setLong(6, now);
                ps.executeUpdate();
            }
            List<Long> members = members(c, group, null);
            return new Expanded(Deployments.insertAssignments(c, packageId, members, options, origin(group), now),
                    members.size());
        }).thenApply(result -> {
            for (Long deviceId : result.created()) {
                index.putPending(new PendingAssignment(deviceId, packageId, false, 0, options.force(),
                        options.notBeforeMillis(), options.postCommand()));
            }
            return new Deployments.Assigned(result.created().size(), result.members() - result.created().size());
        });
    }

    /**
     * Removes a package from a group: no new member gets it, and the members' assignments made through the group
     * are removed (only those not yet notified when {@code onlyWaiting}).
     */
    public CompletableFuture<Integer> unassign(String packageId, String name, boolean onlyWaiting) {
        return writer.submit(c -> {
            Group group = require(c, name);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM group_assignments WHERE group_id = ? AND package_id = ?")) {
                ps.setLong(1, group.id());
                ps.setString(2, packageId);
                ps.executeUpdate();
            }
            List<Long> removed = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT device_id FROM assignments WHERE package_id = ? "
                    + "AND origin = ?" + (onlyWaiting ? " AND state IS NULL" : ""));
                 PreparedStatement delete = c.prepareStatement(
                         "DELETE FROM assignments WHERE package_id = ? AND device_id = ?")) {
                select.setString(1, packageId);
                select.setString(2, origin(group));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        removed.add(rs.getLong(1));
                    }
                }
                for (Long deviceId : removed) {
                    delete.setString(1, packageId);
                    delete.setLong(2, deviceId);
                    delete.executeUpdate();
                }
            }
            return removed;
        }).thenApply(removed -> {
            removed.forEach(deviceId -> index.removePending(deviceId, packageId));
            return removed.size();
        });
    }

    /** A membership change and the assignments it created. */
    private record Changed(long groupId, List<PendingAssignment> created) {}

    /** Devices newly assigned by a group assignment, out of its members. */
    private record Expanded(List<Long> created, int members) {}

    /**
     * Re-evaluates, for the device just inventoried, the dynamic groups that matter: those with package
     * assignments (a new member gets them) and those with parameters (its PROLOG replies change).
     */
    @Override
    public Runnable afterInventory(Connection c, long deviceId, long now) throws SQLException {
        List<PendingAssignment> created = new ArrayList<>();
        List<Group> dynamic = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT g.id, g.name, g.expression, EXISTS (SELECT 1 FROM group_assignments"
                     + " ga WHERE ga.group_id = g.id) FROM groups g WHERE g.expression IS NOT NULL")) {
            while (rs.next()) {
                if (rs.getBoolean(4) || settings.isTracked(rs.getLong(1))) {
                    dynamic.add(new Group(rs.getLong(1), rs.getString(2), Optional.of(rs.getString(3))));
                }
            }
        }
        List<Long> memberOf = new ArrayList<>();
        List<Long> notMemberOf = new ArrayList<>();
        for (Group group : dynamic) {
            if (!members(c, group, deviceId).isEmpty()) {
                created.addAll(expand(c, group, List.of(deviceId), now));
                memberOf.add(group.id());
            } else {
                notMemberOf.add(group.id());
            }
        }
        return () -> {
            created.forEach(index::putPending);
            memberOf.forEach(g -> settings.membership(g, deviceId, true));
            notMemberOf.forEach(g -> settings.membership(g, deviceId, false));
        };
    }

    /** Gives {@code deviceIds} every package assigned to the group; returns the new pending assignments. */
    private static List<PendingAssignment> expand(Connection c, Group group, Collection<Long> deviceIds, long now)
            throws SQLException {
        List<PendingAssignment> created = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT package_id, force, schedule, post_command FROM "
                + "group_assignments WHERE group_id = ?")) {
            ps.setLong(1, group.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String packageId = rs.getString(1);
                    String schedule = rs.getString(3);
                    AssignOptions options = new AssignOptions(rs.getInt(2) == 1, schedule.isEmpty() ? Optional.empty()
                            : Optional.of(java.time.Instant.parse(schedule)), rs.getString(4));
                    for (Long deviceId : Deployments.insertAssignments(c, packageId, deviceIds, options,
                            origin(group), now)) {
                        created.add(new PendingAssignment(deviceId, packageId, false, 0, options.force(),
                                options.notBeforeMillis(), options.postCommand()));
                    }
                }
            }
        }
        return created;
    }

    /** Members of a group, or only {@code onlyDevice} if it is one (null = all). */
    static List<Long> members(Connection c, Group group, Long onlyDevice) throws SQLException {
        String excluded = "NOT EXISTS (SELECT 1 FROM group_members x WHERE x.group_id = ? AND x.device_id = d.id "
                + "AND x.excluded = 1)";
        String included = "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = ? AND m.device_id = d.id "
                + "AND m.excluded = 0)";
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT d.id FROM devices d WHERE ");
        if (group.search().isPresent()) {
            DeviceSearch search = DeviceSearch.parse(group.search().get());
            sql.append("(").append(search.sql()).append(" OR ").append(included).append(")");
            params.addAll(search.parameters());
        } else {
            sql.append(included);
        }
        params.add(group.id());
        sql.append(" AND ").append(excluded);
        params.add(group.id());
        if (onlyDevice != null) {
            sql.append(" AND d.id = ?");
            params.add(onlyDevice);
        }
        return query(c, sql.append(" ORDER BY d.id").toString(), params);
    }

    private static List<Long> query(Connection c, String sql, List<?> params) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static Optional<Group> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, expression FROM groups WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Group(rs.getLong(1), rs.getString(2),
                        Optional.ofNullable(rs.getString(3)))) : Optional.empty();
            }
        }
    }

    static Group require(Connection c, String name) throws SQLException {
        return find(c, name).orElseThrow(() -> GroupException.notFound(name));
    }

    static Group byId(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, expression FROM groups WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no group with id " + id);
                }
                return new Group(rs.getLong(1), rs.getString(2), Optional.ofNullable(rs.getString(3)));
            }
        }
    }

    private static String origin(Group group) {
        return "group:" + group.name();
    }
}
