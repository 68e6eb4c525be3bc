package org.teledeploy.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members, in memory, of the groups whose parameters PROLOG replies need (groups that carry settings), so
 * that a device's groups are found without a query per PROLOG. Kept current by {@link Groups} after each commit
 * that changes a membership: static members added or excluded, a dynamic group re-evaluated after an inventory,
 * a group deleted. Groups without settings are not tracked: their assignments are already per device.
 */
final class GroupMemberships {

    private final Map<Long, Set<Long>> members = new ConcurrentHashMap<>();

    void track(long groupId, Collection<Long> deviceIds) {
        Set<Long> set = ConcurrentHashMap.newKeySet();
        set.addAll(deviceIds);
        members.put(groupId, set);
    }

    void untrack(long groupId) {
        members.remove(groupId);
    }

    boolean isTracked(long groupId) {
        return members.containsKey(groupId);
    }

    /** Records whether a device is a member of a tracked group (no-op for groups not tracked). */
    void set(long groupId, long deviceId, boolean member) {
        Set<Long> set = members.get(groupId);
        if (set == null) {
            return;
        }
        if (member) {
            set.add(deviceId);
        } else {
            set.remove(deviceId);
        }
    }

    /** The tracked groups {@code deviceId} belongs to. */
    List<Long> groupsOf(long deviceId) {
        List<Long> groups = new ArrayList<>(2);
        members.forEach((group, set) -> {
            if (set.contains(deviceId)) {
                groups.add(group);
            }
        });
        return groups;
    }
}
