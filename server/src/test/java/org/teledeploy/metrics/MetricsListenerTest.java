package org.teledeploy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * {@code listen.metrics}: a listener of its own that serves {@code GET /metrics} without a token and nothing else,
 * while the admin listener keeps asking for it.
 */
class MetricsListenerTest {

    @RegisterExtension
    static final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("listen.metrics", "127.0.0.1:0");

    @Test
    void servesMetricsWithoutTokenAndNothingElse() throws Exception {
        int port = server.server().metricsPort();
        assertTrue(port > 0, "bound");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OcsClient.send(s, ("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                    + "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            OcsClient.Response metrics = OcsClient.read(in);
            OcsClient.Response health = OcsClient.read(in);
            OcsClient.Response post = OcsClient.read(in);
            OcsClient.Response again = OcsClient.read(in);
            assertEquals(200, metrics.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.header("Content-Type"));
            assertEquals(404, health.status(), "only /metrics here");
            assertEquals(405, post.status());
            PrometheusText first = PrometheusText.parse(metrics.text());
            PrometheusText second = PrometheusText.parse(again.text());
            assertEquals(1, second.value("teledeploy_http_requests_seconds_count", "endpoint", "metrics", "query",
                    "none", "status", "2xx") - first.value("teledeploy_http_requests_seconds_count", "endpoint",
                    "metrics", "query", "none", "status", "2xx"));
            assertEquals(1, second.value("teledeploy_http_requests_seconds_count", "endpoint", "other", "query",
                    "none", "status", "4xx") - first.value("teledeploy_http_requests_seconds_count", "endpoint",
                    "other", "query", "none", "status", "4xx"));
            assertEquals(metrics.body().length + health.body().length + post.body().length,
                    second.value("teledeploy_http_served_bytes_total", "listener", "metrics")
                            - first.value("teledeploy_http_served_bytes_total", "listener", "metrics"));
        }
        assertEquals(401, new AdminClient(server).send(java.net.http.HttpRequest.newBuilder(
                new AdminClient(server).uri("/metrics")).GET()).status(), "the admin listener still wants the token");
    }
}
