package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The admin API as the CLI uses it (docs/admin-api.md): JSON in and out, the bearer token on every call, and
 * every refusal turned into an {@link ApiException} carrying the server's one-line detail and an exit code.
 */
public final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;

    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode post(String path, JsonNode body) {
        return send(request(path).POST(json(body)).header("Content-Type", "application/json"));
    }

    public JsonNode patch(String path, JsonNode body) {
        return send(request(path).method("PATCH", json(body)).header("Content-Type", "application/json"));
    }

    public JsonNode put(String path, JsonNode body) {
        return send(request(path).PUT(json(body)).header("Content-Type", "application/json"));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * Streams a file to {@code PUT /api/v1/uploads/<name>}, with a progress bar on {@code progress} when it is
     * not null (a terminal).
     */
    public JsonNode upload(Path file, PrintStream progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ApiException(ApiException.USAGE, "file: " + file + " cannot be read (" + e.getMessage() + ")");
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> open(file, size, progress)), size);
        return send(request("/api/v1/uploads/" + encode(file.getFileName().toString())).PUT(body)
                .header("Content-Type", "application/octet-stream"));
    }

    private static InputStream open(Path file, long size, PrintStream progress) {
        try {
            InputStream in = Files.newInputStream(file);
            return progress == null ? in : new ProgressInputStream(in, size, progress);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fresh JSON object to fill. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new ApiException(ApiException.RUNTIME, "cannot reach the server at " + base
                    + " (is teledeployd running? set --server or TELEDEPLOY_SERVER)");
        } catch (IOException e) {
            throw new ApiException(ApiException.RUNTIME, "request to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.RUNTIME, "interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            return body;
        }
        String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText()
                : "HTTP " + response.statusCode();
        if (response.statusCode() == 401) {
            detail = "unauthorized: the admin token was refused (check --token, TELEDEPLOY_TOKEN or --token-file)";
        }
        throw new ApiException(ApiException.exitCodeOf(response.statusCode()), detail);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
