package org.teledeploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.teledeploy.admin.AdminToken;

/**
 * A {@link HttpClient} for the admin API of a {@link TeledeployServerExtension} server, with its token: each call
 * reads the current admin port (a restart changes it) and returns the status, headers and JSON body.
 */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TeledeployServerExtension server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public AdminClient(TeledeployServerExtension server) {
        this.server = server;
    }

    /** One answer. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The error code and detail of an error answer, as "code: detail". */
        public String error() {
            JsonNode j = json();
            if (j.size() != 2 || !j.has("error") || !j.has("detail")) {
                throw new AssertionError("not the error shape: " + body);
            }
            return j.get("error").asText() + ": " + j.get("detail").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** The token the server wrote. */
    public String token() {
        try {
            return Files.readString(server.stateDir().resolve(AdminToken.FILE_NAME)).strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.server().adminPort() + path);
    }

    public Reply get(String path) {
        return send("GET", path, BodyPublishers.noBody());
    }

    public Reply delete(String path) {
        return send("DELETE", path, BodyPublishers.noBody());
    }

    public Reply post(String path, String json) {
        return send("POST", path, BodyPublishers.ofString(json));
    }

    public Reply put(String path, String json) {
        return send("PUT", path, BodyPublishers.ofString(json));
    }

    public Reply patch(String path, String json) {
        return send("PATCH", path, BodyPublishers.ofString(json));
    }

    public Reply send(String method, String path, BodyPublisher body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json").method(method, body));
    }

    /** Sends a request as built (no token added). */
    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code PUT /api/v1/uploads/{fileName}} of a file (Content-Length known); returns the answer. */
    public Reply upload(String fileName, Path file) {
        try {
            return send("PUT", "/api/v1/uploads/" + fileName, BodyPublishers.ofFile(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The upload token of a successful upload of {@code bytes}. */
    public String uploadBytes(String fileName, byte[] bytes) {
        Reply r = send("PUT", "/api/v1/uploads/" + fileName, BodyPublishers.ofByteArray(bytes));
        if (r.status() != 201) {
            throw new AssertionError("upload: " + r);
        }
        return r.json().get("upload").asText();
    }

    /** A tar.gz of {@code name → content}, built with commons-compress. */
    public static byte[] tarGz(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                e.setMode(f.getKey().endsWith(".sh") ? 0755 : 0644);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** JSON text with ' for " (readable JSON in Java strings). */
    public static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
