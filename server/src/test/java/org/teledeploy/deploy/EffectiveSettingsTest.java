package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.deploy.Parameter.DOWNLOAD_CYCLE_LATENCY;
import static org.teledeploy.deploy.Parameter.DOWNLOAD_FRAG_LATENCY;
import static org.teledeploy.deploy.Parameter.DOWNLOAD_PERIOD_LENGTH;
import static org.teledeploy.deploy.Parameter.DOWNLOAD_SWITCH;
import static org.teledeploy.deploy.Parameter.DOWNLOAD_TIMEOUT;
import static org.teledeploy.deploy.Parameter.FREQUENCY;
import static org.teledeploy.deploy.Parameter.INVENTORY_ON_STARTUP;
import static org.teledeploy.deploy.Parameter.PROLOG_FREQ;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.teledeploy.config.OcsOptions;

/** Device → groups → server combination rules of shared/ocs-protocol.md §3.2, §3.3 and §3.6, one by one. */
class EffectiveSettingsTest {

    private static final OcsOptions OCS = ocs(true, 7);

    private static OcsOptions ocs(boolean download, int frequency) {
        return new OcsOptions(frequency, 24, true, download, 10, 60, 1, 10, 30, 120, Optional.empty(), Optional.empty());
    }

    @Test
    void withoutParametersTheServerOptionsApply() {
        assertEquals(EffectiveSettings.global(OCS), EffectiveSettings.resolve(OCS, Map.of(), List.of()));
        EffectiveSettings s = EffectiveSettings.global(OCS);
        assertEquals(10, s.fragLatency());
        assertEquals(30, s.timeout());
        assertEquals(7, s.frequency());
    }

    @Test
    void aGroupCanOnlySwitchDeploymentOffAndTheDeviceDecidesWhenNoGroupDid() {
        assertFalse(EffectiveSettings.resolve(OCS, Map.of(), List.of(Map.of(DOWNLOAD_SWITCH, 0), Map.of())).on());
        assertFalse(EffectiveSettings.resolve(OCS, Map.of(DOWNLOAD_SWITCH, 1), List.of(Map.of(DOWNLOAD_SWITCH, 0)))
                .on(), "any group off wins over the device");
        assertFalse(EffectiveSettings.resolve(OCS, Map.of(DOWNLOAD_SWITCH, 0), List.of()).on());
        assertTrue(EffectiveSettings.resolve(OCS, Map.of(DOWNLOAD_SWITCH, 1), List.of(Map.of(DOWNLOAD_SWITCH, 1))).on());
        assertFalse(EffectiveSettings.resolve(ocs(false, 7), Map.of(DOWNLOAD_SWITCH, 1), List.of()).on(),
                "never on when the server switch is off");
    }

    @Test
    void latenciesTakeTheDeviceValueElseTheLargestGroupValue() {
        EffectiveSettings s = EffectiveSettings.resolve(OCS, Map.of(DOWNLOAD_FRAG_LATENCY, 3),
                List.of(Map.of(DOWNLOAD_FRAG_LATENCY, 40, DOWNLOAD_CYCLE_LATENCY, 5),
                        Map.of(DOWNLOAD_FRAG_LATENCY, 20, DOWNLOAD_CYCLE_LATENCY, 90)));
        assertEquals(3, s.fragLatency());
        assertEquals(90, s.cycleLatency());
        assertEquals(1, s.periodLatency(), "no value anywhere: the server's");
        assertEquals(40, EffectiveSettings.resolve(OCS, Map.of(DOWNLOAD_FRAG_LATENCY, 0),
                List.of(Map.of(DOWNLOAD_FRAG_LATENCY, 40))).fragLatency(), "0 at device level is 'not set'");
        assertEquals(10, EffectiveSettings.resolve(ocs(false, 7), Map.of(),
                List.of(Map.of(DOWNLOAD_FRAG_LATENCY, 40))).fragLatency(), "groups only count when DOWNLOAD=1");
    }

    @Test
    void lengthsAndTimeoutsTakeTheSmallestGroupValue() {
        EffectiveSettings s = EffectiveSettings.resolve(OCS, Map.of(),
                List.of(Map.of(DOWNLOAD_PERIOD_LENGTH, 8, DOWNLOAD_TIMEOUT, 14), Map.of(DOWNLOAD_PERIOD_LENGTH, 4)));
        assertEquals(4, s.periodLength());
        assertEquals(14, s.timeout());
        assertEquals(120, s.executionTimeout());
    }

    @Test
    void prologFreqAndInventoryOnStartupTakeTheDeviceValueElseTheSmallestNonZeroGroupValue() {
        EffectiveSettings s = EffectiveSettings.resolve(OCS, Map.of(INVENTORY_ON_STARTUP, 0),
                List.of(Map.of(PROLOG_FREQ, 12), Map.of(PROLOG_FREQ, 6, INVENTORY_ON_STARTUP, 1)));
        assertEquals(6, s.prologFreq());
        assertFalse(s.inventoryOnStartup(), "the device's own 0 counts");
        assertEquals(48, EffectiveSettings.resolve(OCS, Map.of(PROLOG_FREQ, 48), List.of(Map.of(PROLOG_FREQ, 6)))
                .prologFreq());
    }

    @Test
    void frequencyTakesTheSmallestValueSoNeverBeatsAlwaysBeatsDays() {
        assertEquals(-1, EffectiveSettings.resolve(OCS, Map.of(FREQUENCY, 0), List.of(Map.of(FREQUENCY, -1)))
                .frequency());
        assertEquals(0, EffectiveSettings.resolve(OCS, Map.of(FREQUENCY, 3), List.of(Map.of(FREQUENCY, 0)))
                .frequency());
        assertEquals(3, EffectiveSettings.resolve(OCS, Map.of(FREQUENCY, 3), List.of()).frequency());
        assertEquals(0, EffectiveSettings.resolve(ocs(true, 0), Map.of(FREQUENCY, 5), List.of()).frequency(),
                "a global 0 is not overridden");
        assertEquals(-1, EffectiveSettings.resolve(ocs(true, -1), Map.of(FREQUENCY, 5), List.of()).frequency());
    }

    @Test
    void parametersAreValidatedAndParsedByTheirOcsNames() {
        assertEquals(DOWNLOAD_FRAG_LATENCY, Parameter.parse("download-frag-latency"));
        assertEquals("DOWNLOAD_TIMEOUT: 0 (expected: 1 to 3650)",
                assertThrows(IllegalArgumentException.class, () -> DOWNLOAD_TIMEOUT.validate(0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Parameter.parse("SPEED")).getMessage()
                .startsWith("parameter: SPEED (expected: one of DOWNLOAD_SWITCH, DOWNLOAD_FRAG_LATENCY,"));
    }
}
