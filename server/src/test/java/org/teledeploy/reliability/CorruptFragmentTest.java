package org.teledeploy.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.packages.FragmentVerifier;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * A byte flipped in a fragment file on disk of a real server (same size, so only the digest tells): the fragment
 * is refused with a 500 and a one-line reason on a connection that stays usable, the corruption is logged once with
 * the path and both digests, counted in {@code /metrics} and shown in the admin API; once the file is restored the
 * fragment is served again.
 */
class CorruptFragmentTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    @TempDir
    Path work;

    private final AdminClient admin = new AdminClient(server);
    private final Logger verifierLog = Logger.getLogger(FragmentVerifier.class.getName());
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        verifierLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        verifierLog.removeHandler(capture);
    }

    @Test
    void aFlippedByteIsNeverServedAndARestoredFileIsServedAgain() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        Path dir = Files.createDirectories(work.resolve("app"));
        Files.write(dir.resolve("payload.bin"), payload);
        AdminClient.Reply created = admin.post("/api/v1/packages", AdminClient.j("{'name': 'app', 'os': 'linux',"
                + " 'action': 'store', 'path': '/opt/app', 'fragmentSize': '100k', 'dir': '" + dir + "'}"));
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        Path fragment = server.stateDir().resolve("packages").resolve(id).resolve(id + "-2");
        byte[] good = Files.readAllBytes(fragment);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = "http://127.0.0.1:" + server.server().httpPort() + "/download/" + id + "/" + id + "-2";
        assertArrayEquals(good, get(http, url).body(), "served while intact");

        byte[] bad = good.clone();
        bad[12_345] ^= 0x10;
        Files.write(fragment, bad);
        Files.setLastModifiedTime(fragment, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> refused = get(http, url);
            assertEquals(500, refused.statusCode());
            assertEquals("fragment " + id + "-2 on the server is corrupt (its SHA-256 differs from the one recorded at"
                    + " build)\n", new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(200, get(http, "http://127.0.0.1:" + server.server().httpPort() + "/download/" + id + "/" + id
                + "-1").statusCode(), "the other fragments are served on the same client");
        List<String> errors = logLines.stream().filter(l -> l.startsWith("SEVERE ")).toList();
        assertEquals(1, errors.size(), "logged once for three requests: " + logLines);
        assertTrue(errors.get(0).contains(fragment.toString()) && errors.get(0).contains(sha256(bad))
                && errors.get(0).contains(sha256(good)), errors.get(0));
        assertEquals(1.0, metric("teledeploy.fragment.corruptions"));
        assertEquals(1.0, metric("teledeploy.fragments.corrupt"));
        JsonNode shown = admin.get("/api/v1/packages/" + id).json();
        assertEquals("[2]", shown.get("corruptFragments").toString());

        bad[54_321] ^= 0x10; // corrupt differently: found again, still one corrupt file
        Files.write(fragment, bad);
        Files.setLastModifiedTime(fragment, FileTime.fromMillis(System.currentTimeMillis() + 15_000));
        assertEquals(500, get(http, url).statusCode());
        assertEquals(2.0, metric("teledeploy.fragment.corruptions"));
        assertEquals(1.0, metric("teledeploy.fragments.corrupt"));

        Files.write(fragment, good);
        Files.setLastModifiedTime(fragment, FileTime.fromMillis(System.currentTimeMillis() + 20_000));
        assertArrayEquals(good, get(http, url).body(), "restored: served again");
        assertEquals("[]", admin.get("/api/v1/packages/" + id).json().get("corruptFragments").toString());
        assertEquals(0.0, metric("teledeploy.fragments.corrupt"));
        assertEquals(2.0, metric("teledeploy.fragment.corruptions"), "a counter: the corruptions happened");
    }

    private double metric(String name) {
        var registry = server.server().metrics().registry();
        var counter = registry.find(name).counter();
        return counter != null ? counter.count() : registry.get(name).gauge().value();
    }

    private static HttpResponse<byte[]> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
