package org.teledeploy.metrics;

/**
 * What a request was for, as the {@code endpoint} label says it: a handful of values derived from the path, so
 * that no URL (with its package IDs, typos or scanner noise) ever becomes a label value.
 */
public enum Endpoint {
    /** {@code POST /ocsinventory} and below. */
    AGENT("agent"),
    /** {@code /download/<ID>/info}. */
    DOWNLOAD_INFO("download_info"),
    /** {@code /download/<ID>/<anything else>}: fragments (malformed names get their 4xx here too). */
    DOWNLOAD_FRAGMENT("download_fragment"),
    /** {@code /api/...} on the admin listener. */
    ADMIN_API("admin_api"),
    /** {@code /health} on the admin listener. */
    HEALTH("health"),
    /** {@code /metrics} on the admin or the metrics listener. */
    METRICS("metrics"),
    /** The web dashboard on the admin listener: {@code /login}, {@code /logout}, {@code /dashboard} and below. */
    DASHBOARD("dashboard"),
    /** Any other path (404s, scanners). */
    OTHER("other");

    private static final String DOWNLOAD = "/download/";

    private final String label;

    Endpoint(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The endpoint of a request path (without its query string) on a listener: only what that listener serves is
     * recognised, everything else is {@link #OTHER}.
     */
    public static Endpoint of(Listener listener, String path) {
        if (path == null) {
            return OTHER;
        }
        switch (listener) {
            case HTTP, HTTPS -> {
                if (path.equals("/ocsinventory") || path.startsWith("/ocsinventory/")) {
                    return AGENT;
                }
                return path.startsWith(DOWNLOAD) ? download(path) : OTHER;
            }
            case ADMIN -> {
                if (path.equals("/health")) {
                    return HEALTH;
                }
                if (path.equals("/metrics")) {
                    return METRICS;
                }
                if (path.equals("/login") || path.equals("/logout") || path.equals("/dashboard")
                        || path.startsWith("/dashboard/")) {
                    return DASHBOARD;
                }
                return path.startsWith("/api/") ? ADMIN_API : OTHER;
            }
            default -> {
                return path.equals("/metrics") ? METRICS : OTHER;
            }
        }
    }

    /** {@code /download/<a>/<b>} with two non-empty segments: info when b is "info", else a fragment. */
    private static Endpoint download(String path) {
        int slash = path.indexOf('/', DOWNLOAD.length());
        if (slash <= DOWNLOAD.length() || slash == path.length() - 1 || path.indexOf('/', slash + 1) >= 0) {
            return OTHER;
        }
        return path.regionMatches(slash + 1, "info", 0, 4) && path.length() == slash + 5
                ? DOWNLOAD_INFO : DOWNLOAD_FRAGMENT;
    }
}
