package org.teledeploy.admin.dashboard;

import java.util.Locale;
import org.teledeploy.deploy.PackageStatistics.Bucket;

/**
 * The colours and names of the statistics buckets, the same on every page, chart and legend (the stylesheet's
 * swatches are generated from here), plus those of managed and unmanaged hosts.
 */
final class Palette {

    static final String MANAGED = "#15803d";
    static final String UNMANAGED = "#d97706";

    private Palette() {}

    static String colour(Bucket bucket) {
        return switch (bucket) {
            case WAITING -> "#9ca3af";
            case NOTIFIED -> "#2563eb";
            case SUCCESS -> "#16a34a";
            case ERROR -> "#dc2626";
            case OTHER -> "#a855f7";
        };
    }

    /** "Waiting", "Notified", ... */
    static String label(Bucket bucket) {
        String lower = key(bucket);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** What each bucket holds, for tooltips and the legend. */
    static String meaning(Bucket bucket) {
        return switch (bucket) {
            case WAITING -> "assigned, not yet offered to the agent";
            case NOTIFIED -> "offered to the agent, no result yet";
            case SUCCESS -> "the agent reported SUCCESS*";
            case ERROR -> "the agent reported ERR_* or EXIT_CODE_*";
            case OTHER -> "any other code";
        };
    }

    /** "waiting", ...: the query value and the CSS class suffix. */
    static String key(Bucket bucket) {
        return bucket.name().toLowerCase(Locale.ROOT);
    }

    /** The stylesheet rules of the swatches ({@code .sw.error}) in these colours. */
    static String swatchRules() {
        StringBuilder sb = new StringBuilder();
        for (Bucket bucket : Bucket.values()) {
            sb.append(".sw.").append(key(bucket)).append("{background:").append(colour(bucket)).append("}\n");
        }
        sb.append(".sw.managed{background:").append(MANAGED).append("}\n");
        sb.append(".sw.unmanaged{background:").append(UNMANAGED).append("}\n");
        return sb.toString();
    }
}
