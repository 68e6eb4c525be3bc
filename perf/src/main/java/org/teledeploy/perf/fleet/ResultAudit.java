package org.teledeploy.perf.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * After a run: every result the server acknowledged must be stored exactly once. Reads the package's SUCCESS
 * devices and statistics through the admin API and compares them with the {@link ResultLedger}.
 */
public final class ResultAudit {

    private ResultAudit() {}

    /** Figures of one package: {@code lost} and {@code duplicated} must be 0. */
    public record Outcome(String packageId, int acked, int stored, int lost, int storedNotAcked, int duplicated,
                          boolean statisticsAddUp) {

        public boolean clean() {
            return lost == 0 && duplicated == 0 && statisticsAddUp;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("package", packageId);
            m.put("acked", acked);
            m.put("stored_success", stored);
            m.put("lost", lost);
            m.put("stored_not_acked", storedNotAcked);
            m.put("duplicated", duplicated);
            m.put("statistics_add_up", statisticsAddUp);
            return m;
        }
    }

    public static Outcome audit(AdminClient admin, String packageId, Set<String> acked, String devicePrefix)
            throws IOException {
        JsonNode devices = admin.get("/api/v1/packages/" + packageId + "/devices?bucket=success");
        Set<String> stored = new HashSet<>();
        int rows = 0;
        for (JsonNode d : devices) {
            String id = d.path("deviceId").asText();
            if (id.startsWith(devicePrefix + "-")) {
                rows++;
                stored.add(id);
            }
        }
        int lost = 0;
        for (String id : acked) {
            if (!stored.contains(id)) {
                lost++;
            }
        }
        int notAcked = 0;
        for (String id : stored) {
            if (!acked.contains(id)) {
                notAcked++;
            }
        }
        JsonNode s = admin.get("/api/v1/packages/" + packageId + "/statistics");
        long buckets = 0;
        for (String b : new String[] {"waiting", "notified", "success", "error", "other"}) {
            buckets += s.path(b).asLong();
        }
        long byState = 0;
        for (JsonNode n : s.path("byState")) {
            byState += n.asLong();
        }
        boolean addUp = buckets == s.path("total").asLong() && byState == buckets;
        return new Outcome(packageId, acked.size(), stored.size(), lost, notAcked, rows - stored.size(), addUp);
    }
}
