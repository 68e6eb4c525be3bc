package org.teledeploy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure mappings behind the bounded label values: result code → class, path → endpoint, QUERY → query. */
class MetricsLabelsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "SUCCESS, success",
        "SUCCESS_0, success",
        "SUCCESS_, success",
        "SUCCESS_-0, success",
        "SUCCESS_REBOOT_REQUIRED, success",
        "SUCCESS_RESTART_REQUIRED, success",
        "SUCCESS_3, exit_code",
        "SUCCESS_-1, exit_code",
        "SUCCESS_12a, success",
        "EXIT_CODE_1603, exit_code",
        "EXIT_CODE_-1, exit_code",
        "ERR_EXIT_CODE_2, exit_code",
        "SUCCESS_ALREADY_SETUP, already_installed",
        "SUCCESS_ALREADY_IN_HISTORY, already_installed",
        "ERR_ALREADY_SETUP, already_installed",
        "ERR_DOWNLOAD_INFO, download_error",
        "ERR_DOWNLOAD_PACK, download_error",
        "ERR_BAD_DIGEST, digest_error",
        "ERR_BAD_ID, other_error",
        "ERR_EXECUTE, other_error",
        "ERR_TIMEOUT, other_error",
        "ERR_ABORTED, other_error",
        "ERR_BUILD, other_error",
        "UNKNOWN_CODE, other",
        "NOTIFIED, other",
        "hello, other",
        "'', other",
    })
    void resultCodeClasses(String code, String label) {
        assertEquals(label, ResultClass.of(code).label());
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
        "http, /ocsinventory, agent",
        "https, /ocsinventory/deploy, agent",
        "http, /ocsinventoryx, other",
        "http, /download/1764590147/info, download_info",
        "https, /download/1764590147/1764590147-3, download_fragment",
        "http, /download/abc/def, download_fragment",
        "http, /download/1764590147/infox, download_fragment",
        "http, /download/1764590147, other",
        "http, /download/1764590147/, other",
        "http, /download//info, other",
        "http, /download/1/2/3, other",
        "http, /download, other",
        "http, /health, other",
        "http, /metrics, other",
        "http, /, other",
        "admin, /health, health",
        "admin, /metrics, metrics",
        "admin, /api/v1/packages/1764590147/statistics, admin_api",
        "admin, /api/v2/x, admin_api",
        "admin, /ocsinventory, other",
        "admin, /download/1/info, other",
        "admin, /metrics/x, other",
        "admin, /dashboard, dashboard",
        "admin, /dashboard/packages/1764590147, dashboard",
        "admin, /login, dashboard",
        "admin, /logout, dashboard",
        "admin, /dashboards, other",
        "http, /dashboard, other",
        "metrics, /metrics, metrics",
        "metrics, /health, other",
        "metrics, /api/v1/packages, other",
    })
    void endpointOfAPath(String listener, String path, String label) {
        assertEquals(label, Endpoint.of(Listener.of(listener), path).label());
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
        "AGENT, PROLOG, prolog",
        "AGENT, INVENTORY, inventory",
        "AGENT, DOWNLOAD, download",
        "AGENT, NOTIFY, other",
        "AGENT, UPDATE, other",
        "AGENT, prolog, other",
        "AGENT, , other",
        "DOWNLOAD_INFO, , none",
        "ADMIN_API, PROLOG, none",
        "METRICS, , none",
    })
    void queryOfARequest(Endpoint endpoint, String query, String label) {
        assertEquals(label, AgentQuery.of(endpoint, query).label());
    }
}
