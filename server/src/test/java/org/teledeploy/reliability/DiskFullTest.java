package org.teledeploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.ForkedServer;
import org.teledeploy.testing.OcsClient;

/**
 * The state directory on a small tmpfs of its own (so root only: skipped otherwise; CI runs as root), filled up
 * with a filler file while a forked teledeployd works, its application log and access log on the same full file
 * system:
 * <ul>
 *   <li>during a burst of result reports, every reply is a 200 (stored) or a 503 with {@code Retry-After} (not
 *       stored), the server stays up, and once the filler is removed the retries are stored: every report that got
 *       a 200 is in the database exactly once, and no refused one is;</li>
 *   <li>a package build fails with "No space left on device" naming the packages directory, leaves no staging
 *       and no package, and the same build succeeds once there is room.</li>
 * </ul>
 */
@Timeout(300)
class DiskFullTest {

    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final int THREADS = 8;

    @TempDir
    Path work;

    private Path fs;
    private boolean mounted;

    @BeforeEach
    void mountTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        fs = Files.createDirectories(work.resolve("fs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", fs.toString())
                .redirectErrorStream(true).start();
        assertTrue(mount.waitFor(30, TimeUnit.SECONDS));
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(mount.exitValue() == 0, "mount -t tmpfs failed (no CAP_SYS_ADMIN?): " + output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            Process umount = new ProcessBuilder("umount", "-l", fs.toString()).redirectErrorStream(true).start();
            assertTrue(umount.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, umount.exitValue(), new String(umount.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void resultsAre503WhileTheDiskIsFullAndEveryAcknowledgedOneIsStoredOnce() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        AtomicInteger unexpected = new AtomicInteger();
        List<String> oddReplies = new ArrayList<>();
        Path filler = fs.resolve("filler");
        int sentWhileFull;
        int refusedWhileFull;
        try (ForkedServer server = ForkedServer.start(fs, Map.of("store.synchronous", "full",
                "log.access", fs.resolve("access.log").toString()))) {
            OcsClient client = new OcsClient("127.0.0.1", server.httpPort());
            burst(client, 0, 400, acknowledged, refused, unexpected, oddReplies, new AtomicBoolean());
            assertEquals(400, acknowledged.size(), "room on disk: every report stored " + oddReplies);

            fill(filler, 0);
            AtomicBoolean enough = new AtomicBoolean();
            long deadline = System.nanoTime() + BOUND.toNanos();
            int next = 400;
            while (refused.size() < 50 && System.nanoTime() < deadline) {
                burst(client, next, 200, acknowledged, refused, unexpected, oddReplies, enough);
                next += 200;
            }
            assertEquals(List.of(), oddReplies, "only 200 or 503 + Retry-After");
            assertTrue(refused.size() >= 50, "the full disk was noticed: " + refused.size() + " reports refused of "
                    + (next - 400) + " sent after filling it");
            assertTrue(server.process().isAlive(), "the server stays up on a full disk (its logs too)");
            assertEquals(200, client.post(OcsClient.prolog("full-2026-01-01-00-00-00")).status(),
                    "PROLOG is still answered");

            sentWhileFull = next - 400;
            refusedWhileFull = refused.size();
            Files.delete(filler);
            List<String> retries = new ArrayList<>(refused);
            refused.clear();
            retryUntilStored(client, retries, acknowledged);
            assertEquals(next, acknowledged.size(), "every report sent is stored once space is back");
            assertEquals(0, server.stop(BOUND), "and the server stops cleanly");
        }
        Map<String, Integer> stored = storedReports(fs.resolve("state").resolve("teledeploy.db"));
        List<String> missing = acknowledged.stream().filter(k -> !stored.containsKey(k)).toList();
        List<String> twice = stored.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), missing, "acknowledged reports missing");
        assertEquals(List.of(), twice, "reports stored more than once (a 503 that had stored it)");
        assertEquals(acknowledged.size(), stored.size(), "nothing stored that was not acknowledged");
        report("disk-full.txt", List.of("results: 400 reports stored before the disk was filled; " + sentWhileFull
                + " sent while it was full: " + (sentWhileFull - refusedWhileFull) + " stored (room left in the WAL), "
                + refusedWhileFull + " answered 503 + Retry-After; after the filler was removed every refused report"
                + " was stored on its retry; " + stored.size() + " reports in the database, acknowledged ones missing: "
                + missing.size() + ", stored twice: " + twice.size()));
    }

    private static void report(String file, List<String> lines) throws IOException {
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void aBuildOnAFullDiskFailsCleanlyAndSucceedsOnceThereIsRoom() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(3);
        for (int i = 0; i < 12; i++) {
            random.nextBytes(chunk);
            Files.write(source.resolve("part" + i + ".bin"), chunk); // incompressible: a 12 MiB archive
        }
        String spec = "{\"name\": \"big\", \"os\": \"linux\", \"action\": \"store\", \"path\": \"/opt/big\", "
                + "\"dir\": \"" + source + "\", \"fragmentSize\": \"1m\"}";
        Path filler = fs.resolve("filler");
        Path packages = fs.resolve("state").resolve("packages");
        try (ForkedServer server = ForkedServer.start(fs, Map.of("log.access", fs.resolve("access.log").toString()))) {
            String token = Files.readString(fs.resolve("state").resolve("admin.token")).strip();
            fill(filler, 4L << 20); // room for the database, not for the archive
            HttpResponse<String> failed = admin(server, token, "POST", "/api/v1/packages", spec);
            assertEquals(500, failed.statusCode(), failed.body());
            JsonNode error = new ObjectMapper().readTree(failed.body());
            assertEquals("internal", error.get("error").asText(), failed.body());
            String detail = error.get("detail").asText();
            assertTrue(detail.startsWith("cannot build package ") && detail.contains("No space left on device")
                    && detail.endsWith("(writing to " + packages + ")"), detail);
            try (Stream<Path> staging = Files.list(packages.resolve(".staging"))) {
                assertEquals(0, staging.count(), "the staging directory is removed");
            }
            try (Stream<Path> published = Files.list(packages)) {
                assertEquals(List.of(".staging"), published.map(p -> p.getFileName().toString()).toList(),
                        "no package directory");
            }
            assertEquals("[]", admin(server, token, "GET", "/api/v1/packages", null).body().replaceAll("\\s", ""),
                    "no half package is listed");
            assertTrue(server.process().isAlive());

            Files.delete(filler);
            HttpResponse<String> built = admin(server, token, "POST", "/api/v1/packages", spec);
            assertEquals(201, built.statusCode(), built.body());
            JsonNode pkg = new ObjectMapper().readTree(built.body());
            long size = pkg.get("archiveSize").asLong();
            assertTrue(size > 12L << 20, "the whole tree was archived: " + size);
            assertEquals((size + (1 << 20) - 1) >> 20, pkg.get("fragments").asLong());
            String id = pkg.get("id").asText();
            HttpResponse<byte[]> fragment = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.httpPort() + "/download/" + id + "/" + id + "-1")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, fragment.statusCode());
            assertEquals(1 << 20, fragment.body().length);
        }
    }

    /**
     * Sends reports {@code first … first+count-1} (a device and a package each) over {@link #THREADS} threads;
     * sorts them by reply into {@code acknowledged} and {@code refused}.
     */
    private static void burst(OcsClient client, int first, int count, Set<String> acknowledged,
                              ConcurrentLinkedQueue<String> refused, AtomicInteger unexpected, List<String> odd,
                              AtomicBoolean stop) throws InterruptedException {
        ExecutorService agents = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger(first);
        for (int t = 0; t < THREADS; t++) {
            agents.execute(() -> {
                int i;
                while ((i = next.getAndIncrement()) < first + count && !stop.get()) {
                    send(client, key(i), acknowledged, refused, odd);
                }
            });
        }
        agents.shutdown();
        assertTrue(agents.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS), "simulated agents did not finish");
    }

    private static void retryUntilStored(OcsClient client, List<String> keys, Set<String> acknowledged)
            throws InterruptedException {
        List<String> left = new ArrayList<>(keys);
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!left.isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail(left.size() + " reports still refused after space came back");
            }
            ConcurrentLinkedQueue<String> again = new ConcurrentLinkedQueue<>();
            List<String> odd = new ArrayList<>();
            for (String key : left) {
                send(client, key, acknowledged, again, odd);
            }
            assertEquals(List.of(), odd);
            left = new ArrayList<>(again);
            if (!left.isEmpty()) {
                Thread.sleep(100); // Retry-After, shortened
            }
        }
    }

    private static void send(OcsClient client, String key, Set<String> acknowledged,
                             ConcurrentLinkedQueue<String> refused, List<String> odd) {
        String[] deviceAndPackage = key.split("/");
        try {
            OcsClient.Response r = client.post(OcsClient.downloadReport(deviceAndPackage[0], deviceAndPackage[1],
                    "SUCCESS"));
            if (r.status() == 200) {
                acknowledged.add(key);
            } else if (r.status() == 503 && "60".equals(r.header("Retry-After"))) {
                refused.add(key);
            } else {
                synchronized (odd) {
                    odd.add(r.status() + " " + r.text());
                }
            }
        } catch (IOException e) {
            synchronized (odd) {
                odd.add(key + ": " + e);
            }
        }
    }

    private static String key(int i) {
        return String.format("full%05d-2026-01-01-00-00-00/%d", i, 1_764_000_000L + i % 7);
    }

    /** Writes {@code filler} until at most {@code leave} bytes are left on its file system. */
    private static void fill(Path filler, long leave) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (Files.getFileStore(filler).getUsableSpace() > leave) {
                zeros.clear();
                long room = Files.getFileStore(filler).getUsableSpace() - leave;
                if (room < zeros.capacity()) {
                    zeros.limit((int) Math.max(room, 1));
                }
                try {
                    out.write(zeros);
                } catch (IOException e) {
                    if (String.valueOf(e.getMessage()).contains("No space left on device")) {
                        return; // full
                    }
                    throw e;
                }
            }
        }
    }

    private static HttpResponse<String> admin(ForkedServer server, String token, String method, String path,
                                              String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .header("Authorization", "Bearer " + token).timeout(BOUND)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** device/package → rows of the reports sent by this test. */
    private static Map<String, Integer> storedReports(Path database) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement ps = c.prepareStatement("SELECT deviceid, package_id, COUNT(*) FROM download_reports"
                     + " WHERE deviceid LIKE 'full0%' OR deviceid LIKE 'full1%' GROUP BY 1, 2")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "/" + rs.getString(2), rs.getInt(3));
                }
            }
        }
        return out;
    }
}
