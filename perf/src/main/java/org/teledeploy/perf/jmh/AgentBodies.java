package org.teledeploy.perf.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

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

    /** ocs_client.py {@code device_name(i)}. */
    public static String deviceName(int i) {
        return String.format("bench-%06d", i);
    }

    /** ocs_client.py {@code device_id(i)}. */
    public static String deviceId(int i) {
        return deviceName(i) + "-2026-11-24-10-00-00";
    }

    /** ocs_client.py {@code xml_prolog}, for any DEVICEID. */
    public static byte[] prologXml(String deviceId) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?><REQUEST><DEVICEID>" + deviceId
                + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>").getBytes(StandardCharsets.UTF_8);
    }

    /** ocs_client.py {@code xml_inventory(i)}: HARDWARE, BIOS, one NETWORKS, ACCOUNTINFO TAG (about 2 KB). */
    public static byte[] typicalInventoryXml(int i) {
        int a = (i >> 8) & 0xFF;
        int b = i & 0xFF;
        String mac = String.format("02:00:%02x:%02x:%02x:%02x", (i >> 24) & 0xFF, (i >> 16) & 0xFF, a, b);
        String ip = String.format("127.%d.%d.%d", (i >> 16) & 0xFF, a, b);
        String uuid = String.format("00000000-0000-4000-8000-%012x", i);
        String seq = String.format("%06d", i);
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
                + "<REQUEST>\n"
                + "  <CONTENT>\n"
                + "    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>BENCH</KEYVALUE></ACCOUNTINFO>\n"
                + "    <BIOS><ASSETTAG/><BDATE>01/15/2024</BDATE><BMANUFACTURER>BenchBIOS</BMANUFACTURER>"
                + "<BVERSION>1.2.3</BVERSION><MMANUFACTURER>BenchBoards</MMANUFACTURER><MMODEL>BB-1</MMODEL>"
                + "<MSN>MB-" + seq + "</MSN><SMANUFACTURER>BenchCorp</SMANUFACTURER><SMODEL>Bench Model 1</SMODEL>"
                + "<SSN>SN-" + seq + "</SSN><TYPE>Desktop</TYPE></BIOS>\n"
                + "    <HARDWARE><ARCH>x86_64</ARCH><CHECKSUM>262143</CHECKSUM><DEFAULTGATEWAY>127.0.0.1"
                + "</DEFAULTGATEWAY><DESCRIPTION>x86_64/00-00-00 00:00:00</DESCRIPTION><DNS>127.0.0.53</DNS>"
                + "<IPADDR>" + ip + "</IPADDR><MEMORY>7936</MEMORY><NAME>" + deviceName(i) + "</NAME>"
                + "<OSCOMMENTS>#1 SMP PREEMPT_DYNAMIC Debian 6.1.0</OSCOMMENTS>"
                + "<OSNAME>Debian GNU/Linux 12 (bookworm)</OSNAME><OSVERSION>6.1.0-18-amd64</OSVERSION>"
                + "<PROCESSORN>4</PROCESSORN><PROCESSORS>2400</PROCESSORS>"
                + "<PROCESSORT>Intel(R) Core(TM) i5 CPU</PROCESSORT><SWAP>2047</SWAP><USERID>bench</USERID>"
                + "<UUID>" + uuid + "</UUID><VMSYSTEM>Physical</VMSYSTEM><WORKGROUP>bench.local</WORKGROUP>"
                + "</HARDWARE>\n"
                + "    <NETWORKS><DESCRIPTION>eth0</DESCRIPTION><DRIVER>e1000e</DRIVER><IPADDRESS>" + ip
                + "</IPADDRESS><IPGATEWAY>127.0.0.1</IPGATEWAY><IPMASK>255.0.0.0</IPMASK><IPSUBNET>127.0.0.0"
                + "</IPSUBNET><MACADDR>" + mac + "</MACADDR><SPEED>1 Gb/s</SPEED><STATUS>Up</STATUS>"
                + "<TYPE>ethernet</TYPE><VIRTUALDEV>0</VIRTUALDEV></NETWORKS>\n"
                + "    <VERSIONCLIENT>OCS-NG_unified_unix_agent_v2.8.0</VERSIONCLIENT>\n"
                + "  </CONTENT>\n"
                + "  <DEVICEID>" + deviceId(i) + "</DEVICEID>\n"
                + "  <QUERY>INVENTORY</QUERY>\n"
                + "</REQUEST>\n").getBytes(StandardCharsets.UTF_8);
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
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
        try {
            deflater.setInput(xml);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(xml.length / 2 + 64);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
