package org.teledeploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.ForkedServer;
import org.teledeploy.testing.OcsClient;

/**
 * kill -9 of a forked teledeployd in the middle of work: every result report that got its 200 is in the database
 * after the crash, exactly once; a package build killed half way leaves nothing visible, the next start cleans
 * its leftovers, and the same build then succeeds. Figures go to {@code target/reliability/crash.txt}.
 */
class CrashSafetyTest {

    private static final int AGENTS = 1000;
    private static final int REPORTS_PER_AGENT = 3;
    private static final int CONNECTIONS = 16;
    private static final int ROUNDS = 3;

    /** The default durability (acknowledged means on disk), as a production server runs. */
    private static final java.util.Map<String, String> SETTINGS = java.util.Map.of("store.synchronous", "full");

    @TempDir
    Path work;

    @Test
    void everyAcknowledgedReportSurvivesSigkillExactlyOnce() throws Exception {
        Random random = new Random(20261201);
        List<String> figures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            try (ForkedServer server = ForkedServer.start(work, SETTINGS)) {
                int killAfter = 200 + random.nextInt(AGENTS * REPORTS_PER_AGENT - 400);
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicInteger failed = new AtomicInteger();
                String prefix = "sim" + round;
                OcsClient client = new OcsClient("127.0.0.1", server.httpPort());
                ExecutorService agents = Executors.newFixedThreadPool(CONNECTIONS);
                AtomicInteger next = new AtomicInteger();
                for (int t = 0; t < CONNECTIONS; t++) {
                    agents.execute(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < AGENTS * REPORTS_PER_AGENT) {
                            String device = String.format("%s-%04d-2026-01-01-00-00-00", prefix, i % AGENTS);
                            String pkg = Long.toString(1_700_000_000L + i / AGENTS);
                            try {
                                OcsClient.Response r = client.post(OcsClient.downloadReport(device, pkg, "SUCCESS"));
                                if (r.status() == 200) {
                                    acknowledged.add(device + "/" + pkg);
                                }
                            } catch (IOException e) {
                                failed.incrementAndGet();
                            }
                        }
                    });
                }
                while (acknowledged.size() < killAfter && next.get() < AGENTS * REPORTS_PER_AGENT) {
                    Thread.sleep(1);
                }
                kill(server);
                agents.shutdown();
                assertTrue(agents.awaitTermination(60, TimeUnit.SECONDS), "simulated agents did not stop");
                int[] stored = check(work.resolve("state").resolve("teledeploy.db"), prefix, acknowledged);
                figures.add("round " + (round + 1) + ": killed after " + acknowledged.size() + " acknowledged reports ("
                        + failed.get() + " requests cut by the kill); stored " + stored[0] + " reports of the round,"
                        + " acknowledged ones missing: " + stored[1] + ", duplicated: " + stored[2]);
                assertEquals(0, stored[1], "acknowledged reports lost in round " + round);
                assertEquals(0, stored[2], "acknowledged reports stored twice in round " + round);
            }
        }
        try (ForkedServer server = ForkedServer.start(work, SETTINGS)) {
            assertEquals(200, new OcsClient("127.0.0.1", server.httpPort()).post(OcsClient.prolog(
                    "after-2026-01-01-00-00-00")).status(), "the server starts and serves after three crashes");
        }
        report("crash.txt", figures);
    }

    @Test
    void aBuildKilledHalfWayLeavesNoPackageAndCanBeRunAgain() throws Exception {
        Path source = Files.createDirectories(work.resolve("big"));
        byte[] chunk = new byte[1 << 20];
        new Random(1).nextBytes(chunk);
        for (int i = 0; i < 96; i++) {
            Files.write(source.resolve("part" + i + ".bin"), chunk);
        }
        Path state = work.resolve("state");
        String spec = "{\"name\": \"big\", \"os\": \"linux\", \"action\": \"store\", \"path\": \"/tmp/big\", "
                + "\"dir\": \"" + source + "\", \"fragmentSize\": \"1m\"}";
        String token;
        try (ForkedServer server = ForkedServer.start(work, SETTINGS)) {
            token = Files.readString(state.resolve("admin.token")).strip();
            HttpClient http = HttpClient.newHttpClient();
            http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/api/v1/packages"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
            Path staging = state.resolve("packages").resolve(".staging");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!hasFragments(staging) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(hasFragments(staging), "the build started writing fragments");
            kill(server);
            assertTrue(hasFragments(staging), "killed half way: fragments were staged");
        }
        try (ForkedServer server = ForkedServer.start(work, SETTINGS)) {
            HttpClient http = HttpClient.newHttpClient();
            Path staging = state.resolve("packages").resolve(".staging");
            try (Stream<Path> left = Files.list(staging)) {
                assertEquals(0, left.count(), "the next start removes the staging leftovers");
            }
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.adminPort() + "/api/v1/packages")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("[]", list.body().replaceAll("\\s", ""), "no half package is visible");
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.adminPort() + "/api/v1/packages")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, again.statusCode(), again.body());
            com.fasterxml.jackson.databind.JsonNode built = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(again.body());
            long size = built.get("archiveSize").asLong();
            assertTrue(size > 96L << 20, "the whole tree was archived: " + size);
            assertEquals((size + (1 << 20) - 1) >> 20, built.get("fragments").asLong(), again.body());
        }
    }

    /** SIGKILL: no shutdown hook, nothing flushed, as a crash of the process. */
    private static void kill(ForkedServer server) throws InterruptedException {
        server.process().destroyForcibly();
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server did not die");
    }

    private static boolean hasFragments(Path staging) throws IOException {
        if (!Files.isDirectory(staging)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(staging)) {
            return files.anyMatch(p -> p.getFileName().toString().matches("[0-9]+-[0-9]+"));
        }
    }

    /** {stored rows of the round, acknowledged but missing, acknowledged but duplicated}. */
    private static int[] check(Path database, String prefix, Set<String> acknowledged) throws Exception {
        int[] out = new int[3];
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT deviceid, package_id, COUNT(*) FROM download_reports WHERE deviceid LIKE ? GROUP BY 1, 2")) {
            ps.setString(1, prefix + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1) + "/" + rs.getString(2), rs.getInt(3));
                    out[0] += rs.getInt(3);
                }
            }
        }
        for (String key : acknowledged) {
            int n = counts.getOrDefault(key, 0);
            if (n == 0) {
                out[1]++;
            } else if (n > 1) {
                out[2]++;
            }
        }
        return out;
    }

    private static void report(String file, List<String> lines) throws IOException {
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
