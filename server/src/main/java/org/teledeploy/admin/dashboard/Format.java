package org.teledeploy.admin.dashboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the dashboard writes times (UTC, to the second, as the admin API), shares, sizes and counts. */
final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Format() {}

    /** {@code 2026-01-01 10:00:00 UTC}; "never" for 0. */
    static String time(long epochMillis) {
        return epochMillis == 0 ? "never" : TIME.format(Instant.ofEpochMilli(epochMillis)) + " UTC";
    }

    /** {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}; "" for 0 or a time in the future. */
    static String ago(long epochMillis, long now) {
        if (epochMillis == 0 || epochMillis > now) {
            return "";
        }
        long seconds = (now - epochMillis) / 1000;
        if (seconds < 60) {
            return "just now";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 86400 * 2) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86400 + " d ago";
    }

    /**
     * A share as a whole percentage, never rounded to a lie: "&lt;1%" for a few among many, "&gt;99%" for all but a
     * few, "–" of nothing.
     */
    static String percent(int n, int total) {
        if (total <= 0) {
            return "–";
        }
        if (n == 0) {
            return "0%";
        }
        if (n == total) {
            return "100%";
        }
        long rounded = Math.round(100.0 * n / total);
        if (rounded == 0) {
            return "<1%";
        }
        if (rounded == 100) {
            return ">99%";
        }
        return rounded + "%";
    }

    /** Binary units: {@code 512 B}, {@code 4.0 KiB}, {@code 1.2 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code 1 device}, {@code 3 devices}. */
    static String count(int n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
