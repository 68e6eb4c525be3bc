package org.teledeploy.perf.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The fleet simulator against a real server: registration, the whole deployment cycle with its audit, a
 * shortened fault-injecting soak (the reliability suite's load run, in CI form), idle connections. Counts and
 * losses only: no timing is asserted.
 */
class FleetSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("DOWNLOAD_FRAG_LATENCY", "0");

    @TempDir
    Path dir;

    @Test
    void registerCreatesEveryDeviceOnce() throws IOException {
        JsonNode r = run("register", "--count", "300", "--concurrency", "16");
        assertEquals(300, r.path("counters").path("registered").asInt());
        assertEquals(300, server.server().registry().size());
        JsonNode again = run("register", "--count", "300", "--concurrency", "16");
        assertEquals(300, again.path("counters").path("registered").asInt(), "updates of known devices");
        assertEquals(300, server.server().registry().size());
    }

    @Test
    void everyAgentGoesThroughTheCycleAndEveryAcknowledgedResultIsStored() throws IOException {
        JsonNode r = run("cycle", "--agents", "200", "--concurrency", "32", "--package-size", "40000",
                "--fragment-size", "16k");
        JsonNode round = r.path("rounds").get(0);
        assertEquals(200, round.path("agents").asInt());
        assertEquals(200, r.path("acked").asInt(), r.toString());
        assertEquals(200, round.path("stored_success").asInt());
        assertEquals(0, r.path("lost").asInt());
        assertEquals(0, r.path("duplicated").asInt());
        assertTrue(round.path("statistics_add_up").asBoolean());
        assertEquals(200, r.path("counters").path("agent.done").asInt());
        // 40,000 bytes in 16 KiB fragments: 3 per agent, each one checked into the package digest
        assertEquals(600, r.path("requests").path("fragment").path("answered").asInt());
        assertEquals(0, r.path("counters").path("digest.mismatch").asInt());
        assertEquals(200, r.path("requests").path("info").path("answered").asInt());
        assertEquals(200, r.path("requests").path("connect.tls").path("answered").asInt(), "one TLS connection each");
    }

    @Test
    void aFaultInjectingSoakLosesNoAcknowledgedResult() throws IOException {
        JsonNode r = run("cycle", "--agents", "250", "--concurrency", "50", "--package-size", "20000",
                "--fragment-size", "8k", "--cut", "0.05", "--garbage", "0.01", "--duration", "1",
                "--retry-delay-ms", "1000");
        assertTrue(r.path("rounds").size() >= 1);
        assertEquals(0, r.path("lost").asInt(), r.toString());
        assertEquals(0, r.path("duplicated").asInt());
        JsonNode counters = r.path("counters");
        long cuts = 0;
        long garbage = 0;
        for (var it = counters.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().startsWith("fault.cut.")) {
                cuts += e.getValue().asLong();
            } else if (e.getKey().startsWith("fault.garbage.") && !e.getKey().equals("fault.garbage.accepted")) {
                garbage += e.getValue().asLong();
            }
        }
        assertTrue(cuts > 0, "requests were cut: " + counters);
        assertTrue(garbage > 0, "garbage was sent: " + counters);
        assertEquals(0, counters.path("fault.garbage.accepted").asInt(), "no garbage got a 2xx");
        assertEquals(r.path("acked").asInt(), r.path("counters").path("agent.done").asInt(),
                "every agent that finished had its result acknowledged");
        // and the server still serves a clean PROLOG
        assertEquals(200, server.client().post(org.teledeploy.testing.OcsClient.prolog(
                "after-2026-01-01-00-00-00")).status());
    }

    @Test
    void idleKeepAliveConnectionsAreStillServedAfterTheWait() throws IOException {
        JsonNode r = run("idle", "--connections", "100", "--hold", "1");
        assertEquals(100, r.path("served_first").asInt());
        assertEquals(100, r.path("served_after_idle").asInt());
        assertEquals(100, r.path("served_on_same_connection").asInt());
    }

    private JsonNode run(String command, String... options) throws IOException {
        Path out = dir.resolve(command + "-" + System.nanoTime() + ".json");
        Path token = server.stateDir().resolve("admin.token");
        String[] common = {command, "--server", server.httpUrl(), "--admin",
                "http://127.0.0.1:" + server.server().adminPort(), "--token-file", token.toString(),
                "--ca", server.server().caCertificate().toString(), "--out", out.toString(), "--timeout-ms", "10000"};
        String[] args = new String[common.length + options.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(options, 0, args, common.length, options.length);
        int exit = FleetMain.run(args);
        JsonNode result = JSON.readTree(Files.readString(out));
        assertEquals(0, exit, "exit code of " + command + ": " + result);
        return result;
    }
}
