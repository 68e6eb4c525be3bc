package org.teledeploy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.config.ConfigKey;
import org.teledeploy.config.HostPort;
import org.teledeploy.deploy.AssignOptions;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The shipped {@code conf/prometheus.yml} and {@code conf/teledeploy-alerts.yml} are YAML of the right shape, and
 * every metric they name, with every label value they select on, is one a real server exposes (after an agent
 * request and an assignment, so that lazily created series exist): a renamed meter fails here, not in an
 * operator's silent alerting.
 */
class MetricsConfigFilesTest {

    /** Relative to the server module, where Maven runs the tests. */
    private static final Path CONF = Path.of("../conf");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Metric names (ours, and the JVM/process/Netty binders'); other names in expressions are PromQL or up. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:teledeploy|jvm|process|system|netty)_[a-z0-9_]+)\\b");
    /** {@code name{matchers}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\{([^}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("([a-z_][a-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

    @RegisterExtension
    static final TeledeployServerExtension server = TeledeployServerExtension.create();

    private static PrometheusText exposed;

    @BeforeAll
    static void trafficThenScrape() throws IOException {
        String device = "conf-check-2026-01-01-10-00-00";
        String xml = OcsClient.inventory(device, "conf-check", "Debian GNU/Linux", 1, null);
        assertEquals(200, server.client().post("/ocsinventory", OcsClient.zlib(xml.getBytes(StandardCharsets.UTF_8)),
                "OCS-NG_unified_unix_agent_v2.10.0").status());
        long id = server.server().registry().find(device).orElseThrow().id();
        // An assignment gives the funnel its series (the counts need no package files).
        server.server().deployments().assign("1764000001", List.of(id), AssignOptions.DEFAULT, "device").join();
        AdminClient.Reply metrics = new AdminClient(server).get("/metrics");
        assertEquals(200, metrics.status());
        exposed = PrometheusText.parse(metrics.body());
    }

    @Test
    void scrapeConfigTargetsTheAdminListenerWithTheTokenFile() throws IOException {
        JsonNode config = yaml("prometheus.yml");
        List<String> ruleFiles = new ArrayList<>();
        config.get("rule_files").forEach(f -> ruleFiles.add(f.asText()));
        assertEquals(List.of("teledeploy-alerts.yml"), ruleFiles);
        JsonNode job = config.get("scrape_configs").get(0);
        assertEquals("teledeploy", job.get("job_name").asText());
        assertEquals("/metrics", job.get("metrics_path").asText());
        assertEquals("Bearer", job.get("authorization").get("type").asText());
        assertTrue(job.get("authorization").get("credentials_file").asText().startsWith("/"), job.toString());
        assertFalse(job.get("authorization").has("credentials"), "never a token in the file itself");
        int adminPort = HostPort.parse(ConfigKey.LISTEN_ADMIN.defaultValue()).port();
        assertEquals("localhost:" + adminPort, job.get("static_configs").get(0).get("targets").get(0).asText());
    }

    @Test
    void everyRuleIsCompleteAndNamesExposedMetrics() throws IOException {
        JsonNode rules = yaml("teledeploy-alerts.yml").get("groups").get(0).get("rules");
        Set<String> alerts = new TreeSet<>();
        Set<String> referenced = new TreeSet<>();
        for (JsonNode rule : rules) {
            String name = rule.get("alert").asText();
            assertTrue(alerts.add(name), "alert names are unique: " + name);
            for (String field : List.of("expr", "labels", "annotations")) {
                assertTrue(rule.has(field), name + " has " + field);
            }
            assertTrue(Set.of("warning", "critical").contains(rule.get("labels").get("severity").asText()), name);
            assertFalse(rule.get("annotations").get("summary").asText().isBlank(), name);
            String expr = rule.get("expr").asText();
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                referenced.add(m.group(1));
                assertTrue(exposed.names().contains(m.group(1)), name + " names " + m.group(1)
                        + ", which the server does not expose");
            }
            checkSelectors(name, expr);
        }
        assertTrue(alerts.containsAll(Set.of("TeledeployPackageErrorRate", "TeledeployCertificateExpiresSoon",
                "TeledeployStoreQueueBackingUp", "TeledeployNoAgentTraffic")), alerts.toString());
        assertTrue(referenced.containsAll(Set.of("teledeploy_deployment_devices",
                "teledeploy_tls_certificate_not_after_seconds", "teledeploy_store_write_queue_size",
                "teledeploy_http_requests_seconds_count")), referenced.toString());
    }

    /** Each {@code =} or {@code =~} matcher on one of our metrics selects label values that exist. */
    private static void checkSelectors(String alert, String expr) {
        Matcher s = SELECTOR.matcher(expr);
        while (s.find()) {
            String metric = s.group(1);
            if (!METRIC.matcher(metric).matches()) {
                continue; // up{job=...}: Prometheus' own
            }
            Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                String label = m.group(1);
                List<String> values = switch (m.group(2)) {
                    case "=" -> List.of(m.group(3));
                    case "=~" -> List.of(m.group(3).split("\\|"));
                    default -> List.of();
                };
                for (String value : values) {
                    assertTrue(exposed.named(metric).stream().anyMatch(x -> value.equals(x.labels().get(label))),
                            alert + ": no " + metric + " with " + label + "=\"" + value + "\"");
                }
            }
        }
    }

    private static JsonNode yaml(String file) throws IOException {
        Path path = CONF.resolve(file);
        assertTrue(Files.isRegularFile(path), path.toAbsolutePath() + " is missing");
        JsonNode node = YAML.readTree(path.toFile());
        assertTrue(node != null && node.isObject(), file + " is a YAML mapping");
        return node;
    }
}
