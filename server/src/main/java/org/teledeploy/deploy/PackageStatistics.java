package org.teledeploy.deploy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deployment statistics of one package in the buckets OCS users know (shared/ocs-protocol.md §5.2), computed
 * from one set of rows (state → count) so that no two numbers can disagree: the buckets always add up to
 * {@link #total()}.
 *
 * @param byState count per exact state; "" stands for waiting (no state)
 */
public record PackageStatistics(String packageId, Map<String, Integer> byState) {

    /** The OCS buckets. */
    public enum Bucket {
        WAITING, NOTIFIED, SUCCESS, ERROR, OTHER;

        /** The bucket of a state ("" = waiting), with OCS's prefix rules. */
        public static Bucket of(String state) {
            if (state == null || state.isEmpty()) {
                return WAITING;
            }
            if (state.startsWith("NOTI")) {
                return NOTIFIED;
            }
            if (state.startsWith("SUCCESS")) {
                return SUCCESS;
            }
            if (state.startsWith("ERR") || state.startsWith("EXIT_CODE")) {
                return ERROR;
            }
            return OTHER;
        }
    }

    public PackageStatistics {
        byState = Collections.unmodifiableMap(new TreeMap<>(byState));
    }

    public int count(Bucket bucket) {
        int n = 0;
        for (Map.Entry<String, Integer> e : byState.entrySet()) {
            if (Bucket.of(e.getKey()) == bucket) {
                n += e.getValue();
            }
        }
        return n;
    }

    public int total() {
        return byState.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Successes whose code says the program failed: the Unix agent reports LAUNCH exit codes as
     * {@code SUCCESS_<n>}, also for n ≠ 0 (§5.1). Counted in SUCCESS like OCS does, shown apart.
     */
    public int successWithNonZeroExit() {
        int n = 0;
        for (Map.Entry<String, Integer> e : byState.entrySet()) {
            String s = e.getKey();
            if (s.matches("SUCCESS_-?\\d+") && !s.equals("SUCCESS_0")) {
                n += e.getValue();
            }
        }
        return n;
    }
}
