package org.teledeploy.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link UserAgents}, the PROLOG User-Agent check (shared/ocs-protocol.md §1.9): every {@code OCS-NG_*}
 * agent whatever its version (including Windows 2.9.x, which OCS 2.8.1 rejects by accident), configured extra
 * prefixes, nothing else.
 */
class UserAgentsTest {

    private final UserAgents defaults = new UserAgents(List.of("FusionInventory-Agent"));

    @ParameterizedTest
    @ValueSource(strings = {
        "OCS-NG_unified_unix_agent_v2.10.0",
        "OCS-NG_unified_unix_agent_v2.4",
        "OCS-NG_WINDOWS_AGENT_v2.9.2.0",
        "OCS-NG_WINDOWS_AGENT_v2.11.0.1",
        "OCS-NG_WINDOWS_AGENT_v3.0",
        "OCS-NG_windows_mobile_agent_v1.0",
        "OCS-NG_Android_agent_v2.3",
        "OCS-NG_iOS_agent_v1.2",
        "OCS-NG_windows_client_v4061",
        "OCS-NG_something_new_v99",
    })
    void everyOcsNgAgentIsAccepted(String userAgent) {
        assertTrue(defaults.accepts(userAgent), userAgent);
    }

    @Test
    void configuredPrefixesAreAccepted() {
        assertTrue(defaults.accepts("FusionInventory-Agent"));
        assertTrue(defaults.accepts("FusionInventory-Agent_v2.6"));
        UserAgents custom = new UserAgents(List.of("GLPI-Agent", "MyAgent/"));
        assertTrue(custom.accepts("GLPI-Agent_v1.7"));
        assertTrue(custom.accepts("MyAgent/1.0"));
        assertFalse(custom.accepts("FusionInventory-Agent_v2.6"), "not configured here");
        assertTrue(custom.accepts("OCS-NG_WINDOWS_AGENT_v2.11.0.1"), "OCS-NG_* needs no configuration");
    }

    @Test
    void noExtraPrefixesMeansOcsNgOnly() {
        UserAgents none = new UserAgents(List.of());
        assertTrue(none.accepts("OCS-NG_unified_unix_agent_v2.10.0"));
        assertFalse(none.accepts("FusionInventory-Agent_v2.6"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "Mozilla/5.0 (X11; Linux x86_64)",
        "curl/8.5.0",
        "ocs-ng_unified_unix_agent_v2.10.0",
        " OCS-NG_unified_unix_agent_v2.10.0",
        "OCS-NG",
        "OCS_NG_WINDOWS_AGENT_v2.9",
        "Fusion",
        "libwww-perl/6.68",
    })
    void otherUserAgentsAreRefused(String userAgent) {
        assertFalse(defaults.accepts(userAgent), userAgent);
    }

    @Test
    void nullUserAgentIsRefused() {
        assertFalse(defaults.accepts(null));
    }

    @Test
    void thePrefixListIsCopied() {
        List<String> prefixes = new ArrayList<>(List.of("A-"));
        UserAgents agents = new UserAgents(prefixes);
        prefixes.add("B-");
        assertTrue(agents.accepts("A-1"));
        assertFalse(agents.accepts("B-1"));
    }
}
