package org.teledeploy.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What PROLOG decisions read, all in memory: activations by package, and per device the assignments that may
 * still be offered. Kept current by {@link Deployments} and the result path, after each commit; rebuilt from
 * the store at start. Per-device updates are atomic ({@link ConcurrentHashMap#compute}).
 *
 * <p>Also remembers the client address of each device's latest PROLOG, to attribute info and fragment
 * downloads (which carry no DEVICEID) to a device in its timeline.
 */
public final class DeploymentIndex {

    private final Map<String, Activation> activations = new ConcurrentHashMap<>();
    private final Map<Long, List<PendingAssignment>> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> deviceByAddress = new ConcurrentHashMap<>();

    public Optional<Activation> activation(String packageId) {
        return Optional.ofNullable(activations.get(packageId));
    }

    void putActivation(Activation activation) {
        activations.put(activation.packageId(), activation);
    }

    void removeActivation(String packageId) {
        activations.remove(packageId);
    }

    List<PendingAssignment> pending(long deviceId) {
        return pending.getOrDefault(deviceId, List.of());
    }

    /** Adds or replaces the pending assignment of (device, package). */
    void putPending(PendingAssignment assignment) {
        pending.compute(assignment.deviceId(), (k, list) -> {
            List<PendingAssignment> next = new ArrayList<>(list == null ? List.of() : list);
            next.removeIf(a -> a.packageId().equals(assignment.packageId()));
            next.add(assignment);
            return List.copyOf(next);
        });
    }

    /** The (device, package) assignment got a result or was removed: it is no longer offered. */
    void removePending(long deviceId, String packageId) {
        pending.computeIfPresent(deviceId, (k, list) -> {
            List<PendingAssignment> next = new ArrayList<>(list);
            next.removeIf(a -> a.packageId().equals(packageId));
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    /**
     * Waiting → NOTIFIED, only if (device, package) is still pending and not yet notified (an admin may have
     * removed it meanwhile).
     *
     * @return whether it changed
     */
    boolean markNotified(long deviceId, String packageId, long now) {
        boolean[] changed = {false};
        pending.computeIfPresent(deviceId, (k, list) -> {
            List<PendingAssignment> next = new ArrayList<>(list.size());
            for (PendingAssignment a : list) {
                if (a.packageId().equals(packageId) && !a.notified()) {
                    next.add(a.notify(now));
                    changed[0] = true;
                } else {
                    next.add(a);
                }
            }
            return List.copyOf(next);
        });
        return changed[0];
    }

    void removePackage(String packageId) {
        for (Long deviceId : pending.keySet()) {
            removePending(deviceId, packageId);
        }
    }

    void recordAddress(String clientIp, long deviceId) {
        deviceByAddress.put(clientIp, deviceId);
    }

    /** The device whose latest PROLOG came from {@code clientIp}, if any. */
    public Optional<Long> deviceAt(String clientIp) {
        return Optional.ofNullable(deviceByAddress.get(clientIp));
    }

    int pendingDevices() {
        return pending.size();
    }
}
