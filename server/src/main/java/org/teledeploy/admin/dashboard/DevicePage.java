package org.teledeploy.admin.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.TeledeployServer;
import org.teledeploy.deploy.DeploymentQueries.Assignment;
import org.teledeploy.deploy.DeploymentQueries.TimelineEntry;
import org.teledeploy.deploy.PackageStatistics.Bucket;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.registry.DeviceQueries;
import org.teledeploy.registry.DeviceQueries.DeviceRow;

/**
 * A device: what its inventory says (name, OS, IP, agent, contacts) and, per package, its current state and its
 * deployment timeline (assigned, notified, info fetched, fragment k/N, TLS failure, result, reset), oldest first:
 * why a machine sits in NOTIFIED is read there.
 */
final class DevicePage {

    private final TeledeployServer server;
    private final DeviceQueries devices;

    DevicePage(TeledeployServer server) {
        this.server = server;
        this.devices = new DeviceQueries(server.reader());
    }

    CompletableFuture<String> show(String deviceId, long now, String footer) {
        if (server.registry().find(deviceId).isEmpty()) {
            throw PageException.notFound("There is no device " + deviceId + ".");
        }
        CompletableFuture<List<TimelineEntry>> timeline = server.queries().timeline(deviceId);
        CompletableFuture<List<Assignment>> assignments = server.queries().assignments(deviceId);
        return devices.find(deviceId).thenCompose(row -> timeline.thenCombine(assignments, (t, a) -> render(
                row.orElseThrow(() -> PageException.notFound("There is no device " + deviceId + ".")), t, a, now,
                footer)));
    }

    private String render(DeviceRow d, List<TimelineEntry> timeline, List<Assignment> assignments, long now,
                          String footer) {
        String name = d.name().isEmpty() ? d.deviceId() : d.name();
        Html h = Layout.open(name, Layout.Section.NONE);
        h.raw("<p class=\"crumbs\">Device</p><h1>").text(name)
                .raw(" <span class=\"id mono\">").text(d.deviceId()).raw("</span></h1>");
        h.raw("<section class=\"card\"><dl class=\"kv cols device\">");
        kv(h, "Name", d.name(), "");
        kv(h, "DEVICEID", d.deviceId(), "mono");
        kv(h, "OS", (d.os() + " " + d.osVersion()).strip(), "");
        kv(h, "IP address", d.ip(), "mono");
        kv(h, "Agent", d.userAgent(), "mono");
        kv(h, "Tag", d.tag(), "");
        kv(h, "Last contact", Format.time(d.lastContact()) + suffix(Format.ago(d.lastContact(), now)), "");
        kv(h, "Last inventory", Format.time(d.lastInventory()) + suffix(Format.ago(d.lastInventory(), now)), "");
        kv(h, "First contact", Format.time(d.firstContact()), "");
        kv(h, "Packages", Format.count(assignments.size(), "assigned", "assigned"), "");
        h.raw("</dl></section>");

        Map<String, List<TimelineEntry>> byPackage = new LinkedHashMap<>();
        timeline.forEach(e -> byPackage.computeIfAbsent(e.packageId(), k -> new ArrayList<>()).add(e));
        Map<String, Assignment> current = new LinkedHashMap<>();
        assignments.forEach(a -> {
            current.put(a.packageId(), a);
            byPackage.computeIfAbsent(a.packageId(), k -> new ArrayList<>());
        });
        h.raw("<h2>Deployments</h2>");
        if (byPackage.isEmpty()) {
            h.raw("<div class=\"empty\">No package has been assigned to this device.</div>");
        }
        for (Map.Entry<String, List<TimelineEntry>> e : byPackage.entrySet()) {
            pkg(h, e.getKey(), current.get(e.getKey()), e.getValue());
        }
        return Layout.close(h, footer);
    }

    private void pkg(Html h, String packageId, Assignment assignment, List<TimelineEntry> events) {
        PackageRecord p = server.packages().get(packageId).orElse(null);
        h.raw("<section class=\"card pkg\" data-package=\"").text(packageId).raw("\"><div class=\"pkg-head\"><h3>");
        if (p != null) {
            h.link(Urls.pkg(packageId), p.spec().name()).raw(" <span class=\"muted mono small\">").text(packageId)
                    .raw("</span>");
        } else {
            h.text(packageId).raw(" <span class=\"muted small\">(package deleted)</span>");
        }
        h.raw("</h3><span class=\"current\">");
        if (assignment != null) {
            h.raw("<span class=\"muted\">now </span>");
            Parts.state(h, assignment.state());
        } else {
            h.raw("<span class=\"muted\">not assigned any more</span>");
        }
        h.raw("</span></div>");
        if (events.isEmpty()) {
            h.raw("<p class=\"muted\">Nothing recorded yet.</p></section>");
            return;
        }
        h.raw("<ol class=\"tl\">");
        for (TimelineEntry e : events) {
            h.raw("<li><span class=\"mono muted nw\">").text(Format.time(e.at())).raw("</span><span class=\"dot "
                    + dot(e) + "\"></span><span class=\"wrap\">");
            event(h, e);
            h.raw("</span></li>");
        }
        h.raw("</ol></section>");
    }

    /** One event in words. */
    private static void event(Html h, TimelineEntry e) {
        String detail = e.detail() == null ? "" : e.detail();
        switch (e.event()) {
            case "assigned" -> h.raw("<span class=\"ev\">Assigned</span> <span class=\"muted\">")
                    .text(origin(detail)).raw("</span>");
            case "notified" -> h.raw("<span class=\"ev\">Notified</span> <span class=\"muted\">offered in a PROLOG"
                    + " reply</span>");
            case "info" -> h.raw("<span class=\"ev\">Info file fetched</span>");
            case "fragment" -> h.raw("<span class=\"ev\">Fragment ").text(detail).raw("</span>");
            case "tls failure" -> h.raw("<span class=\"ev\">TLS handshake failed</span> <span class=\"muted\">")
                    .text(unquote(detail)).raw("</span>");
            case "result" -> {
                h.raw("<span class=\"ev\">Result</span> ");
                String code = detail.split(" ", 2)[0];
                Parts.state(h, code);
                if (detail.length() > code.length()) {
                    h.raw(" <span class=\"muted\">").text(detail.substring(code.length()).strip()).raw("</span>");
                }
            }
            case "reset" -> h.raw("<span class=\"ev\">Reset</span>").text(detail.isEmpty() ? "" : " (" + detail + ")");
            default -> h.raw("<span class=\"ev\">").text(e.event()).raw("</span>").text(detail.isEmpty() ? ""
                    : " " + detail);
        }
    }

    /** Where an assignment came from, in words ({@code device}, {@code group:NAME}, {@code search:EXPR}). */
    static String origin(String origin) {
        if (origin.equals("device")) {
            return "to this device";
        }
        if (origin.startsWith("group:")) {
            return "through group " + origin.substring(6);
        }
        if (origin.startsWith("search:")) {
            return "by search " + origin.substring(7);
        }
        return origin;
    }

    /** A reason as the transport logs it (spaces and the like as %XX), back in plain characters. */
    static String unquote(String logged) {
        StringBuilder sb = new StringBuilder(logged.length());
        for (int i = 0; i < logged.length(); i++) {
            char c = logged.charAt(i);
            if (c == '%' && i + 2 < logged.length() && Character.digit(logged.charAt(i + 1), 16) >= 0
                    && Character.digit(logged.charAt(i + 2), 16) >= 0) {
                sb.append((char) Integer.parseInt(logged.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String dot(TimelineEntry e) {
        return switch (e.event()) {
            case "notified" -> "notified";
            case "info", "fragment" -> "download";
            case "tls failure" -> "error";
            case "result" -> {
                Bucket b = Bucket.of(e.detail() == null ? "" : e.detail().split(" ", 2)[0]);
                yield b == Bucket.SUCCESS ? "success" : b == Bucket.ERROR ? "error" : "other";
            }
            default -> "";
        };
    }

    private static void kv(Html h, String key, String value, String cls) {
        h.raw("<dt>").text(key).raw("</dt><dd" + (cls.isEmpty() ? "" : " class=\"" + cls + "\"") + ">");
        if (value.isEmpty()) {
            h.raw("<span class=\"muted\">–</span>");
        } else {
            h.text(value);
        }
        h.raw("</dd>");
    }

    private static String suffix(String ago) {
        return ago.isEmpty() ? "" : " (" + ago + ")";
    }
}
