package org.teledeploy.admin.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.TeledeployServer;
import org.teledeploy.deploy.Activation;
import org.teledeploy.deploy.DeploymentQueries.DeviceState;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.deploy.PackageStatistics.Bucket;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.PostCommand;

/**
 * The package pages: the list (one row and one status bar per package), a package (its details, the donut of its
 * buckets, the table of its exact result codes) and the devices behind a bucket or a code. Every number comes from
 * {@code DeploymentQueries} statistics, the same rows the admin API's statistics count; every read is a future.
 */
final class PackagePages {

    /** Devices listed at most on one page (the admin API lists them all). */
    static final int MAX_DEVICES = 1000;

    private final TeledeployServer server;

    PackagePages(TeledeployServer server) {
        this.server = server;
    }

    // ---- the list -------------------------------------------------------------------------------------------

    CompletableFuture<String> list(String footer) {
        List<PackageRecord> all = server.packages().list();
        int devices = server.registry().size();
        return server.queries().statistics().thenCombine(server.queries().activations(),
                (stats, activations) -> renderList(all, stats, activations, devices, footer));
    }

    private static String renderList(List<PackageRecord> all, Map<String, PackageStatistics> stats,
                                     Map<String, Activation> activations, int devices, String footer) {
        Html h = Layout.open("Packages", Layout.Section.PACKAGES);
        long activated = all.stream().filter(p -> activations.containsKey(p.id())).count();
        int assigned = all.stream().mapToInt(p -> stats(stats, p.id()).total()).sum();
        h.raw("<h1>Packages</h1><p class=\"sub\">").text(Format.count(all.size(), "package", "packages") + ", "
                + activated + " activated · " + Format.count(assigned, "assignment", "assignments") + " · "
                + Format.count(devices, "device", "devices") + " registered").raw("</p>");
        if (all.isEmpty()) {
            h.raw("<div class=\"empty\">No package yet. Build one with <span class=\"mono\">teledeploy package create"
                    + "</span> (see the README), activate it and deploy it: its diagram appears here.</div>");
            return Layout.close(h, footer);
        }
        Parts.legend(h);
        h.raw("<table class=\"packages\"><thead><tr><th>Package</th><th>OS · action</th>"
                + "<th>Activated</th><th class=\"n\">Assigned</th><th>Status</th>");
        for (Bucket b : Bucket.values()) {
            h.raw("<th class=\"n\" title=\"").text(Palette.meaning(b)).raw("\"><span class=\"sw " + Palette.key(b)
                    + "\"></span>").text(Palette.label(b)).raw("</th>");
        }
        h.raw("</tr></thead><tbody>");
        for (PackageRecord p : all) {
            PackageStatistics s = stats(stats, p.id());
            Activation a = activations.get(p.id());
            h.raw("<tr data-package=\"").text(p.id()).raw("\"><td class=\"wrap pkg-cell\"><div class=\"name\">")
                    .link(Urls.pkg(p.id()), p.spec().name()).raw("</div><div class=\"id mono small muted\">ID ")
                    .text(p.id()).raw("</div></td><td class=\"nw type\">").text(Parts.lower(p.spec().os()) + " · "
                            + Parts.lower(p.spec().action())).raw("</td><td class=\"nw activated\">");
            activated(h, p, a);
            h.raw("</td><td class=\"n total\">").text(s.total()).raw("</td><td class=\"status\">");
            Charts.bar(h, Charts.buckets(s), 180, 16, "not assigned to any device");
            h.raw("</td>");
            for (Bucket b : Bucket.values()) {
                int n = s.count(b);
                h.raw("<td class=\"n " + Palette.key(b) + (n == 0 ? " zero" : "") + "\">");
                if (n == 0) {
                    h.text(0);
                } else {
                    h.link(Urls.bucket(p.id(), b), n);
                }
                h.raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
        return Layout.close(h, footer);
    }

    private static void activated(Html h, PackageRecord p, Activation a) {
        if (p.brokenReason().isPresent()) {
            h.raw("<span class=\"bad\" title=\"").text(p.brokenReason().get()).raw("\">broken</span>");
        } else if (a == null) {
            h.raw("<span class=\"muted\">no</span>");
        } else {
            h.raw("<span title=\"").text("since " + Format.time(a.activatedAt())).raw("\">yes</span>");
        }
    }

    private static PackageStatistics stats(Map<String, PackageStatistics> all, String packageId) {
        PackageStatistics s = all.get(packageId);
        return s != null ? s : new PackageStatistics(packageId, Map.of());
    }

    // ---- one package ----------------------------------------------------------------------------------------

    CompletableFuture<String> show(String packageId, String footer) {
        PackageRecord p = require(packageId);
        return server.queries().statistics(p.id()).thenCombine(server.queries().activation(p.id()),
                (s, a) -> renderPackage(p, s, a, footer));
    }

    private static String renderPackage(PackageRecord p, PackageStatistics s, Optional<Activation> a, String footer) {
        Html h = Layout.open(Parts.title(p), Layout.Section.PACKAGES);
        h.raw("<p class=\"crumbs\"><a href=\"" + Urls.HOME + "\">Packages</a> › ").text(p.id()).raw("</p>");
        h.raw("<h1>").text(p.spec().name()).raw(" <span class=\"id mono\">").text(p.id()).raw("</span></h1>");
        h.raw("<p class=\"sub\">").text(Format.count(s.total(), "device", "devices") + " assigned, "
                + (a.isPresent() ? "activated" : "not activated")).raw("</p>");
        h.raw("<div class=\"grid2\"><section class=\"card\"><h2>Deployment</h2><div class=\"chart\">");
        Charts.donut(h, Charts.buckets(s), 200, s.total() == 1 ? "device" : "devices");
        h.raw("<table class=\"plain buckets\"><thead><tr><th>Bucket</th><th class=\"n\">Devices</th><th class=\"n\">"
                + "Share</th></tr></thead><tbody>");
        for (Bucket b : Bucket.values()) {
            int n = s.count(b);
            h.raw("<tr data-bucket=\"" + Palette.key(b) + "\" title=\"").text(Palette.meaning(b)).raw("\"><td>");
            Parts.bucket(h, b);
            h.raw("</td><td class=\"n count\">");
            if (n == 0) {
                h.text(0);
            } else {
                h.link(Urls.bucket(p.id(), b), n);
            }
            h.raw("</td><td class=\"n share\">").text(Format.percent(n, s.total())).raw("</td></tr>");
        }
        h.raw("</tbody></table></div>");
        int nonZeroExit = s.successWithNonZeroExit();
        if (nonZeroExit > 0) {
            h.raw("<p class=\"note\">").text(Format.count(nonZeroExit, "success reports", "successes report")
                    + " a non-zero exit code (SUCCESS_n, n ≠ 0): the Unix agent counts a LAUNCH that ran as a success"
                    + " whatever its exit code.").raw("</p>");
        }
        h.raw("</section><section class=\"card\"><h2>Result codes</h2>");
        codes(h, p, s);
        h.raw("</section></div><section class=\"card details\"><h2>Details</h2>");
        details(h, p, a);
        h.raw("</section>");
        return Layout.close(h, footer);
    }

    private static void details(Html h, PackageRecord p, Optional<Activation> a) {
        PackageSpec spec = p.spec();
        h.raw("<dl class=\"kv cols\">");
        kv(h, "ID", p.id());
        kv(h, "Name", spec.name());
        if (!spec.description().isBlank()) {
            kv(h, "Description", spec.description());
        }
        kv(h, "OS", Parts.lower(spec.os()));
        kv(h, "Action", Parts.lower(spec.action()));
        h.raw("<dt>").text(spec.action() == PackageAction.STORE ? "Path" : "Command").raw("</dt><dd class=\"mono\">")
                .text(spec.actionParameter()).raw("</dd>");
        kv(h, "Priority", spec.priority());
        kv(h, "Protocol", Parts.lower(spec.protocol()));
        kv(h, "Content", p.commandOnly() ? "none (command only)"
                : Format.bytes(p.archiveSize()) + " in " + Format.count(p.fragments(), "fragment", "fragments"));
        if (!p.digest().isEmpty()) {
            h.raw("<dt>Digest</dt><dd><span class=\"mono\">").text(p.digest()).raw("</span> <span class=\"muted\">")
                    .text(Parts.lower(spec.digest())).raw("</span></dd>");
        }
        if (spec.postCommand() != PostCommand.NONE) {
            kv(h, "After install", Parts.lower(spec.postCommand()));
        }
        if (!spec.notification().text().isEmpty()) {
            kv(h, "User notice", spec.notification().text());
        }
        kv(h, "Origin", p.origin());
        kv(h, "Created", Format.time(p.createdAt()));
        if (p.updatedAt() != p.createdAt()) {
            kv(h, "Edited", Format.time(p.updatedAt()));
        }
        if (a.isPresent()) {
            kv(h, "Activated", Format.time(a.get().activatedAt()));
            h.raw("<dt>Info location</dt><dd class=\"mono\">").text(a.get().infoLocation()).raw("</dd>");
            if (!p.commandOnly()) {
                h.raw("<dt>Fragments at</dt><dd class=\"mono\">").text(a.get().packLocation()).raw("</dd>");
            }
        } else {
            kv(h, "Activated", "no: not offered to any agent");
        }
        if (p.brokenReason().isPresent()) {
            h.raw("<dt>Broken</dt><dd class=\"bad\">").text(p.brokenReason().get()).raw("</dd>");
        }
        h.raw("</dl>");
    }

    private static void kv(Html h, String key, Object value) {
        h.raw("<dt>").text(key).raw("</dt><dd>").text(value).raw("</dd>");
    }

    /** The exact result codes, by bucket then count. */
    private static void codes(Html h, PackageRecord p, PackageStatistics s) {
        if (s.total() == 0) {
            h.raw("<p class=\"muted\">Not assigned to any device yet (<span class=\"mono\">teledeploy deploy</span>"
                    + ").</p>");
            return;
        }
        List<Map.Entry<String, Integer>> rows = new ArrayList<>(s.byState().entrySet());
        rows.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(e -> Bucket.of(e.getKey()).ordinal())
                .thenComparing(Map.Entry::getValue, Comparator.reverseOrder())
                .thenComparing(Map.Entry::getKey));
        h.raw("<table class=\"plain codes\"><thead><tr><th>State / result code</th><th>Bucket</th><th class=\"n\">"
                + "Devices</th><th class=\"n\">Share</th><th></th></tr></thead><tbody>");
        for (Map.Entry<String, Integer> e : rows) {
            String code = e.getKey();
            h.raw("<tr data-code=\"").text(code).raw("\"><td>");
            Parts.state(h, code);
            h.raw("</td><td>").text(Palette.label(Bucket.of(code))).raw("</td><td class=\"n count\">")
                    .link(Urls.code(p.id(), code), e.getValue()).raw("</td><td class=\"n\">")
                    .text(Format.percent(e.getValue(), s.total())).raw("</td><td class=\"n\">")
                    .link(Urls.code(p.id(), code), "devices →").raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    // ---- the devices behind a number ------------------------------------------------------------------------

    /** The devices of a bucket, or of one exact code (exactly one of the two). */
    CompletableFuture<String> devices(String packageId, Optional<String> bucketParam, Optional<String> code,
                                      String footer) {
        PackageRecord p = require(packageId);
        if (bucketParam.isPresent() == code.isPresent()) {
            throw PageException.badRequest("Give either bucket (waiting, notified, success, error or other) or code"
                    + " (an exact result code such as ERR_BAD_DIGEST).");
        }
        Bucket bucket = bucketParam.map(PackagePages::bucket).orElseGet(() -> Bucket.of(code.get()));
        return server.queries().devices(p.id(), bucket).thenCombine(server.queries().statistics(p.id()),
                (states, s) -> renderDevices(p, bucket, code, code.isEmpty() ? states
                        : states.stream().filter(d -> d.state().equals(code.get())).toList(), s, footer));
    }

    private static Bucket bucket(String value) {
        try {
            return Bucket.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PageException.badRequest("No bucket \"" + value + "\" (expected: waiting, notified, success, error"
                    + " or other).");
        }
    }

    private static String renderDevices(PackageRecord p, Bucket bucket, Optional<String> code, List<DeviceState> states,
                                        PackageStatistics s, String footer) {
        String what = code.orElse(Palette.label(bucket));
        Html h = Layout.open(what + " · " + Parts.title(p), Layout.Section.PACKAGES);
        h.raw("<p class=\"crumbs\"><a href=\"" + Urls.HOME + "\">Packages</a> › ").link(Urls.pkg(p.id()),
                Parts.title(p)).raw(" › ").text(what).raw("</p>");
        h.raw("<h1>");
        if (code.isPresent()) {
            h.raw("<span class=\"mono\">").text(code.get()).raw("</span>");
        } else {
            h.text(Palette.label(bucket));
        }
        h.raw(": ").text(Format.count(states.size(), "device", "devices")).raw("</h1><p class=\"sub\">")
                .text(code.isPresent() ? "Devices whose state is exactly this code, in the "
                        + Palette.label(bucket).toLowerCase(Locale.ROOT) + " bucket (" + Palette.meaning(bucket) + ")."
                        : "Devices in this bucket: " + Palette.meaning(bucket) + ".")
                .raw("</p><nav class=\"tabs\" aria-label=\"Buckets\">");
        for (Bucket b : Bucket.values()) {
            boolean current = code.isEmpty() && b == bucket;
            h.raw("<a href=\"").text(Urls.bucket(p.id(), b)).raw("\"" + (current ? " class=\"on\" aria-current=\"page\""
                    : "") + "><span class=\"sw " + Palette.key(b) + "\"></span>").text(Palette.label(b) + " "
                    + s.count(b)).raw("</a>");
        }
        h.raw("</nav>");
        if (states.isEmpty()) {
            h.raw("<div class=\"empty\">No device here now.</div>");
            return Layout.close(h, footer);
        }
        h.raw("<table class=\"devices\"><thead><tr><th>Device</th><th>DEVICEID</th><th>State</th><th>Since</th></tr>"
                + "</thead><tbody>");
        for (DeviceState d : states.subList(0, Math.min(states.size(), MAX_DEVICES))) {
            h.raw("<tr data-device=\"").text(d.deviceId()).raw("\"><td class=\"wrap\">")
                    .link(Urls.device(d.deviceId()), d.name().isEmpty() ? d.deviceId() : d.name())
                    .raw("</td><td class=\"mono wrap\">").link(Urls.device(d.deviceId()), d.deviceId()).raw("</td><td>");
            Parts.state(h, d.state());
            h.raw("</td><td class=\"nw\">").text(Format.time(d.stateAt())).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (states.size() > MAX_DEVICES) {
            h.raw("<p class=\"note\">").text("The first " + MAX_DEVICES + " of " + states.size() + " devices, by DEVICEID;"
                    + " the admin API (GET /api/v1/packages/" + p.id() + "/devices?bucket=" + Palette.key(bucket)
                    + ") lists them all.").raw("</p>");
        }
        return Layout.close(h, footer);
    }

    private PackageRecord require(String packageId) {
        return server.packages().get(packageId).orElseThrow(() -> PageException.notFound("There is no package "
                + packageId + "."));
    }
}
