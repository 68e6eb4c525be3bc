package org.teledeploy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.OcsClient.downloadReport;
import static org.teledeploy.testing.OcsClient.prolog;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.deploy.AssignOptions;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.TargetOs;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;
import org.teledeploy.tls.TlsClients;

/**
 * {@code GET /metrics} of a real server after real traffic: a PROLOG of a known and of an unknown device, an
 * INVENTORY, a DOWNLOAD report of each result class, an info file and fragments over HTTP and HTTPS, a failed
 * TLS handshake, admin calls. Every counter moves by exactly what was done; the funnel gauges are the statistics
 * API's numbers; no label carries a DEVICEID, an address or a package name; the text is the exposition format.
 *
 * <p>Requests are counted as their response is handed on, and a file body's bytes before the next request on its
 * connection is read: the tests read answers, never wait.
 */
class MetricsEndpointTest {

    private static final String UNIX = "OCS-NG_unified_unix_agent_v2.10.0";
    /** Notified at its PROLOG, then fetches the info file and fragments: downloading. */
    private static final String A = "funnel-a-2026-01-01-10-00-00";
    /** Assigned, never notified: waiting. */
    private static final String B = "funnel-b-2026-01-01-10-00-00";
    /** Never registered: its PROLOG asks for an inventory (SEND) and offers nothing. */
    private static final String STRANGER = "stranger-2026-01-01-10-00-00";
    /** One device per result class: device → the code it reports. */
    private static final Map<String, String> REPORTS = new LinkedHashMap<>();
    static {
        REPORTS.put("r-success-2026-01-01-10-00-00", "SUCCESS");
        REPORTS.put("r-already-2026-01-01-10-00-00", "SUCCESS_ALREADY_SETUP");
        REPORTS.put("r-exit-2026-01-01-10-00-00", "EXIT_CODE_1603");
        REPORTS.put("r-download-2026-01-01-10-00-00", "ERR_DOWNLOAD_INFO");
        REPORTS.put("r-digest-2026-01-01-10-00-00", "ERR_BAD_DIGEST");
        REPORTS.put("r-execute-2026-01-01-10-00-00", "ERR_EXECUTE");
        REPORTS.put("r-unknown-2026-01-01-10-00-00", "UNKNOWN_CODE");
    }
    private static final String REQUESTS = "teledeploy_http_requests_seconds_count";
    private static final String PACKAGE_NAME = "zebra-package";
    private static final String SPARE_NAME = "yak-package";

    // FREQUENCY=1: a device inventoried today gets STOP, an unknown one SEND.
    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("FREQUENCY", "1");

    @TempDir
    Path work;

    private AdminClient admin;

    @Test
    void countersFunnelAndLabelsAfterRealTraffic() throws Exception {
        admin = new AdminClient(server);
        List<String> devices = new ArrayList<>(List.of(A, B));
        devices.addAll(REPORTS.keySet());
        List<Long> rows = new ArrayList<>();
        for (String device : devices) {
            rows.add(register(device));
        }
        PackageRecord p = build(PACKAGE_NAME, 2);
        server.server().activation().activate(p.id(), Optional.empty(), Optional.empty()).join();
        assertEquals(devices.size(), server.server().deployments().assign(p.id(), rows, AssignOptions.DEFAULT,
                "device").join().created());
        PackageRecord spare = build(SPARE_NAME, 1);

        AdminClient.Reply first = admin.get("/metrics");
        assertEquals(200, first.status(), first.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", first.header("Content-Type"));
        PrometheusText before = PrometheusText.parse(first.body());
        long httpBytes = 0;
        long httpsBytes = 0;
        long adminBytes = utf8(first.body());

        OcsClient client = server.client();
        try (Socket held = client.open()) {
            // An agent connection left open until after the scrape (and a 404 on it: endpoint "other").
            OcsClient.Response nothing = get(held, "/nothing");
            assertEquals(404, nothing.status());
            httpBytes += nothing.body().length;

            OcsClient.Response r = agent(prolog(A));
            assertTrue(r.inflated().contains("<RESPONSE>STOP</RESPONSE>"), r.inflated());
            assertTrue(r.inflated().contains("TYPE=\"PACK\" ID=\"" + p.id() + "\""), r.inflated());
            httpBytes += r.body().length;
            r = agent(prolog(STRANGER));
            assertTrue(r.inflated().contains("<RESPONSE>SEND</RESPONSE>"), r.inflated());
            assertFalse(r.inflated().contains("TYPE=\"PACK\""), r.inflated());
            httpBytes += r.body().length;
            r = agent(OcsClient.inventory(B, "funnel-b", "Debian GNU/Linux", 2, null));
            httpBytes += r.body().length;
            for (Map.Entry<String, String> report : REPORTS.entrySet()) {
                r = agent(downloadReport(report.getKey(), p.id(), report.getValue()));
                httpBytes += r.body().length;
            }

            // Info and fragment 1 over HTTP (sendfile), then a 404 on the same connection: once its answer is in,
            // the bodies before it are counted and their timeline events queued.
            try (Socket s = client.open()) {
                OcsClient.Response info = get(s, "/download/" + p.id() + "/info");
                OcsClient.Response fragment = get(s, "/download/" + p.id() + "/" + p.id() + "-1");
                OcsClient.Response missing = get(s, "/download/" + p.id() + "/" + p.id() + "-9");
                assertEquals(List.of(200, 200, 404), List.of(info.status(), fragment.status(), missing.status()));
                assertTrue(fragment.body().length > 1000, "a real fragment: " + fragment.body().length);
                httpBytes += info.body().length + fragment.body().length + missing.body().length;
            }
            // Fragment 2 over HTTPS (chunks through TLS), the same way.
            try (SSLSocket s = (SSLSocket) TlsClients.trustingOnly(server.server().caCertificate()).getSocketFactory()
                    .createSocket("127.0.0.1", server.server().httpsPort())) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                OcsClient.Response fragment = get(s, "/download/" + p.id() + "/" + p.id() + "-2");
                OcsClient.Response missing = get(s, "/download/" + p.id() + "/" + p.id() + "-9");
                assertEquals(List.of(200, 404), List.of(fragment.status(), missing.status()));
                httpsBytes += fragment.body().length + missing.body().length;
            }
            // Not TLS at all on the HTTPS port: a failed handshake, then the server closes.
            try (Socket s = new Socket("127.0.0.1", server.server().httpsPort())) {
                s.setSoTimeout(10_000);
                OcsClient.send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readAllBytes();
            }

            AdminClient.Reply stats = admin.get("/api/v1/packages/" + p.id() + "/statistics");
            AdminClient.Reply health = admin.send(HttpRequest.newBuilder(admin.uri("/health")).GET());
            AdminClient.Reply refused = admin.send(HttpRequest.newBuilder(admin.uri("/metrics")).GET());
            assertEquals(List.of(200, 200, 401), List.of(stats.status(), health.status(), refused.status()));
            adminBytes += utf8(stats.body()) + utf8(health.body()) + utf8(refused.body());

            server.server().flushWrites(); // the NOTIFIED state and the info event, written in the background
            AdminClient.Reply second = admin.get("/metrics");
            assertEquals(200, second.status());
            PrometheusText after = PrometheusText.parse(second.body());

            // Requests by endpoint, query and status class.
            assertDelta(2, before, after, REQUESTS, "endpoint", "agent", "query", "prolog", "status", "2xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "agent", "query", "inventory", "status", "2xx");
            assertDelta(7, before, after, REQUESTS, "endpoint", "agent", "query", "download", "status", "2xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "download_info", "query", "none", "status", "2xx");
            assertDelta(2, before, after, REQUESTS, "endpoint", "download_fragment", "query", "none", "status", "2xx");
            assertDelta(2, before, after, REQUESTS, "endpoint", "download_fragment", "query", "none", "status", "4xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "other", "query", "none", "status", "4xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "admin_api", "query", "none", "status", "2xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "health", "query", "none", "status", "2xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "metrics", "query", "none", "status", "2xx");
            assertDelta(1, before, after, REQUESTS, "endpoint", "metrics", "query", "none", "status", "4xx");
            assertEquals(20, sum(after, REQUESTS) - sum(before, REQUESTS), "no other request counted");
            // PROLOG decisions, offers, results by class.
            assertDelta(1, before, after, "teledeploy_prolog_decisions_total", "decision", "send");
            assertDelta(1, before, after, "teledeploy_prolog_decisions_total", "decision", "stop");
            assertDelta(1, before, after, "teledeploy_prolog_packages_offered_total");
            for (String result : List.of("success", "already_installed", "exit_code", "download_error", "digest_error",
                    "other_error", "other")) {
                assertDelta(1, before, after, "teledeploy_deployment_results_total", "result", result);
            }
            // TLS, bytes by listener, connections.
            assertDelta(1, before, after, "teledeploy_tls_handshakes_total", "result", "success");
            assertDelta(1, before, after, "teledeploy_tls_handshakes_total", "result", "failure");
            assertDelta(httpBytes, before, after, "teledeploy_http_served_bytes_total", "listener", "http");
            assertDelta(httpsBytes, before, after, "teledeploy_http_served_bytes_total", "listener", "https");
            assertDelta(adminBytes, before, after, "teledeploy_http_served_bytes_total", "listener", "admin");
            assertTrue(after.value("teledeploy_connections_open") >= 1, "the held connection is open");
            assertEquals(devices.size() + 0.0, after.value("teledeploy_devices"));
            // The store committed every report (one write each) in at least one group commit.
            assertTrue(after.value("teledeploy_store_batch_size_sum") - before.value("teledeploy_store_batch_size_sum")
                    >= REPORTS.size());
            assertTrue(after.value("teledeploy_store_batch_commit_seconds_count")
                    > before.value("teledeploy_store_batch_commit_seconds_count"));
            assertEquals(100_000.0, after.value("teledeploy_store_write_queue_capacity"));

            assertFunnelIsTheStatistics(after, p.id(), 9, 1, 1, 1, 2, 4, 1);
            assertFunnelIsTheStatistics(after, spare.id(), 0, 0, 0, 0, 0, 0, 0);
            assertLatencyHistogram(after);
            assertNoDeviceAddressOrNameInLabels(second.body(), devices, Set.of(p.id(), spare.id()));
            assertNamingConventions(after, second.body());
        }

        // A package that goes away loses its series at the next scrape.
        server.server().deletePackage(spare.id()).join();
        PrometheusText third = PrometheusText.parse(admin.get("/metrics").body());
        assertTrue(third.has("teledeploy_deployment_assigned_devices", "package", p.id()));
        assertFalse(third.samples().values().stream().anyMatch(s -> spare.id().equals(s.labels().get("package"))),
                "no series of the deleted package");
    }

    @Test
    void metricsNeedTheAdminTokenAndAnswerInOrder() throws Exception {
        admin = new AdminClient(server);
        AdminClient.Reply none = admin.send(HttpRequest.newBuilder(admin.uri("/metrics")).GET());
        assertEquals(401, none.status());
        assertEquals("Bearer", none.header("WWW-Authenticate"));
        AdminClient.Reply wrong = admin.send(HttpRequest.newBuilder(admin.uri("/metrics"))
                .header("Authorization", "Bearer " + "x".repeat(43)).GET());
        assertEquals(401, wrong.status());
        AdminClient.Reply inQuery = admin.send(HttpRequest.newBuilder(admin.uri("/metrics?token=" + admin.token()))
                .header("Authorization", "Bearer " + admin.token()).GET());
        assertEquals(400, inQuery.status());
        AdminClient.Reply post = admin.send("POST", "/metrics", HttpRequest.BodyPublishers.noBody());
        assertEquals(405, post.status());
        assertEquals("GET", post.header("Allow"));
        assertEquals(200, admin.get("/metrics").status());
        assertEquals(-1, server.server().metricsPort(), "listen.metrics is off by default");
        for (AdminClient.Reply r : List.of(none, wrong, inQuery, post)) {
            assertFalse(r.body().contains("teledeploy_"), "no metrics without the token: " + r.body());
        }

        // Pipelined: /metrics (rendered off the event loop), then /health, answered in that order.
        try (Socket s = new Socket("127.0.0.1", server.server().adminPort())) {
            s.setSoTimeout(10_000);
            String auth = "Authorization: Bearer " + admin.token() + "\r\n";
            OcsClient.send(s, ("GET /metrics HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
                    + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            OcsClient.Response metrics = OcsClient.read(in);
            OcsClient.Response health = OcsClient.read(in);
            assertEquals(200, metrics.status());
            assertTrue(metrics.text().contains("# TYPE teledeploy_http_requests_seconds histogram"), metrics.text());
            assertEquals(200, health.status());
            assertTrue(health.text().startsWith("{\"status\":\"ok\""), health.text());
        }
    }

    // ---- checks ------------------------------------------------------------------------------------------------

    /** The funnel gauges of a package: the numbers given, and exactly those of the statistics API. */
    private void assertFunnelIsTheStatistics(PrometheusText metrics, String packageId, int assigned, int waiting,
                                             int notified, int downloading, int success, int error, int other) {
        JsonNode stats = admin.get("/api/v1/packages/" + packageId + "/statistics").json();
        assertEquals(assigned, stats.get("total").asInt(), stats.toString());
        assertEquals(stats.get("total").asDouble(),
                metrics.value("teledeploy_deployment_assigned_devices", "package", packageId), packageId);
        Map<String, Integer> expected = Map.of("waiting", waiting, "notified", notified, "success", success,
                "error", error, "other", other);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), stats.get(e.getKey()).asInt(), e.getKey() + " " + stats);
            assertTrue(metrics.has("teledeploy_deployment_devices", "bucket", e.getKey(), "package", packageId));
            assertEquals(stats.get(e.getKey()).asDouble(),
                    metrics.value("teledeploy_deployment_devices", "bucket", e.getKey(), "package", packageId),
                    e.getKey() + " of " + packageId);
        }
        assertEquals(downloading, metrics.value("teledeploy_deployment_downloading_devices", "package", packageId));
    }

    /** The PROLOG timer is a histogram with the 1 ms..10 s SLO boundaries, +Inf holding every request. */
    private static void assertLatencyHistogram(PrometheusText metrics) {
        String[] series = {"endpoint", "agent", "query", "prolog", "status", "2xx"};
        for (String le : List.of("0.001", "0.005", "0.025", "0.1", "0.25", "1.0", "2.5", "10.0", "+Inf")) {
            assertTrue(metrics.has("teledeploy_http_requests_seconds_bucket", bucket(series, le)), "bucket le=" + le);
        }
        assertEquals(metrics.value(REQUESTS, series),
                metrics.value("teledeploy_http_requests_seconds_bucket", bucket(series, "+Inf")));
        assertEquals("histogram", metrics.types().get("teledeploy_http_requests_seconds"));
    }

    /** Nothing per device, per address or per package name anywhere; package IDs only in the funnel. */
    private static void assertNoDeviceAddressOrNameInLabels(String text, List<String> devices, Set<String> packageIds) {
        List<String> forbidden = new ArrayList<>(devices);
        forbidden.addAll(List.of(STRANGER, "127.0.0.1", "192.0.2.7", "02:00:00:00:00:07", PACKAGE_NAME, SPARE_NAME,
                "funnel-b"));
        for (String value : forbidden) {
            assertFalse(text.contains(value), value + " appears in /metrics");
        }
        PrometheusText parsed = PrometheusText.parse(text);
        Set<String> withPackage = new TreeSet<>();
        for (PrometheusText.Sample s : parsed.samples().values()) {
            String packageId = s.labels().get("package");
            if (packageId != null) {
                assertTrue(packageIds.contains(packageId), s.key());
                withPackage.add(s.name());
            }
        }
        assertEquals(Set.of("teledeploy_deployment_assigned_devices", "teledeploy_deployment_devices",
                "teledeploy_deployment_downloading_devices"), withPackage, "package IDs label the funnel only");
    }

    /** Counters end in _total once, every teledeploy family has a HELP text, no unit-less durations. */
    private static void assertNamingConventions(PrometheusText metrics, String text) {
        metrics.types().forEach((family, type) -> {
            if (type.equals("counter")) {
                assertTrue(family.endsWith("_total"), family);
            }
            if (family.startsWith("teledeploy_")) {
                assertFalse(family.contains("_total_"), family);
            }
        });
        for (String name : metrics.names()) {
            assertFalse(name.endsWith("_total_total"), name);
            if (name.startsWith("teledeploy_") && name.contains("seconds")) {
                assertTrue(name.matches("teledeploy_[a-z_]+_seconds(_bucket|_count|_sum|_max)?"), name);
            }
        }
        text.lines().filter(l -> l.startsWith("# HELP teledeploy_"))
                .forEach(l -> assertTrue(l.split(" ", 4).length == 4 && !l.split(" ", 4)[3].isBlank(), l));
    }

    private static String[] bucket(String[] series, String le) {
        String[] out = java.util.Arrays.copyOf(series, series.length + 2);
        out[series.length] = "le";
        out[series.length + 1] = le;
        return out;
    }

    private static void assertDelta(double expected, PrometheusText before, PrometheusText after, String name,
                                    String... labels) {
        assertEquals(expected, after.value(name, labels) - before.value(name, labels),
                PrometheusText.key(name, labels));
    }

    private static double sum(PrometheusText metrics, String name) {
        return metrics.named(name).stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    // ---- traffic -----------------------------------------------------------------------------------------------

    private long register(String deviceId) throws IOException {
        OcsClient.Response r = agent(OcsClient.inventory(deviceId, deviceId.substring(0, 8), "Debian GNU/Linux", 2, null));
        assertEquals(200, r.status());
        return server.server().registry().find(deviceId).orElseThrow().id();
    }

    private OcsClient.Response agent(String xml) throws IOException {
        OcsClient.Response r = server.client().post("/ocsinventory", OcsClient.zlib(xml.getBytes(StandardCharsets.UTF_8)),
                UNIX);
        assertEquals(200, r.status(), r.text());
        return r;
    }

    /** One keep-alive GET on an open connection. */
    private static OcsClient.Response get(Socket socket, String path) throws IOException {
        OcsClient.send(socket, ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + UNIX + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return OcsClient.read(socket.getInputStream());
    }

    /** A Linux STORE package of incompressible bytes, in {@code fragments} fragments. */
    private PackageRecord build(String name, int fragments) throws IOException {
        Path dir = Files.createTempDirectory(work, "src");
        byte[] data = new byte[24 * 1024];
        new Random(42).nextBytes(data);
        Files.write(dir.resolve("payload.bin"), data);
        return server.server().packages().build(PackageSpec.of(name, TargetOs.LINUX, PackageAction.STORE, "/opt/" + name)
                .withFragmentation(Fragmentation.byCount(fragments)), PackageSource.directory(dir)).join();
    }

    private static long utf8(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }
}
