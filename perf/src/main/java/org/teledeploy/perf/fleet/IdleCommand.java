package org.teledeploy.perf.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Holds N idle keep-alive agent connections: each sends one PROLOG, then stays silent for {@code --hold}
 * seconds, then sends another; reports how many were still served and what the server process cost meanwhile.
 */
@Command(name = "idle", description = "Hold many idle keep-alive agent connections")
final class IdleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--connections", defaultValue = "10000", description = "Connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--hold", defaultValue = "60", description = "Seconds idle (default: ${DEFAULT-VALUE})")
    long holdSeconds;

    @Option(names = "--open-concurrency", defaultValue = "256", description = "Connections opened at once")
    int openConcurrency;

    @Override
    public Integer call() throws Exception {
        FleetStats stats = new FleetStats();
        AgentProfile profile = new AgentProfile(Endpoint.parse(common.server), new AgentBodies(common.prefix), false,
                1, 0, 0, common.timeoutMillis, 0, 1000, FaultPlan.NONE, false, Set.of());
        ServerProbe probe = new ServerProbe(common.serverPid, common.adminClient());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mode", "idle");
        result.put("connections", connections);
        result.put("hold_s", holdSeconds);
        result.put("server_before", probe.sample());
        try (FleetTransport transport = common.transport()) {
            List<AgentSession> sessions = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                sessions.add(new AgentSession(transport, stats, profile));
            }
            long t0 = System.nanoTime();
            AtomicInteger first = new AtomicInteger();
            Fleet.run(connections, openConcurrency, Long.MAX_VALUE / 2 + t0,
                    k -> prolog(sessions.get(k), profile, common.from + k, "prolog.first", first)).join();
            result.put("open_seconds", FleetStats.round((System.nanoTime() - t0) / 1e9));
            result.put("served_first", first.get());
            result.put("server_holding", probe.sample());
            Thread.sleep(holdSeconds * 1000);
            result.put("server_after_hold", probe.sample());
            AtomicInteger second = new AtomicInteger();
            Fleet.run(connections, openConcurrency, Long.MAX_VALUE / 2 + System.nanoTime(),
                    k -> prolog(sessions.get(k), profile, common.from + k, "prolog.after-idle", second)).join();
            result.put("served_after_idle", second.get());
            long stillOpen = sessions.stream().filter(AgentSession::reusedOnly).count();
            result.put("served_on_same_connection", stillOpen);
            sessions.forEach(AgentSession::close);
            result.put("requests", stats.toMap(1));
            result.put("counters", stats.counters());
            common.emit(result);
            return first.get() == connections && stillOpen == connections ? 0 : 1;
        }
    }

    private static CompletableFuture<Void> prolog(AgentSession s, AgentProfile profile, int device, String kind,
                                                  AtomicInteger ok) {
        Endpoint server = profile.server();
        byte[] body = AgentBodies.zlib(profile.bodies().prolog(device));
        return s.exchange(kind, server, () -> FleetTransport.post(server, server.path(), AgentBodies.USER_AGENT, body),
                4096, null).handle((r, e) -> {
                    if (e == null && r.status() == 200) {
                        ok.incrementAndGet();
                    }
                    return null;
                });
    }
}
