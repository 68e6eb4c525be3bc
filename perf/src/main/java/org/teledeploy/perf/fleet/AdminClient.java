package org.teledeploy.perf.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The few admin API calls the simulator makes (blocking, from the main thread, never during the load): create and
 * activate a package, a dynamic group and a deployment to it, and read what was stored for the audit.
 */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String token;

    public AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public JsonNode get(String path) throws IOException {
        return call("GET", path, null, 200);
    }

    /** A plain-text resource (the Prometheus {@code /metrics}). */
    public String text(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + ": " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public JsonNode post(String path, Map<String, ?> body, int... expected) throws IOException {
        return call("POST", path, JSON.writeValueAsString(body), expected);
    }

    private JsonNode call(String method, String path, String body, int... expected) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (int status : expected.length == 0 ? new int[] {200} : expected) {
            if (r.statusCode() == status) {
                return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            }
        }
        throw new IOException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
}
