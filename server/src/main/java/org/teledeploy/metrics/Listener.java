package org.teledeploy.metrics;

/**
 * The listeners, as the {@code listener} label names them: the bounded set of values that label may take, so
 * that a listener's counters can be created once at start instead of looked up per request.
 */
public enum Listener {
    HTTP("http", true),
    HTTPS("https", true),
    ADMIN("admin", false),
    METRICS("metrics", false);

    private final String label;
    private final boolean agent;

    Listener(String label, boolean agent) {
        this.label = label;
        this.agent = agent;
    }

    /** The label value. */
    public String label() {
        return label;
    }

    /** Whether agents talk to it (agent endpoint and {@code /download}). */
    public boolean agent() {
        return agent;
    }

    /** The listener of a name used in logs ("http", "https", "admin", "metrics"). */
    public static Listener of(String name) {
        for (Listener l : values()) {
            if (l.label.equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown listener " + name);
    }
}
