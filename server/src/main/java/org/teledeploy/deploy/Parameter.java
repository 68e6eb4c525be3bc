package org.teledeploy.deploy;

import java.util.Locale;

/**
 * The OCS parameters an admin can set on one device or one group (shared/ocs-protocol.md §7.3), under their OCS
 * names, with their ranges and the rule that combines group values (§3.2, §3.3, §3.6): for latencies the largest
 * group value wins, for lengths and timeouts the smallest. A device value beats group values, which beat the
 * server's; at device and group level 0 means "not set" except for the switches.
 */
public enum Parameter {
    DOWNLOAD_SWITCH(0, 1, Combine.SWITCH),
    DOWNLOAD_FRAG_LATENCY(0, 86_400, Combine.LARGEST),
    DOWNLOAD_CYCLE_LATENCY(0, 86_400, Combine.LARGEST),
    DOWNLOAD_PERIOD_LATENCY(0, 86_400, Combine.LARGEST),
    DOWNLOAD_PERIOD_LENGTH(1, 1000, Combine.SMALLEST),
    DOWNLOAD_TIMEOUT(1, 3650, Combine.SMALLEST),
    DOWNLOAD_EXECUTION_TIMEOUT(1, 100_000, Combine.SMALLEST),
    PROLOG_FREQ(1, 8760, Combine.SMALLEST),
    INVENTORY_ON_STARTUP(0, 1, Combine.SMALLEST),
    FREQUENCY(-1, 3650, Combine.SMALLEST_SIGNED),
    /** Milliseconds between two ARP requests of a discovering agent (IPDISC_LAT), OCS range. */
    IPDISCOVER_LATENCY(10, 60_000, Combine.LARGEST);

    /** How group values combine. */
    enum Combine { SWITCH, LARGEST, SMALLEST, SMALLEST_SIGNED }

    private final int min;
    private final int max;
    private final Combine combine;

    Parameter(int min, int max, Combine combine) {
        this.min = min;
        this.max = max;
        this.combine = combine;
    }

    Combine combine() {
        return combine;
    }

    /** Checks a value, in the one message shape. */
    public int validate(int value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name() + ": " + value + " (expected: " + min + " to " + max + ")");
        }
        return value;
    }

    /** Parses an OCS name in any case, dashes or dots for underscores. */
    public static Parameter parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter: " + name + " (expected: one of "
                    + java.util.Arrays.toString(values()).replace("[", "").replace("]", "") + ")");
        }
    }
}
