package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.AdminClient.j;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.AdminClient.Reply;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Uploads at scale and over time: a body far larger than the server would want to buffer is streamed to disk
 * byte for byte (with Content-Length and chunked), and uploads nobody used within 24 hours of the server's clock
 * are gone after a restart.
 */
class AdminUploadsTest {

    private static final long BIG = 64L << 20;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T08:00:00Z"));

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().clock(clock);

    private final AdminClient admin = new AdminClient(server);

    @TempDir
    Path work;

    @Test
    void a64MiBUploadIsStreamedToDiskIntact() throws Exception {
        Path file = work.resolve("big.bin");
        String digest = writeRandom(file, BIG);

        Reply sized = admin.upload("big.bin", file);
        assertEquals(201, sized.status(), sized.toString());
        assertEquals(BIG, sized.json().get("size").asLong());
        Path stored = uploads().resolve(sized.json().get("upload").asText());
        assertEquals(BIG, Files.size(stored));
        assertEquals(digest, sha256(stored));

        Reply chunked = admin.send("PUT", "/api/v1/uploads/big.bin", BodyPublishers.ofInputStream(() -> {
            try {
                return Files.newInputStream(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertEquals(201, chunked.status(), chunked.toString());
        Path second = uploads().resolve(chunked.json().get("upload").asText());
        assertEquals(BIG, Files.size(second));
        assertEquals(digest, sha256(second));
    }

    @Test
    void uploadsUnusedFor24HoursAreRemovedAtStart() throws Exception {
        byte[] archive = AdminClient.tarGz(java.util.Map.of("a.txt", "a"));
        String old = admin.uploadBytes("old.tar.gz", archive);
        clock.advance(Duration.ofHours(23));
        String recent = admin.uploadBytes("recent.tar.gz", archive);
        clock.advance(Duration.ofHours(2));
        server.restart();
        assertFalse(Files.exists(uploads().resolve(old)), "25 h old");
        assertTrue(Files.exists(uploads().resolve(recent)), "2 h old");
        String spec = "'name': 'a', 'os': 'linux', 'action': 'store', 'path': '/a', 'upload': '";
        assertEquals(404, admin.post("/api/v1/packages", j("{" + spec + old + "'}")).status());
        assertEquals(201, admin.post("/api/v1/packages", j("{" + spec + recent + "'}")).status(),
                "an upload survives a restart until it expires");
    }

    private Path uploads() {
        return server.stateDir().resolve("uploads");
    }

    /** Writes {@code size} pseudo-random bytes 1 MiB at a time; returns their SHA-256. */
    private static String writeRandom(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                random.nextBytes(buffer);
                sha.update(buffer);
                out.write(buffer);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
