package org.teledeploy.admin.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.deploy.PackageStatistics.Bucket;

/**
 * The inline SVG charts: a horizontal stacked bar (a package's buckets, a subnet's managed and unmanaged hosts) and
 * the donut of a package page. Each part has its count and share in a tooltip ({@code <title>}) and links to the
 * list behind it; a part that is not empty is never drawn thinner than a few pixels, so a single error among
 * thousands of successes stays visible and clickable.
 */
final class Charts {

    /** One part of a chart; {@code href} null for a part that links nowhere. */
    record Part(String label, int count, String colour, String href) {}

    private static final double MIN_BAR = 3;
    private static final double MIN_ARC = 4;

    private Charts() {}

    /** The five bucket parts of a package's statistics, in bucket order, each linking to its devices. */
    static List<Part> buckets(PackageStatistics s) {
        List<Part> parts = new ArrayList<>();
        for (Bucket b : Bucket.values()) {
            parts.add(new Part(Palette.label(b), s.count(b), Palette.colour(b), Urls.bucket(s.packageId(), b)));
        }
        return parts;
    }

    /** A stacked bar {@code width} × {@code height} px. */
    static void bar(Html h, List<Part> parts, int width, int height, String emptyText) {
        int total = parts.stream().mapToInt(Part::count).sum();
        h.raw("<svg class=\"bar\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " "
                + height + "\" role=\"img\" aria-label=\"").text(summary(parts)).raw("\">");
        if (total == 0) {
            h.raw("<rect width=\"" + width + "\" height=\"" + height + "\" fill=\"#e5e7eb\"><title>").text(emptyText)
                    .raw("</title></rect></svg>");
            return;
        }
        double[] sizes = sizes(parts, total, width, MIN_BAR);
        double x = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (p.count() == 0) {
                continue;
            }
            if (p.href() != null) {
                h.raw("<a href=\"").text(p.href()).raw("\">");
            }
            h.raw("<rect x=\"" + num(x) + "\" width=\"" + num(sizes[i]) + "\" height=\"" + height + "\" fill=\""
                    + p.colour() + "\"><title>").text(tooltip(p, total)).raw("</title></rect>");
            if (p.href() != null) {
                h.raw("</a>");
            }
            x += sizes[i];
        }
        h.raw("</svg>");
    }

    /** A donut of {@code size} px with the total in its middle. */
    static void donut(Html h, List<Part> parts, int size, String unit) {
        int total = parts.stream().mapToInt(Part::count).sum();
        double c = size / 2.0;
        double r = size * 0.36;
        double stroke = size * 0.16;
        double circumference = 2 * Math.PI * r;
        h.raw("<svg class=\"donut\" width=\"" + size + "\" height=\"" + size + "\" viewBox=\"0 0 " + size + " " + size
                + "\" role=\"img\" aria-label=\"").text(summary(parts)).raw("\">");
        String circle = "<circle cx=\"" + num(c) + "\" cy=\"" + num(c) + "\" r=\"" + num(r) + "\" fill=\"none\""
                + " stroke-width=\"" + num(stroke) + "\"";
        if (total == 0) {
            h.raw(circle + " stroke=\"#e5e7eb\"><title>nothing assigned</title></circle>");
        } else {
            double[] arcs = sizes(parts, total, circumference, MIN_ARC);
            long drawn = parts.stream().filter(p -> p.count() > 0).count();
            double gap = drawn > 1 ? 1.5 : 0;
            double offset = 0;
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                if (p.count() == 0) {
                    continue;
                }
                double length = Math.max(1, arcs[i] - gap);
                h.raw("<a href=\"").text(p.href()).raw("\">" + circle + " stroke=\"" + p.colour()
                                + "\" stroke-dasharray=\"" + num(length) + " " + num(circumference) + "\""
                                + " stroke-dashoffset=\"" + num(-offset) + "\" transform=\"rotate(-90 " + num(c) + " "
                                + num(c) + ")\"><title>")
                        .text(tooltip(p, total)).raw("</title></circle></a>");
                offset += arcs[i];
            }
        }
        h.raw("<text x=\"" + num(c) + "\" y=\"" + num(c - 2) + "\" text-anchor=\"middle\" class=\"donut-total\">")
                .text(total).raw("</text><text x=\"" + num(c) + "\" y=\"" + num(c + 20) + "\" text-anchor=\"middle\""
                        + " class=\"donut-unit\">").text(unit).raw("</text></svg>");
    }

    /** "Error: 2 of 6 (33%)". */
    static String tooltip(Part p, int total) {
        return p.label() + ": " + p.count() + " of " + total + " (" + Format.percent(p.count(), total) + ")";
    }

    private static String summary(List<Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.label()).append(' ').append(p.count());
        }
        return sb.toString();
    }

    /**
     * The lengths of the parts over {@code length}: proportional, at least {@code min} for a part that is not empty,
     * the rounding taken from (or given to) the largest part so that they fill the length exactly.
     */
    static double[] sizes(List<Part> parts, int total, double length, double min) {
        double[] sizes = new double[parts.size()];
        double sum = 0;
        int largest = 0;
        for (int i = 0; i < parts.size(); i++) {
            int n = parts.get(i).count();
            sizes[i] = n == 0 ? 0 : Math.max(min, length * n / total);
            sum += sizes[i];
            if (n > parts.get(largest).count()) {
                largest = i;
            }
        }
        sizes[largest] += length - sum;
        return sizes;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
    }
}
