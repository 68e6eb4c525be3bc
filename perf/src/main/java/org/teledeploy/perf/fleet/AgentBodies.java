package org.teledeploy.perf.fleet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * The request bodies a simulated agent sends, byte for byte what {@code shared/bench/ocs_client.py} sends (same
 * DEVICEIDs, same inventory), so that devices registered by the simulator are the ones the wrk bodies name.
 */
public final class AgentBodies {

    /** The suffix the OCS server's DEVICEID check wants ({@code -YYYY-MM-DD-hh-mm-ss}). */
    public static final String DEVICE_SUFFIX = "2026-11-24-10-00-00";
    public static final String USER_AGENT = "OCS-NG_unified_unix_agent_v2.8.0";

    private final String prefix;

    public AgentBodies(String prefix) {
        if (prefix.isEmpty() || !prefix.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("prefix: " + prefix + " (expected: letters, digits, '_' or '.')");
        }
        this.prefix = prefix;
    }

    public String deviceName(int i) {
        return String.format("%s-%06d", prefix, i);
    }

    public String deviceId(int i) {
        return deviceName(i) + "-" + DEVICE_SUFFIX;
    }

    public String prolog(int i) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><REQUEST><DEVICEID>" + deviceId(i)
                + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>";
    }

    /** The Unix agent's report: attributes of the root only, no XML declaration. */
    public String downloadReport(int i, String packageId, String err) {
        return "<REQUEST DEVICEID=\"" + deviceId(i) + "\" ERR=\"" + err + "\" ID=\"" + packageId
                + "\" QUERY=\"DOWNLOAD\" />";
    }

    /** A small complete inventory: unique NAME, SSN, MAC and UUID, TAG=BENCH (ocs_client.py xml_inventory). */
    public String inventory(int i) {
        int a = (i >> 8) & 0xFF;
        int b = i & 0xFF;
        String mac = String.format("02:00:%02x:%02x:%02x:%02x", (i >> 24) & 0xFF, (i >> 16) & 0xFF, a, b);
        String ip = String.format("127.%d.%d.%d", (i >> 16) & 0xFF, a, b);
        String uuid = String.format("00000000-0000-4000-8000-%012x", i);
        String n = String.format("%06d", i);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
                + "<REQUEST>\n"
                + "  <CONTENT>\n"
                + "    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>BENCH</KEYVALUE></ACCOUNTINFO>\n"
                + "    <BIOS><ASSETTAG/><BDATE>01/15/2024</BDATE><BMANUFACTURER>BenchBIOS</BMANUFACTURER>"
                + "<BVERSION>1.2.3</BVERSION><MMANUFACTURER>BenchBoards</MMANUFACTURER><MMODEL>BB-1</MMODEL>"
                + "<MSN>MB-" + n + "</MSN><SMANUFACTURER>BenchCorp</SMANUFACTURER><SMODEL>Bench Model 1</SMODEL>"
                + "<SSN>SN-" + n + "</SSN><TYPE>Desktop</TYPE></BIOS>\n"
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
                + "</IPADDRESS><IPGATEWAY>127.0.0.1</IPGATEWAY><IPMASK>255.0.0.0</IPMASK>"
                + "<IPSUBNET>127.0.0.0</IPSUBNET><MACADDR>" + mac + "</MACADDR><SPEED>1 Gb/s</SPEED>"
                + "<STATUS>Up</STATUS><TYPE>ethernet</TYPE><VIRTUALDEV>0</VIRTUALDEV></NETWORKS>\n"
                + "    <VERSIONCLIENT>" + USER_AGENT + "</VERSIONCLIENT>\n"
                + "  </CONTENT>\n"
                + "  <DEVICEID>" + deviceId(i) + "</DEVICEID>\n"
                + "  <QUERY>INVENTORY</QUERY>\n"
                + "</REQUEST>\n";
    }

    /** {@code Compress::Zlib::compress}: a zlib (RFC 1950) stream. */
    public static byte[] zlib(String xml) {
        byte[] in = xml.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(in);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 64);
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
