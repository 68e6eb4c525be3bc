package org.teledeploy.registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One instance of each of the few strings a whole fleet repeats (agent User-Agents): a million device summaries
 * each holding its own copy of the same 40 characters cost 60 MB of a 512 MB heap. Bounded: past {@code max}
 * distinct values, new ones are kept as they are (a fleet has a handful of agent versions; a client sending
 * random User-Agents must not grow this).
 */
final class SharedStrings {

    /** The User-Agents of every {@link DeviceSummary}. */
    static final SharedStrings USER_AGENTS = new SharedStrings(4096);

    private final ConcurrentMap<String, String> values = new ConcurrentHashMap<>();
    private final int max;

    SharedStrings(int max) {
        this.max = max;
    }

    String of(String value) {
        String shared = values.get(value);
        if (shared != null) {
            return shared;
        }
        if (values.size() >= max) {
            return value;
        }
        String previous = values.putIfAbsent(value, value);
        return previous == null ? value : previous;
    }
}
