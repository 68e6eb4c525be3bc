package org.teledeploy.perf.fleet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Registers (or re-inventories) devices {@code from .. from+count-1} with the inventory of
 * {@code ocs_client.py}, over {@code concurrency} keep-alive connections: how the benchmark fills a registry of
 * up to a million devices quickly, and a measure of inventory throughput.
 */
@Command(name = "register", description = "Send one INVENTORY per device, as fast as the server takes them")
final class RegisterCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--count", required = true, description = "Devices")
    int count;

    @Option(names = "--concurrency", defaultValue = "64", description = "Connections (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        FleetStats stats = new FleetStats();
        AgentProfile profile = new AgentProfile(Endpoint.parse(common.server), new AgentBodies(common.prefix), true,
                1, 0, 0, common.timeoutMillis, 3, 1000, FaultPlan.NONE, false, java.util.Set.of());
        ServerProbe probe = new ServerProbe(common.serverPid, null);
        Map<String, Object> before = probe.sample();
        try (FleetTransport transport = common.transport()) {
            ConcurrentLinkedQueue<AgentSession> sessions = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < concurrency; i++) {
                sessions.add(new AgentSession(transport, stats, profile));
            }
            Endpoint server = profile.server();
            long start = System.nanoTime();
            Fleet.run(count, concurrency, Long.MAX_VALUE / 2 + start, k -> {
                int device = common.from + k;
                AgentSession s = sessions.poll();
                byte[] body = AgentBodies.zlib(profile.bodies().inventory(device));
                return s.exchange("inventory", server, () -> FleetTransport.post(server, server.path(),
                        AgentBodies.USER_AGENT, body), 4096, null).handle((r, e) -> {
                            if (e == null && r.status() == 200
                                    && Replies.reply(r.body()).response().endsWith("ACCOUNT_UPDATE")) {
                                stats.count("registered");
                            } else {
                                stats.count("not-registered");
                            }
                            sessions.add(s);
                            return (Void) null;
                        });
            }).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            sessions.forEach(AgentSession::close);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("mode", "register");
            result.put("devices", count);
            result.put("from", common.from);
            result.put("concurrency", concurrency);
            result.put("seconds", FleetStats.round(seconds));
            result.put("per_s", FleetStats.round(stats.counter("registered") / seconds));
            result.put("counters", stats.counters());
            result.put("requests", stats.toMap(seconds));
            result.put("server_before", before);
            result.put("server_after", probe.sample());
            common.emit(result);
            return stats.counter("registered") == count ? 0 : 1;
        }
    }
}
