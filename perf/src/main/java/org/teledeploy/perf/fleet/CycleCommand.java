package org.teledeploy.perf.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The full deployment cycle for N agents, in rounds: each round builds a new package through the admin API
 * (random content, so nothing compresses), deploys it to a dynamic group matching the simulator's devices, runs
 * every agent through PROLOG → INVENTORY → info over HTTPS → fragments over HTTP → result, then audits that every
 * acknowledged result is stored exactly once. With {@code --duration} rounds repeat until the time is up (the
 * soak), with faults injected at the given rates.
 */
@Command(name = "cycle", description = "Run agents through the whole deployment cycle and audit the results")
final class CycleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--agents", required = true, description = "Agents per round")
    int agents;

    @Option(names = "--concurrency", defaultValue = "256", description = "Agents at work at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--package-size", defaultValue = "65536", description = "Bytes of content (default: ${DEFAULT-VALUE})")
    long packageSize;

    @Option(names = "--fragment-size", defaultValue = "32k", description = "Fragment size (default: ${DEFAULT-VALUE})")
    String fragmentSize;

    @Option(names = "--package", description = "Use this activated package instead of building one per round")
    String packageId;

    @Option(names = "--compress", defaultValue = "1000", description = "Agent waits divided by this (default: ${DEFAULT-VALUE})")
    double compress;

    @Option(names = "--frag-latency-ms", defaultValue = "10000", description = "FRAG_LATENCY (default: ${DEFAULT-VALUE})")
    long fragLatency;

    @Option(names = "--period-latency-ms", defaultValue = "1000", description = "PERIOD_LATENCY (default: ${DEFAULT-VALUE})")
    long periodLatency;

    @Option(names = "--retry-delay-ms", defaultValue = "60000", description = "Wait before a retry (default: ${DEFAULT-VALUE})")
    long retryDelay;

    @Option(names = "--retries", defaultValue = "20", description = "Tries per request after the first (default: ${DEFAULT-VALUE})")
    int retries;

    @Option(names = "--cut", defaultValue = "0", description = "Share of requests cut mid-way (default: ${DEFAULT-VALUE})")
    double cut;

    @Option(names = "--garbage", defaultValue = "0", description = "Share of requests preceded by garbage (default: ${DEFAULT-VALUE})")
    double garbage;

    @Option(names = "--duration", defaultValue = "0", description = "Seconds: repeat rounds until then (0: one round)")
    long durationSeconds;

    @Option(names = "--no-inventory", negatable = true, defaultValue = "true", description = "Send INVENTORY when told SEND")
    boolean inventory;

    @Option(names = "--no-verify-digest", negatable = true, defaultValue = "true", description = "Check the package digest")
    boolean verifyDigest;

    @Override
    public Integer call() throws Exception {
        AdminClient admin = common.adminClient();
        if (admin == null) {
            throw new IllegalArgumentException("--admin: missing (expected: the admin URL, for packages and the audit)");
        }
        String group = "fleet-" + common.prefix;
        if (packageId == null) {
            admin.post("/api/v1/groups", Map.of("name", group, "where", "name ~ " + common.prefix + "-"), 201, 409);
        }
        ServerProbe probe = new ServerProbe(common.serverPid, admin);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mode", durationSeconds > 0 ? "soak" : "cycle");
        result.put("agents_per_round", agents);
        result.put("concurrency", concurrency);
        result.put("faults", Map.of("cut", cut, "garbage", garbage));
        result.put("server_before", probe.sample());
        FleetStats stats = new FleetStats();
        List<Object> rounds = new ArrayList<>();
        List<ResultAudit.Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        try (FleetTransport transport = common.transport()) {
            do {
                String pkg = packageId != null ? packageId : buildPackage(admin, group, rounds.size());
                AgentProfile profile = new AgentProfile(Endpoint.parse(common.server), new AgentBodies(common.prefix),
                        inventory, compress, fragLatency, periodLatency, common.timeoutMillis, retries, retryDelay,
                        new FaultPlan(cut, garbage), verifyDigest, Set.of(pkg));
                ResultLedger ledger = new ResultLedger();
                long roundStart = System.nanoTime();
                int started = Fleet.run(agents, concurrency, durationSeconds > 0 ? end : Long.MAX_VALUE / 2 + roundStart,
                        k -> new SimulatedAgent(common.from + k, profile, new AgentSession(transport, stats, profile),
                                stats, ledger).run()).join();
                double seconds = (System.nanoTime() - roundStart) / 1e9;
                ResultAudit.Outcome outcome = ResultAudit.audit(admin, pkg, ledger.acked(pkg), common.prefix);
                outcomes.add(outcome);
                Map<String, Object> round = new LinkedHashMap<>(outcome.toMap());
                round.put("agents", started);
                round.put("seconds", FleetStats.round(seconds));
                round.put("agents_per_s", FleetStats.round(started / seconds));
                round.put("server", probe.sample());
                rounds.add(round);
                System.err.println("round " + rounds.size() + ": " + round);
            } while (durationSeconds > 0 && System.nanoTime() - end < 0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        result.put("seconds", FleetStats.round(seconds));
        result.put("rounds", rounds);
        result.put("acked", outcomes.stream().mapToInt(ResultAudit.Outcome::acked).sum());
        result.put("lost", outcomes.stream().mapToInt(ResultAudit.Outcome::lost).sum());
        result.put("duplicated", outcomes.stream().mapToInt(ResultAudit.Outcome::duplicated).sum());
        result.put("requests_answered", stats.answered());
        result.put("request_errors", stats.errors());
        result.put("counters", stats.counters());
        result.put("requests", stats.toMap(seconds));
        result.put("server_after", probe.sample());
        common.emit(result);
        boolean clean = outcomes.stream().allMatch(ResultAudit.Outcome::clean) && stats.counter("fault.garbage.accepted") == 0;
        return clean ? 0 : 1;
    }

    /** A STORE package of random bytes built from a directory, activated and deployed to the group. */
    private String buildPackage(AdminClient admin, String group, int round) throws IOException {
        Path dir = Files.createTempDirectory("teledeploy-fleet-");
        try {
            byte[] content = new byte[(int) packageSize];
            new Random(round * 7919L + packageSize).nextBytes(content);
            Files.write(dir.resolve("payload.bin"), content);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", "fleet-" + common.prefix + "-" + round);
            spec.put("os", "linux");
            spec.put("action", "store");
            spec.put("path", "/tmp/teledeploy-fleet");
            spec.put("dir", dir.toAbsolutePath().toString());
            spec.put("fragmentSize", fragmentSize);
            JsonNode created = admin.post("/api/v1/packages", spec, 201);
            String id = created.path("id").asText();
            admin.post("/api/v1/packages/" + id + "/activate", Map.of());
            admin.post("/api/v1/packages/" + id + "/deploy", Map.of("group", group));
            return id;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
