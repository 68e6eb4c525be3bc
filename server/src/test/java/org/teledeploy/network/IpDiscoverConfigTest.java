package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.teledeploy.config.ConfigException;
import org.teledeploy.config.DiscoveryOptions;
import org.teledeploy.config.TeledeployConfig;

/**
 * Pins the network discovery configuration: the OCS keys with OCS's defaults ({@code Server/System/Config.pm}:
 * IPDISCOVER 2, IPDISCOVER_LATENCY 100, IPDISCOVER_MAX_ALIVE 14, IPDISCOVER_BETTER_THRESHOLD 1,
 * IPDISCOVER_NO_POSTPONE 0), teledeploy's host retention and per-inventory cap, their ranges, and the one message
 * shape {@code "key: value (expected: ...)"}.
 */
class IpDiscoverConfigTest {

    @Test
    void defaultsAreOcssAndTeledeploysOwn() {
        assertEquals(new DiscoveryOptions(2, 100, 14, 1.0, false, Duration.ofDays(30), 65_536),
                TeledeployConfig.defaults().discovery());
        assertEquals(14 * 86_400_000L, TeledeployConfig.defaults().discovery().maxAliveMillis());
    }

    @Test
    void valuesAreReadFromTheEnvironmentToo() {
        DiscoveryOptions d = TeledeployConfig.load(null, Map.of("TELEDEPLOY_IPDISCOVER", "0",
                "TELEDEPLOY_IPDISCOVER_LATENCY", "10", "TELEDEPLOY_IPDISCOVER_MAX_ALIVE", "1",
                "TELEDEPLOY_IPDISCOVER_BETTER_THRESHOLD", "0.5", "TELEDEPLOY_IPDISCOVER_NO_POSTPONE", "1",
                "TELEDEPLOY_IPDISCOVER_HOST_RETENTION", "12h", "TELEDEPLOY_LIMIT_IPDISCOVER_HOSTS", "256")).discovery();
        assertEquals(new DiscoveryOptions(0, 10, 1, 0.5, true, Duration.ofHours(12), 256), d);
        assertEquals(false, d.enabled());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "IPDISCOVER|-1|0-1000",
        "IPDISCOVER|1001|0-1000",
        "IPDISCOVER_LATENCY|9|milliseconds, 10-60000",
        "IPDISCOVER_LATENCY|60001|milliseconds, 10-60000",
        "IPDISCOVER_MAX_ALIVE|0|days, 1-3650",
        "IPDISCOVER_BETTER_THRESHOLD|-1|days, 0-365 (decimals allowed)",
        "IPDISCOVER_BETTER_THRESHOLD|1e3|days, 0-365 (decimals allowed)",
        "IPDISCOVER_BETTER_THRESHOLD|1,5|days, 0-365 (decimals allowed)",
        "IPDISCOVER_BETTER_THRESHOLD|366|days, 0-365 (decimals allowed)",
        "IPDISCOVER_NO_POSTPONE|2|0 or 1",
        "ipdiscover.host.retention|30m|a duration, 1h-3650d",
        "ipdiscover.host.retention|30|a duration, 1h-3650d",
        "limit.ipdiscover.hosts|0|1-1048576",
    })
    void outOfRangeValuesAreRefusedInTheOneShape(String key, String value, String expected) {
        String variable = "TELEDEPLOY_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of(variable, value)));
        assertEquals(List.of(key + ": " + value + " (expected: " + expected + ") [from " + variable + "]"),
                e.problems());
    }
}
