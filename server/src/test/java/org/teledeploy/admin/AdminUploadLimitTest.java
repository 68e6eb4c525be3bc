package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * {@code admin.upload.max.concurrent} on a real server: with two uploads half sent, a third is refused with 429,
 * {@code Retry-After} and the API's one error shape, before its body is stored; once one of the two has finished,
 * a new upload is accepted; the half-sent ones complete intact.
 */
class AdminUploadLimitTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("admin.upload.max.concurrent", "2");

    private final AdminClient admin = new AdminClient(server);

    @Test
    void aThirdConcurrentUploadIs429UntilOneHasFinished() throws Exception {
        try (Socket first = startUpload("a.bin", 10); Socket second = startUpload("b.bin", 10)) {
            awaitPartFiles(2);
            AdminClient.Reply refused = admin.send("PUT", "/api/v1/uploads/c.bin",
                    java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[100_000]));
            assertEquals(429, refused.status(), refused.toString());
            assertEquals("5", refused.header("Retry-After"));
            JsonNode error = refused.json();
            assertEquals("too_many", error.get("error").asText());
            assertEquals("uploads: 2 in progress already, the most admin.upload.max.concurrent allows (expected: retry"
                    + " once one has finished)", error.get("detail").asText());
            try (var files = java.nio.file.Files.list(server.stateDir().resolve("uploads"))) {
                assertEquals(2, files.count(), "nothing of the refused body was stored");
            }

            JsonNode stored = finish(first, "0123456789");
            assertEquals(10, stored.get("size").asLong());
            String token = admin.uploadBytes("c.bin", "third".getBytes(StandardCharsets.US_ASCII));
            assertTrue(java.nio.file.Files.exists(server.stateDir().resolve("uploads").resolve(token)));
            assertEquals(10, finish(second, "abcdefghij").get("size").asLong(), "the other half-sent one completes");
        }
    }

    /** Sends the head of {@code PUT /api/v1/uploads/<name>} announcing {@code length} bytes, and no body yet. */
    private Socket startUpload(String name, int length) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.server().adminPort());
        socket.setSoTimeout(30_000);
        OcsClient.send(socket, ("PUT /api/v1/uploads/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + admin.token() + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static JsonNode finish(Socket socket, String body) throws IOException {
        OcsClient.send(socket, body.getBytes(StandardCharsets.US_ASCII));
        OcsClient.Response response = OcsClient.read(socket.getInputStream());
        assertEquals(201, response.status(), response.text());
        return new ObjectMapper().readTree(response.body());
    }

    /** The server has begun receiving {@code n} uploads: polls for their files, bounded; no timing is asserted. */
    private void awaitPartFiles(int n) throws IOException, InterruptedException {
        long parts = 0;
        for (int i = 0; i < 1000; i++) {
            try (var files = java.nio.file.Files.list(server.stateDir().resolve("uploads"))) {
                parts = files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
            }
            if (parts == n) {
                break;
            }
            Thread.sleep(10);
        }
        assertEquals(n, parts, "uploads being received");
    }
}
