package org.teledeploy.admin.dashboard;

import java.util.Locale;
import org.teledeploy.deploy.PackageStatistics.Bucket;
import org.teledeploy.packages.PackageRecord;

/** Small pieces several pages share: a state with its bucket's swatch, the bucket legend, a package's name. */
final class Parts {

    private Parts() {}

    /** A state as the agent reported it, after its bucket's colour; waiting (no state) says so. */
    static void state(Html h, String state) {
        Bucket b = Bucket.of(state);
        h.raw("<span class=\"state\"><span class=\"sw " + Palette.key(b) + "\"></span>");
        if (state.isEmpty()) {
            h.raw("<span class=\"muted\">waiting</span>");
        } else {
            h.raw("<span class=\"mono\">").text(state).raw("</span>");
        }
        h.raw("</span>");
    }

    /** A bucket's swatch and name. */
    static void bucket(Html h, Bucket b) {
        h.raw("<span class=\"state\"><span class=\"sw " + Palette.key(b) + "\"></span>").text(Palette.label(b))
                .raw("</span>");
    }

    /** The legend of the bucket colours, with what each holds in a tooltip. */
    static void legend(Html h) {
        h.raw("<ul class=\"legend\" aria-label=\"Legend\">");
        for (Bucket b : Bucket.values()) {
            h.raw("<li title=\"").text(Palette.meaning(b)).raw("\"><span class=\"sw " + Palette.key(b) + "\"></span>")
                    .text(Palette.label(b)).raw("</li>");
        }
        h.raw("</ul>");
    }

    /** "linux", "windows": the API's words. */
    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** "firefox (1764590147)" for titles. */
    static String title(PackageRecord p) {
        return p.spec().name() + " (" + p.id() + ")";
    }
}
