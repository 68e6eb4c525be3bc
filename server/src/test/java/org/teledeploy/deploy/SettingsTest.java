package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.OcsClient.prolog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.registry.DeviceSearch;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Per-device and per-group parameters reach the PROLOG reply (CONF attributes, PROLOG_FREQ, RESPONSE) as
 * shared/ocs-protocol.md §3.2–§3.6 combine them, for static and dynamic groups, and survive a restart.
 */
class SettingsTest {

    private static final String UNIX = "OCS-NG_unified_unix_agent_v2.10.0";
    private static final Pattern CONF = Pattern.compile("<PARAM TYPE=\"CONF\" ([^/]*)/>");

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("FREQUENCY", "7");

    @Test
    void deviceParametersOverrideTheServerOptions() throws Exception {
        long a = register("alpha-2026-01-01-00-00-00", "Linux");
        Settings settings = server.server().settings();
        settings.setDevice(a, Parameter.DOWNLOAD_FRAG_LATENCY, OptionalInt.of(2)).join();
        settings.setDevice(a, Parameter.PROLOG_FREQ, OptionalInt.of(6)).join();
        String reply = prologReply("alpha-2026-01-01-00-00-00");
        assertEquals("ON=\"1\" FRAG_LATENCY=\"2\" CYCLE_LATENCY=\"60\" PERIOD_LATENCY=\"1\" PERIOD_LENGTH=\"10\" "
                + "TIMEOUT=\"30\" EXECUTION_TIMEOUT=\"120\" ", conf(reply));
        assertTrue(reply.contains("<PROLOG_FREQ>6</PROLOG_FREQ>"), reply);
        assertEquals(Map.of(Parameter.DOWNLOAD_FRAG_LATENCY, 2, Parameter.PROLOG_FREQ, 6), settings.ofDevice(a));

        settings.setDevice(a, Parameter.DOWNLOAD_FRAG_LATENCY, OptionalInt.empty()).join();
        assertTrue(conf(prologReply("alpha-2026-01-01-00-00-00")).contains("FRAG_LATENCY=\"10\""), "cleared");
    }

    @Test
    void aStaticGroupSwitchesItsMembersOffAndADynamicGroupReachesNewMatchingDevices() throws Exception {
        long a = register("alpha-2026-01-01-00-00-00", "Linux");
        Groups groups = server.server().groups();
        groups.create("frozen", Optional.empty()).join();
        groups.addMembers("frozen", List.of(a)).join();
        server.server().settings().setGroup("frozen", Parameter.DOWNLOAD_SWITCH, OptionalInt.of(0)).join();
        assertTrue(conf(prologReply("alpha-2026-01-01-00-00-00")).startsWith("ON=\"0\" "));

        groups.create("windows", Optional.of(DeviceSearch.parse("os ~ windows"))).join();
        server.server().settings().setGroup("windows", Parameter.DOWNLOAD_CYCLE_LATENCY, OptionalInt.of(300)).join();
        register("bravo-2026-01-01-00-00-00", "Microsoft Windows 11 Pro");
        assertTrue(conf(prologReply("bravo-2026-01-01-00-00-00")).contains("CYCLE_LATENCY=\"300\""),
                "a device that matches after the parameter was set");
        assertTrue(conf(prologReply("bravo-2026-01-01-00-00-00")).startsWith("ON=\"1\" "));
        register("bravo-2026-01-01-00-00-00", "Linux");
        assertTrue(conf(prologReply("bravo-2026-01-01-00-00-00")).contains("CYCLE_LATENCY=\"60\""),
                "a device that no longer matches leaves the group");

        groups.exclude("frozen", List.of(a)).join();
        assertTrue(conf(prologReply("alpha-2026-01-01-00-00-00")).startsWith("ON=\"1\" "), "excluded: back on");
    }

    @Test
    void groupFrequencyDecidesSendOrStopAndEverythingSurvivesARestart() throws Exception {
        long a = register("alpha-2026-01-01-00-00-00", "Linux");
        assertTrue(prologReply("alpha-2026-01-01-00-00-00").contains("<RESPONSE>STOP</RESPONSE>"),
                "inventoried just now, FREQUENCY=7");
        server.server().groups().create("always", Optional.empty()).join();
        server.server().groups().addMembers("always", List.of(a)).join();
        server.server().settings().setGroup("always", Parameter.FREQUENCY, OptionalInt.of(0)).join();
        assertTrue(prologReply("alpha-2026-01-01-00-00-00").contains("<RESPONSE>SEND</RESPONSE>"));

        server.restart();
        assertTrue(prologReply("alpha-2026-01-01-00-00-00").contains("<RESPONSE>SEND</RESPONSE>"),
                "group parameters and members are reloaded");
        assertEquals(Map.of(Parameter.FREQUENCY, 0), server.server().settings().ofGroup("always").join());
        server.server().groups().delete("always").join();
        assertTrue(prologReply("alpha-2026-01-01-00-00-00").contains("<RESPONSE>STOP</RESPONSE>"),
                "a deleted group's parameters go with it");
        assertFalse(server.server().settings().effective(server.server().registry().find("alpha-2026-01-01-00-00-00"))
                .frequency() == 0);
    }

    private long register(String deviceId, String os) throws Exception {
        String inventory = OcsClient.inventory(deviceId, deviceId.substring(0, 5), os, 1, null);
        OcsClient.Response r = server.client().post("/ocsinventory",
                OcsClient.zlib(inventory.getBytes(StandardCharsets.UTF_8)), UNIX);
        assertEquals(200, r.status());
        return server.server().registry().find(deviceId).orElseThrow().id();
    }

    private String prologReply(String deviceId) throws Exception {
        OcsClient.Response r = server.client().post("/ocsinventory",
                OcsClient.zlib(prolog(deviceId).getBytes(StandardCharsets.UTF_8)), UNIX);
        assertEquals(200, r.status());
        return r.inflated();
    }

    private static String conf(String reply) {
        Matcher m = CONF.matcher(reply);
        assertTrue(m.find(), reply);
        return m.group(1);
    }
}
