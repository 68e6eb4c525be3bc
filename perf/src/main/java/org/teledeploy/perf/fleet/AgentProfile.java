package org.teledeploy.perf.fleet;

import java.util.Set;

/**
 * How the simulated agents behave: the server URL they post to, their DEVICEID prefix, whether they send an
 * inventory when told SEND, the agent's waits (FRAG_LATENCY etc. of the CONF, in ms here) divided by
 * {@code compress}, per-request timeout and retries, the faults they inject, and which packages they fetch (empty:
 * every package offered).
 */
public record AgentProfile(Endpoint server, AgentBodies bodies, boolean inventory, double compress,
                           long fragLatencyMillis, long periodLatencyMillis, long timeoutMillis, int retries,
                           long retryDelayMillis, FaultPlan faults, boolean verifyDigest, Set<String> packages) {

    public AgentProfile {
        if (compress <= 0) {
            throw new IllegalArgumentException("compress: " + compress + " (expected: > 0)");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries: " + retries + " (expected: >= 0)");
        }
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis: " + timeoutMillis + " (expected: > 0)");
        }
        packages = Set.copyOf(packages);
    }

    long compressed(long millis) {
        return Math.round(millis / compress);
    }

    boolean wants(String packageId) {
        return packages.isEmpty() || packages.contains(packageId);
    }
}
