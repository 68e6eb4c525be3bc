package org.teledeploy.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.teledeploy.deploy.Activation;
import org.teledeploy.deploy.DeploymentQueries;
import org.teledeploy.deploy.Groups;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.deploy.Parameter;
import org.teledeploy.packages.Notification;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.registry.DeviceQueries.DeviceRow;

/**
 * The JSON objects of docs/admin-api.md ("Objects"), built from the services' types in one place so that a
 * Package or a Device looks the same in every answer. Insertion-ordered maps: fields come out in the order of
 * the doc, absent values as {@code null}.
 */
final class Views {

    private Views() {}

    /**
     * The Package object; {@code activation} empty when not activated, {@code corruptFragments} the fragments found
     * corrupt on disk and refused to agents until restored.
     */
    static Map<String, Object> pkg(PackageRecord r, Optional<Activation> activation, List<Integer> corruptFragments) {
        PackageSpec s = r.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("os", lower(s.os()));
        m.put("protocol", lower(s.protocol()));
        m.put("priority", s.priority());
        m.put("action", lower(s.action()));
        m.put("command", s.action() == PackageAction.STORE ? null : s.actionParameter());
        m.put("path", s.action() == PackageAction.STORE ? s.actionParameter() : null);
        m.put("notification", notification(s.notification()));
        m.put("postCmd", lower(s.postCommand()));
        m.put("digestAlgorithm", lower(s.digest()));
        m.put("digest", r.digest());
        m.put("archiveSize", r.archiveSize());
        m.put("fragments", r.fragments());
        m.put("origin", r.origin());
        m.put("createdAt", time(r.createdAt()));
        m.put("updatedAt", time(r.updatedAt()));
        m.put("broken", r.brokenReason().orElse(null));
        m.put("corruptFragments", corruptFragments);
        m.put("activation", activation.map(Views::activation).orElse(null));
        return m;
    }

    private static Map<String, Object> activation(Activation a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infoUrl", a.infoLocation());
        m.put("fragUrl", a.packLocation());
        m.put("activatedAt", time(a.activatedAt()));
        return m;
    }

    static Map<String, Object> notification(Notification n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", n.text());
        m.put("countdown", n.countdownSeconds().isPresent() ? n.countdownSeconds().getAsInt() : null);
        m.put("canAbort", n.canAbort());
        m.put("canDelay", n.canDelay());
        m.put("doneText", n.doneText());
        return m;
    }

    /** The Statistics object: the buckets always add up to {@code total}. */
    static Map<String, Object> statistics(PackageStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("packageId", s.packageId());
        m.put("total", s.total());
        for (PackageStatistics.Bucket bucket : PackageStatistics.Bucket.values()) {
            m.put(lower(bucket), s.count(bucket));
        }
        m.put("byState", new TreeMap<>(s.byState()));
        return m;
    }

    /** The Device (summary) object. */
    static Map<String, Object> device(DeviceRow d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.deviceId());
        m.put("name", d.name());
        m.put("os", d.os());
        m.put("osVersion", d.osVersion());
        m.put("userAgent", d.userAgent());
        m.put("ip", d.ip());
        m.put("tag", d.tag());
        m.put("firstContact", time(d.firstContact()));
        m.put("lastContact", time(d.lastContact()));
        m.put("lastInventory", time(d.lastInventory()));
        return m;
    }

    static List<Map<String, Object>> devices(List<DeviceRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(device(r)));
        return out;
    }

    /** One device behind a statistics bucket. */
    static Map<String, Object> deviceState(DeploymentQueries.DeviceState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", s.deviceId());
        m.put("name", s.name());
        m.put("state", s.state());
        m.put("stateAt", time(s.stateAt()));
        return m;
    }

    static Map<String, Object> timelineEntry(DeploymentQueries.TimelineEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", time(e.at()));
        m.put("packageId", e.packageId());
        m.put("event", e.event());
        m.put("detail", e.detail());
        return m;
    }

    /** A group in lists: name, search ({@code null} for a static group), member count. */
    static Map<String, Object> group(Groups.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.group().name());
        m.put("where", s.group().search().orElse(null));
        m.put("members", s.members());
        return m;
    }

    /** OCS parameter name → value, by name. */
    static Map<String, Integer> settings(Map<Parameter, Integer> values) {
        Map<String, Integer> m = new TreeMap<>();
        values.forEach((p, v) -> m.put(p.name(), v));
        return m;
    }

    /** A small object with its fields in the order given: {@code object("created", 1, "dryRun", false)}. */
    static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /** ISO-8601 UTC to the second; null for 0 (never). */
    static String time(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
