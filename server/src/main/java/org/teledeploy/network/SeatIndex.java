package org.teledeploy.network;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which device discovers which subnet, in memory, so that a PROLOG decides without the store (architecture:
 * PROLOG decisions from memory). Written only after the commit that made the change; also remembers which
 * elected devices were sent the option since their last inventory (lost on restart: harmless, see
 * {@link DiscoveryIntake}).
 */
final class SeatIndex {

    private final Map<Long, Subnet> seats = new ConcurrentHashMap<>();
    private final Set<Long> asked = ConcurrentHashMap.newKeySet();

    SeatIndex(Map<Long, Subnet> loaded) {
        seats.putAll(loaded);
    }

    Optional<Subnet> seatOf(long deviceId) {
        return Optional.ofNullable(seats.get(deviceId));
    }

    /** A PROLOG carried the IPDISCOVER option to this device. */
    void markAsked(long deviceId) {
        asked.add(deviceId);
    }

    /** The device's inventory arrived: whether it had been asked to scan since the previous one. */
    boolean answered(long deviceId) {
        return asked.remove(deviceId);
    }

    /** Device row id → new seat, empty for none. */
    void apply(Map<Long, Optional<Subnet>> changes) {
        changes.forEach((device, seat) -> {
            if (seat.isPresent()) {
                seats.put(device, seat.get());
            } else {
                seats.remove(device);
                asked.remove(device);
            }
        });
    }

    int size() {
        return seats.size();
    }
}
