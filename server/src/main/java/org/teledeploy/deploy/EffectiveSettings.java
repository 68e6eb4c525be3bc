package org.teledeploy.deploy;

import java.util.Collection;
import java.util.Map;
import org.teledeploy.config.OcsOptions;

/**
 * What one device's PROLOG is answered with: the server options combined with the device's own parameters and
 * those of its groups, by the rules of shared/ocs-protocol.md §3.2 (FREQUENCY), §3.3 (PROLOG_FREQ,
 * INVENTORY_ON_STARTUP) and §3.6 (the CONF attributes). A pure function, so each rule has a test.
 *
 * @param on CONF ON
 * @param frequency FREQUENCY in days (0 every contact, -1 never)
 */
public record EffectiveSettings(boolean on, int fragLatency, int cycleLatency, int periodLatency, int periodLength,
                                int timeout, int executionTimeout, int prologFreq, boolean inventoryOnStartup,
                                int frequency) {

    /** The server's options alone: unknown devices and devices without parameters. */
    public static EffectiveSettings global(OcsOptions ocs) {
        return new EffectiveSettings(ocs.download(), ocs.fragLatency(), ocs.cycleLatency(), ocs.periodLatency(),
                ocs.periodLength(), ocs.timeout(), ocs.executionTimeout(), ocs.prologFreq(), ocs.inventoryOnStartup(),
                ocs.frequency());
    }

    /**
     * @param device the device's own parameters
     * @param groups the parameters of each group the device belongs to
     */
    public static EffectiveSettings resolve(OcsOptions ocs, Map<Parameter, Integer> device,
                                            Collection<Map<Parameter, Integer>> groups) {
        if (device.isEmpty() && groups.isEmpty()) {
            return global(ocs);
        }
        boolean on = ocs.download();
        if (on && groups.stream().anyMatch(g -> Integer.valueOf(0).equals(g.get(Parameter.DOWNLOAD_SWITCH)))) {
            on = false;
        }
        if (on && device.containsKey(Parameter.DOWNLOAD_SWITCH)) {
            on = device.get(Parameter.DOWNLOAD_SWITCH) == 1;
        }
        // Group latencies are only consulted when deployment is globally on (OCS, §3.6).
        Collection<Map<Parameter, Integer>> conf = ocs.download() ? groups : java.util.List.of();
        return new EffectiveSettings(on,
                download(Parameter.DOWNLOAD_FRAG_LATENCY, ocs.fragLatency(), device, conf),
                download(Parameter.DOWNLOAD_CYCLE_LATENCY, ocs.cycleLatency(), device, conf),
                download(Parameter.DOWNLOAD_PERIOD_LATENCY, ocs.periodLatency(), device, conf),
                download(Parameter.DOWNLOAD_PERIOD_LENGTH, ocs.periodLength(), device, conf),
                download(Parameter.DOWNLOAD_TIMEOUT, ocs.timeout(), device, conf),
                download(Parameter.DOWNLOAD_EXECUTION_TIMEOUT, ocs.executionTimeout(), device, conf),
                contact(Parameter.PROLOG_FREQ, ocs.prologFreq(), device, groups),
                contact(Parameter.INVENTORY_ON_STARTUP, ocs.inventoryOnStartup() ? 1 : 0, device, groups) == 1,
                frequency(ocs.frequency(), device, groups));
    }

    /** §3.6: the device's own non-zero value, else the largest (latencies) or smallest non-zero group value. */
    private static int download(Parameter p, int global, Map<Parameter, Integer> device,
                                Collection<Map<Parameter, Integer>> groups) {
        Integer own = device.get(p);
        if (own != null && own != 0) {
            return own;
        }
        Integer best = null;
        for (Map<Parameter, Integer> g : groups) {
            Integer v = g.get(p);
            if (v != null && v != 0 && (best == null
                    || (p.combine() == Parameter.Combine.LARGEST ? v > best : v < best))) {
                best = v;
            }
        }
        return best == null ? global : best;
    }

    /** §3.3: the device's own value even if 0, else the smallest non-zero group value, else the server's. */
    private static int contact(Parameter p, int global, Map<Parameter, Integer> device,
                               Collection<Map<Parameter, Integer>> groups) {
        if (device.containsKey(p)) {
            return device.get(p);
        }
        return groups.stream().map(g -> g.get(p)).filter(v -> v != null && v != 0).min(Integer::compare)
                .orElse(global);
    }

    /**
     * §3.2: a global 0 or -1 is final; otherwise the smallest of the device's and its groups' values (so -1
     * beats 0, which beats positive values), defaulting to the global one.
     */
    private static int frequency(int global, Map<Parameter, Integer> device, Collection<Map<Parameter, Integer>> groups) {
        if (global <= 0) {
            return global;
        }
        Integer smallest = device.get(Parameter.FREQUENCY);
        for (Map<Parameter, Integer> g : groups) {
            Integer v = g.get(Parameter.FREQUENCY);
            if (v != null && (smallest == null || v < smallest)) {
                smallest = v;
            }
        }
        return smallest == null ? global : smallest;
    }
}
