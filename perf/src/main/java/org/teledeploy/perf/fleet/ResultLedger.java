package org.teledeploy.perf.fleet;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The results the server acknowledged (a 200 to the DOWNLOAD report), per package: after a run each of them must
 * be stored, exactly once ({@link ResultAudit}).
 */
public final class ResultLedger {

    private final Map<String, Set<String>> acked = new ConcurrentHashMap<>();

    void acked(String packageId, String deviceId) {
        acked.computeIfAbsent(packageId, p -> ConcurrentHashMap.newKeySet()).add(deviceId);
    }

    public Set<String> acked(String packageId) {
        return acked.getOrDefault(packageId, Set.of());
    }
}
