package org.teledeploy.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.teledeploy.config.OcsOptions;
import org.teledeploy.registry.DeviceSummary;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

/**
 * Per-device and per-group OCS parameters (shared/ocs-protocol.md §7.3), stored and held in memory, and the
 * {@link EffectiveSettings} of each PROLOG computed from them without touching the store.
 */
public final class Settings {

    private final StoreWriter writer;
    private final OcsOptions ocs;
    private final GroupMemberships memberships = new GroupMemberships();
    private final EffectiveSettings global;
    private final Map<Long, Map<Parameter, Integer>> devices = new ConcurrentHashMap<>();
    private final Map<Long, Map<Parameter, Integer>> groups = new ConcurrentHashMap<>();

    private Settings(StoreWriter writer, OcsOptions ocs) {
        this.writer = writer;
        this.ocs = ocs;
        this.global = EffectiveSettings.global(ocs);
    }

    /** Loads every parameter and the members of the groups that have some (blocking; at start only). */
    public static Settings load(StoreWriter writer, StoreReader reader, OcsOptions ocs) {
        Settings settings = new Settings(writer, ocs);
        reader.readNow(c -> {
            settings.readInto(c, "SELECT device_id, name, value FROM device_settings", settings.devices);
            settings.readInto(c, "SELECT group_id, name, value FROM group_settings", settings.groups);
            for (Long group : settings.groups.keySet()) {
                settings.memberships.track(group, Groups.members(c, Groups.byId(c, group), null));
            }
            return null;
        });
        return settings;
    }

    private void readInto(Connection c, String sql, Map<Long, Map<Parameter, Integer>> target) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                target.computeIfAbsent(rs.getLong(1), k -> new EnumMap<>(Parameter.class))
                        .put(Parameter.valueOf(rs.getString(2)), rs.getInt(3));
            }
        }
    }

    /** What this device's PROLOG is answered with; from memory. */
    public EffectiveSettings effective(Optional<DeviceSummary> device) {
        if (device.isEmpty()) {
            return global;
        }
        long id = device.get().id();
        Map<Parameter, Integer> own = devices.getOrDefault(id, Map.of());
        List<Map<Parameter, Integer>> groupValues = new ArrayList<>();
        for (Long group : memberships.groupsOf(id)) {
            Map<Parameter, Integer> values = groups.get(group);
            if (values != null) {
                groupValues.add(values);
            }
        }
        return own.isEmpty() && groupValues.isEmpty() ? global : EffectiveSettings.resolve(ocs, own, groupValues);
    }

    /**
     * The value of one parameter for a device, by the OCS rule for latencies: its own non-zero value, else the
     * largest non-zero value among its groups; empty when neither sets it (the server value applies). From memory.
     */
    public OptionalInt ownOrLargestOfGroups(long deviceId, Parameter parameter) {
        Integer own = devices.getOrDefault(deviceId, Map.of()).get(parameter);
        if (own != null && own != 0) {
            return OptionalInt.of(own);
        }
        Integer best = null;
        for (Long group : memberships.groupsOf(deviceId)) {
            Integer v = groups.getOrDefault(group, Map.of()).get(parameter);
            if (v != null && v != 0 && (best == null || v > best)) {
                best = v;
            }
        }
        return best == null ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** A device's own parameters. */
    public Map<Parameter, Integer> ofDevice(long deviceId) {
        return Collections.unmodifiableMap(devices.getOrDefault(deviceId, Map.of()));
    }

    /** A group's parameters. */
    public CompletableFuture<Map<Parameter, Integer>> ofGroup(String group) {
        return writer.submit(c -> Groups.require(c, group).id())
                .thenApply(id -> Collections.unmodifiableMap(groups.getOrDefault(id, Map.of())));
    }

    /** Sets (or with an empty value clears) one parameter of a device. */
    public CompletableFuture<Void> setDevice(long deviceId, Parameter parameter, OptionalInt value) {
        value.ifPresent(parameter::validate);
        return writer.submit(c -> {
            write(c, "device_settings", "device_id", deviceId, parameter, value);
            return null;
        }).thenRun(() -> update(devices, deviceId, parameter, value));
    }

    /**
     * Sets (or clears) one parameter of a group. The first parameter of a group starts tracking its members in
     * memory; clearing the last one stops it.
     */
    public CompletableFuture<Void> setGroup(String group, Parameter parameter, OptionalInt value) {
        value.ifPresent(parameter::validate);
        return writer.submit(c -> {
            Groups.Group g = Groups.require(c, group);
            write(c, "group_settings", "group_id", g.id(), parameter, value);
            return new GroupChange(g.id(), memberships.isTracked(g.id()) ? null : Groups.members(c, g, null));
        }).thenAccept(change -> {
            long id = change.groupId();
            if (change.members() != null) {
                memberships.track(id, change.members());
            }
            update(groups, id, parameter, value);
            if (!groups.containsKey(id)) {
                memberships.untrack(id);
            }
        });
    }

    /** A group and, when it was read fresh for tracking, its members. */
    private record GroupChange(long groupId, List<Long> members) {}

    /** A deleted group's parameters go with it (the rows cascade). */
    void groupDeleted(long groupId) {
        groups.remove(groupId);
        memberships.untrack(groupId);
    }

    /** Whether PROLOGs need this group's members (it has parameters). */
    boolean isTracked(long groupId) {
        return memberships.isTracked(groupId);
    }

    /** A membership change committed by {@link Groups}. */
    void membership(long groupId, long deviceId, boolean member) {
        memberships.set(groupId, deviceId, member);
    }

    private static void write(Connection c, String table, String owner, long ownerId, Parameter parameter,
                              OptionalInt value) throws SQLException {
        String sql = value.isPresent()
                ? "INSERT OR REPLACE INTO " + table + " (" + owner + ", name, value) VALUES (?, ?, ?)"
                : "DELETE FROM " + table + " WHERE " + owner + " = ? AND name = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ownerId);
            ps.setString(2, parameter.name());
            if (value.isPresent()) {
                ps.setInt(3, value.getAsInt());
            }
            ps.executeUpdate();
        }
    }

    private static void update(Map<Long, Map<Parameter, Integer>> target, long owner, Parameter parameter,
                               OptionalInt value) {
        target.compute(owner, (k, current) -> {
            Map<Parameter, Integer> next = current == null ? new EnumMap<>(Parameter.class) : new EnumMap<>(current);
            if (value.isPresent()) {
                next.put(parameter, value.getAsInt());
            } else {
                next.remove(parameter);
            }
            return next.isEmpty() ? null : Collections.unmodifiableMap(next);
        });
    }
}
