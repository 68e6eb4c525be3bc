package org.teledeploy.config;

import java.time.Duration;
import java.util.Locale;

/** Parses the human units of the configuration file and the admin API: sizes ({@code 16m}) and durations ({@code 30s}). */
public final class Units {

    private Units() {}

    /** Bytes, with an optional binary suffix k, m, g (also kb/kib, mb/mib, gb/gib), case-insensitive. */
    public static long parseSize(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = s;
        String[][] suffixes = {
            {"gib", "1073741824"}, {"gb", "1073741824"}, {"g", "1073741824"},
            {"mib", "1048576"}, {"mb", "1048576"}, {"m", "1048576"},
            {"kib", "1024"}, {"kb", "1024"}, {"k", "1024"}, {"b", "1"}
        };
        for (String[] suffix : suffixes) {
            if (s.endsWith(suffix[0])) {
                digits = s.substring(0, s.length() - suffix[0].length()).trim();
                multiplier = Long.parseLong(suffix[1]);
                break;
            }
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size");
        }
        if (value < 0) {
            throw new IllegalArgumentException("negative");
        }
        return Math.multiplyExact(value, multiplier);
    }

    /** A duration with a mandatory unit: ms, s, m, h, d. */
    static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String[] units = {"ms", "s", "m", "h", "d"};
        for (String unit : units) {
            if (s.endsWith(unit) && s.length() > unit.length()) {
                String digits = s.substring(0, s.length() - unit.length()).trim();
                long value;
                try {
                    value = Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (value < 0) {
                    throw new IllegalArgumentException("negative");
                }
                switch (unit) {
                    case "ms": return Duration.ofMillis(value);
                    case "s": return Duration.ofSeconds(value);
                    case "m": return Duration.ofMinutes(value);
                    case "h": return Duration.ofHours(value);
                    default: return Duration.ofDays(value);
                }
            }
        }
        throw new IllegalArgumentException("not a duration");
    }

    static String formatSize(long bytes) {
        if (bytes > 0 && bytes % 1073741824L == 0) {
            return bytes / 1073741824L + "g";
        }
        if (bytes > 0 && bytes % 1048576L == 0) {
            return bytes / 1048576L + "m";
        }
        if (bytes > 0 && bytes % 1024L == 0) {
            return bytes / 1024L + "k";
        }
        return Long.toString(bytes);
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
