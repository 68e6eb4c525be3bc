package org.teledeploy.perf.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The request bodies the benchmarks feed the server, as agents put them on the wire (zlib, RFC 1950, like Perl's
 * {@code Compress::Zlib::compress}): a PROLOG, the small inventory of the shared benchmark client
 * ({@code shared/bench/ocs_client.py}, {@code xml_inventory}) and the inventory the real Debian Unix agent 2.10
 * sent (a copy of {@code server/src/test/resources/agent-2.10/inventory.zlib}: 298 KB of XML, 747 SOFTWARES).
 */
public final class AgentBodies {

    /** The User-Agent of the real Unix agent whose inventory is bundled. */
    public static final String UNIX_AGENT = "OCS-NG_unified_unix_agent_v2.10.0";
    /** A Windows agent's User-Agent. */
    public static final String WINDOWS_AGENT = "OCS-NG_WINDOWS_AGENT_v2.9.1.0";
    /** The DEVICEID inside the bundled real-agent inventory. */
    public static final String AGENT_DEVICE_ID = "vm-2026-11-25-11-48-25";
    /** The HARDWARE/NAME inside the bundled real-agent inventory. */
    public static final String AGENT_DEVICE_NAME = "vm";

    private AgentBodies() {}

    /** The simulator's bodies (ocs_client.py's DEVICEIDs and inventory, prefix {@code bench}). */
    private static final org.teledeploy.perf.fleet.AgentBodies SHARED = new org.teledeploy.perf.fleet.AgentBodies("bench");

    /** ocs_client.py {@code device_name(i)}. */
    public static String deviceName(int i) {
        return SHARED.deviceName(i);
    }

    /** ocs_client.py {@code device_id(i)}. */
    public static String deviceId(int i) {
        return SHARED.deviceId(i);
    }

    /** ocs_client.py {@code xml_prolog}, for any DEVICEID. */
    public static byte[] prologXml(String deviceId) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?><REQUEST><DEVICEID>" + deviceId
                + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>").getBytes(StandardCharsets.UTF_8);
    }

    /** ocs_client.py {@code xml_inventory(i)}: HARDWARE, BIOS, one NETWORKS, ACCOUNTINFO TAG (about 2 KB). */
    public static byte[] typicalInventoryXml(int i) {
        return SHARED.inventory(i).getBytes(StandardCharsets.UTF_8);
    }

    /** The zlib body the real Unix agent 2.10 posted with its inventory. */
    public static byte[] agentInventoryZlib() {
        try (InputStream in = AgentBodies.class.getResourceAsStream("agent-2.10-inventory.zlib")) {
            if (in == null) {
                throw new IllegalStateException("agent-2.10-inventory.zlib missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** zlib at the default level, as the agents compress. */
    public static byte[] zlib(byte[] xml) {
        return org.teledeploy.perf.fleet.AgentBodies.zlib(new String(xml, StandardCharsets.UTF_8));
    }
}
