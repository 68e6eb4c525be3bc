package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.teledeploy.network.DiscoverySection.Host;
import org.teledeploy.network.DiscoverySection.Parsed;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyEncoding;
import org.teledeploy.protocol.XmlNode;

/**
 * Pins the IPDISCOVER section of an inventory as the Unix agent 2.10 writes it ({@link DiscoverySection}), read
 * through the server's own XML reader: child elements {@code I}, {@code M}, {@code N} per {@code H}, {@code -} for
 * no name, attributes equivalent to children, malformed entries skipped (not fatal), the per-inventory cap, MAC
 * normalization.
 */
class IpDiscoverSectionTest {

    private static final AgentXmlReader XML = new AgentXmlReader(32);

    /**
     * Generated on Debian 12 with the agent's own code (ocsinventory-agent 2:2.10.0-3): {@code Common.pm}
     * {@code setHardware}, {@code addNetwork}, then {@code addIpDiscoverEntry} for two lines of
     * {@code /usr/bin/ipdiscover} output as {@code Backend/IpDiscover/IpDiscover.pm} parses them and one host as
     * {@code Nmap.pm} adds it (no name), serialized by {@code XMLout(..., RootName => 'REQUEST', XMLDecl => ...,
     * SuppressEmpty => undef)} exactly as {@code XML/Inventory.pm getContent} does.
     */
    static final String AGENT_INVENTORY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <REQUEST>
              <CONTENT>
                <HARDWARE>
                  <DEFAULTGATEWAY>192.0.2.1</DEFAULTGATEWAY>
                  <IPADDR>192.0.2.10</IPADDR>
                  <NAME>scanner</NAME>
                  <OSNAME>Debian GNU/Linux 12</OSNAME>
                </HARDWARE>
                <IPDISCOVER>
                  <H>
                    <I>192.0.2.1</I>
                    <M>00:00:5e:00:53:01</M>
                    <N>gw.example.net</N>
                  </H>
                  <H>
                    <I>192.0.2.20</I>
                    <M>00:00:5e:00:53:14</M>
                    <N>-</N>
                  </H>
                  <H>
                    <I>192.0.2.30</I>
                    <M>00:00:5e:00:53:1e</M>
                    <N>-</N>
                  </H>
                </IPDISCOVER>
                <NETWORKS>
                  <DESCRIPTION>eth0</DESCRIPTION>
                  <IPADDRESS>192.0.2.10</IPADDRESS>
                  <IPGATEWAY>192.0.2.1</IPGATEWAY>
                  <IPMASK>255.255.255.0</IPMASK>
                  <IPSUBNET>192.0.2.0</IPSUBNET>
                  <MACADDR>02:00:00:00:00:0a</MACADDR>
                  <STATUS>Up</STATUS>
                  <TYPE>ethernet</TYPE>
                </NETWORKS>
              </CONTENT>
              <DEVICEID>scanner-2024-03-05-09-12-44</DEVICEID>
              <QUERY>INVENTORY</QUERY>
            </REQUEST>
            """;

    private static Optional<XmlNode> content(String xml) {
        XmlNode root = XML.parse(xml.getBytes(StandardCharsets.UTF_8));
        return AgentRequest.of(root, BodyEncoding.PLAIN, "OCS-NG_unified_unix_agent_v2.10.0", "127.0.0.1").content();
    }

    private static Optional<XmlNode> section(String hosts) {
        return content("<REQUEST><CONTENT><HARDWARE><NAME>x</NAME></HARDWARE><IPDISCOVER>" + hosts
                + "</IPDISCOVER></CONTENT><DEVICEID>x-2024-03-05-09-12-44</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>");
    }

    @Test
    void theUnixAgentsSectionGivesEveryHostWithDashAsNoName() {
        Parsed parsed = DiscoverySection.read(content(AGENT_INVENTORY), 65_536);
        assertTrue(parsed.present());
        assertEquals(List.of(
                new Host("192.0.2.1", 0xC0000201L, "00:00:5e:00:53:01", "gw.example.net"),
                new Host("192.0.2.20", 0xC0000214L, "00:00:5e:00:53:14", ""),
                new Host("192.0.2.30", 0xC000021EL, "00:00:5e:00:53:1e", "")), parsed.hosts());
        assertEquals(0, parsed.skipped());
        assertEquals(0, parsed.overLimit());
    }

    @Test
    void attributesMeanTheSameAsChildElements() {
        Parsed attributes = DiscoverySection.read(section(
                "<H I=\"192.0.2.1\" M=\"00:00:5e:00:53:01\" N=\"gw.example.net\"/><H I=\"192.0.2.20\"><M>00:00:5e:00:53:14</M></H>"),
                10);
        assertEquals(List.of(new Host("192.0.2.1", 0xC0000201L, "00:00:5e:00:53:01", "gw.example.net"),
                new Host("192.0.2.20", 0xC0000214L, "00:00:5e:00:53:14", "")), attributes.hosts());
    }

    @Test
    void malformedEntriesAreSkippedAndCountedAndTheRestIsRead() {
        Parsed parsed = DiscoverySection.read(section(String.join("",
                "<H><I>192.0.2.300</I><M>00:00:5e:00:53:01</M><N>-</N></H>",   // not an address
                "<H><I>192.0.2</I><M>00:00:5e:00:53:02</M></H>",
                "<H><I>192.0.2.3</I><M>zz:00:5e:00:53:03</M></H>",           // not a MAC
                "<H><I>192.0.2.4</I><M>00:00:5e:00:53</M></H>",               // five octets
                "<H><I>192.0.2.5</I><M>0:0:5e:0:53:5</M></H>",                // not two digits each
                "<H><I>192.0.2.6</I><M>00:00:00:00:00:00</M></H>",            // zero MAC
                "<H><I>192.0.2.7</I><M>ff:ff:ff:ff:ff:ff</M></H>",            // broadcast MAC
                "<H><I>192.0.2.8</I></H>",                                    // no MAC
                "<H><M>00:00:5e:00:53:09</M><N>noip</N></H>",                  // no address
                "<H><I>0.0.0.0</I><M>00:00:5e:00:53:0a</M></H>",
                "<H><I> 192.0.2.11 </I><M>00-00-5E-00-53-0B</M><N> printer </N></H>", // fine, normalized
                "<H></H>", "<X><I>192.0.2.12</I><M>00:00:5e:00:53:0c</M></X>")), 10);
        assertEquals(List.of(new Host("192.0.2.11", 0xC000020BL, "00:00:5e:00:53:0b", "printer")), parsed.hosts());
        assertEquals(10, parsed.skipped(), "every broken H is counted; empty H and other elements are not hosts");
    }

    @Test
    void entriesPastTheCapAreCountedNotRead() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
            hosts.append("<H><I>192.0.2.").append(i).append("</I><M>00:00:5e:00:53:0").append(i).append("</M></H>");
        }
        Parsed parsed = DiscoverySection.read(section(hosts.toString()), 3);
        assertEquals(3, parsed.hosts().size());
        assertEquals("192.0.2.3", parsed.hosts().get(2).ip());
        assertEquals(4, parsed.overLimit());
    }

    @Test
    void longNamesAreCut() {
        String name = "n".repeat(400);
        Parsed parsed = DiscoverySection.read(section("<H><I>192.0.2.1</I><M>00:00:5e:00:53:01</M><N>" + name
                + "</N></H>"), 10);
        assertEquals(DiscoverySection.MAX_NAME, parsed.hosts().get(0).name().length());
    }

    @Test
    void noSectionIsAbsentAndAnEmptyOneTooAsXmlSimpleReadsIt() {
        assertFalse(DiscoverySection.read(Optional.empty(), 10).present());
        assertFalse(DiscoverySection.read(content("<REQUEST><CONTENT><HARDWARE><NAME>x</NAME></HARDWARE></CONTENT>"
                + "<DEVICEID>x-2024-03-05-09-12-44</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"), 10).present());
        assertFalse(DiscoverySection.read(section("\n    "), 10).present(), "<IPDISCOVER> with whitespace only");
    }

    @Test
    void macsAreNormalizedToLowerCaseWithColons() {
        assertEquals(Optional.of("00:0c:29:ab:cd:ef"), DiscoverySection.normalizeMac("00:0C:29:AB:CD:EF"));
        assertEquals(Optional.of("00:0c:29:ab:cd:ef"), DiscoverySection.normalizeMac(" 00-0c-29-ab-cd-ef "));
        assertEquals(Optional.empty(), DiscoverySection.normalizeMac("00:0c:29:ab:cd:ef:01"));
        assertEquals(Optional.empty(), DiscoverySection.normalizeMac("00.0c.29.ab.cd.ef"));
        assertEquals(Optional.empty(), DiscoverySection.normalizeMac(null));
    }
}
