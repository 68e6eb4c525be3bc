package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.deploy.Parameter;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Network discovery through a real teledeployd and its agent endpoint: two devices inventoried on 192.0.2.0/24
 * (IPDISCOVER=1), the elected one's PROLOG carries {@code <PARAM IPDISC_LAT="100">192.0.2.0</PARAM>} before
 * DOWNLOAD with RESPONSE=SEND and {@code Connection: close}, the other's nothing; the elected device's next inventory
 * stores the hosts (managed by MAC, or not); forbid / elect / clear change the PROLOGs; hosts and seats expire with
 * the clock; everything survives a restart.
 */
class IpDiscoverServerTest {

    static final String ALPHA = "alpha-2026-03-01-08-00-00";
    static final String BRAVO = "bravo-2026-03-01-08-00-00";
    static final String ALPHA_MAC = "02:00:00:00:00:0a";
    static final String BRAVO_MAC = "02:00:00:00:00:0b";
    static final String SUBNET = "192.0.2.0/24";
    static final String OPTION = "  <OPTION>\n    <NAME>IPDISCOVER</NAME>\n    <PARAM IPDISC_LAT=\"100\">192.0.2.0</PARAM>\n"
            + "  </OPTION>\n  <OPTION>\n    <NAME>DOWNLOAD</NAME>\n";
    private static final AgentXmlReader XML = new AgentXmlReader(32);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().clock(clock)
            .with("IPDISCOVER", "1").with("FREQUENCY", "1");

    // ---- the wire --------------------------------------------------------------------------------------------

    @Test
    void theElectedDevicesPrologCarriesTheOptionWithSendAndConnectionClose() throws Exception {
        makeBothEligibleAndElectAlpha();
        OcsClient.Response alpha = prolog(ALPHA);
        String xml = alpha.inflated();
        assertTrue(xml.contains("  <RESPONSE>SEND</RESPONSE>\n"), "IPDISCOVER forces SEND: " + xml);
        assertTrue(xml.contains(OPTION), "IPDISCOVER option, before DOWNLOAD as in OCS: " + xml);
        assertEquals("close", alpha.header("Connection"));
        XmlNode option = XML.parse(alpha.inflated().getBytes(StandardCharsets.UTF_8)).list("OPTION").get(0);
        assertEquals("192.0.2.0", option.child("PARAM").orElseThrow().text(), "the bare network address");
        assertEquals(List.of("IPDISCOVER", "DOWNLOAD"), XML.parse(xml.getBytes(StandardCharsets.UTF_8))
                .list("OPTION").stream().map(o -> o.valueOrEmpty("NAME")).toList());

        OcsClient.Response bravo = prolog(BRAVO);
        assertFalse(bravo.inflated().contains("IPDISCOVER"), bravo.inflated());
        assertTrue(bravo.inflated().contains("<RESPONSE>STOP</RESPONSE>"), "FREQUENCY=1 and inventoried today");
        assertNotEquals("close", bravo.header("Connection"));
    }

    @Test
    void theServerClosesTheConnectionAfterTheIpdiscoverPrologOnly() throws Exception {
        makeBothEligibleAndElectAlpha();
        byte[] body = OcsClient.zlib(OcsClient.prolog(BRAVO).getBytes(StandardCharsets.UTF_8));
        String head = "POST /ocsinventory HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: OCS-NG_unified_unix_agent_v2.10.0\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] bravo = OcsClient.concat(head.getBytes(StandardCharsets.US_ASCII), body);
        byte[] alphaBody = OcsClient.zlib(OcsClient.prolog(ALPHA).getBytes(StandardCharsets.UTF_8));
        byte[] alpha = OcsClient.concat(("POST /ocsinventory HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: "
                + "OCS-NG_unified_unix_agent_v2.10.0\r\nContent-Length: " + alphaBody.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), alphaBody);
        try (Socket socket = server.client().open()) {
            OcsClient.send(socket, bravo);
            assertEquals(200, OcsClient.read(socket.getInputStream()).status());
            OcsClient.send(socket, alpha);
            OcsClient.Response response = OcsClient.read(socket.getInputStream());
            assertTrue(response.inflated().contains("IPDISCOVER"));
            assertEquals(-1, socket.getInputStream().read(), "closed after the reply, as OCS does");
        }
    }

    // ---- the hosts -------------------------------------------------------------------------------------------

    @Test
    void theElectedDevicesInventoryStoresItsHostsManagedByMac() throws Exception {
        makeBothEligibleAndElectAlpha();
        prolog(ALPHA);
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, String.join("",
                host("192.0.2.11", BRAVO_MAC.toUpperCase(), "bravo"),           // a registered device: managed
                host("192.0.2.50", "00:00:5e:00:53:32", "printer.example.net"),
                host("192.0.2.51", "00:00:5e:00:53:33", "-"),
                host("192.0.2.300", "00:00:5e:00:53:34", "-"),                 // malformed: skipped
                host("192.0.2.52", "not-a-mac", "-"),
                host("198.51.100.7", "00:00:5e:00:53:36", "-"),                // outside its subnets: skipped
                host("192.0.2.255", "00:00:5e:00:53:37", "-")));               // broadcast: skipped
        long at = clock.millis();

        SubnetSummary summary = subnet(SUBNET);
        assertEquals(new SubnetSummary(SUBNET, 2, List.of(new SubnetSummary.ElectedDevice(ALPHA, false)), 3, 1, 2),
                summary);
        List<DiscoveredHost> unmanaged = network().hosts(Optional.of(SUBNET), true).join();
        assertEquals(List.of(
                new DiscoveredHost(SUBNET, "192.0.2.50", "00:00:5e:00:53:32", "255.255.255.0", "printer.example.net",
                        at, at, Optional.of(ALPHA), Optional.empty()),
                new DiscoveredHost(SUBNET, "192.0.2.51", "00:00:5e:00:53:33", "255.255.255.0", "", at, at,
                        Optional.of(ALPHA), Optional.empty())), unmanaged);
        DiscoveredHost bravo = network().hosts(Optional.empty(), false).join().get(0);
        assertEquals("192.0.2.11", bravo.ip());
        assertEquals(Optional.of(BRAVO), bravo.device(), "matched by MAC, whatever its case");
        assertTrue(bravo.managed());

        // A day later: the printer again (new address, no name this time), and a new registered device owns the
        // phone's MAC: it becomes managed without a new scan.
        clock.advance(Duration.ofDays(1));
        prolog(ALPHA);
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, host("192.0.2.60", "00:00:5e:00:53:32", "-"));
        inventory("phone-2026-03-03-08-00-00", "192.0.2.51", "00:00:5E:00:53:33", "");
        DiscoveredHost printer = network().hosts(Optional.of("192.0.2.99/24"), false).join().stream()
                .filter(h -> h.mac().equals("00:00:5e:00:53:32")).findFirst().orElseThrow();
        assertEquals("192.0.2.60", printer.ip());
        assertEquals("printer.example.net", printer.name(), "a report without name keeps the known one");
        assertEquals(at, printer.firstSeen());
        assertEquals(clock.millis(), printer.lastSeen());
        assertEquals(List.of("00:00:5e:00:53:32"), network().hosts(Optional.of(SUBNET), true).join().stream()
                .map(DiscoveredHost::mac).toList());
        assertEquals(new SubnetSummary(SUBNET, 3, List.of(new SubnetSummary.ElectedDevice(ALPHA, false)), 3, 2, 1),
                subnet(SUBNET));
    }

    @Test
    void hostsAreFiledUnderTheReportersSubnetThatHoldsThemNotTheOneItWasElectedFor() throws Exception {
        // The Unix agent scans its default route's interface whatever subnet the PROLOG names (IpDiscover.pm), so
        // a device forced for its second subnet reports hosts of its first one: OCS would file them all under the
        // elected subnet; teledeploy files each under the reporter's subnet that contains it.
        String lab = "<NETWORKS><DESCRIPTION>eth1</DESCRIPTION><IPADDRESS>198.51.100.10</IPADDRESS>"
                + "<IPMASK>255.255.255.0</IPMASK><MACADDR>02:00:00:00:01:0a</MACADDR><STATUS>Up</STATUS></NETWORKS>";
        inventory(inventoryXml(ALPHA, "192.0.2.10", ALPHA_MAC, "").replace("  </CONTENT>", lab + "\n  </CONTENT>"));
        assertEquals(List.of(SUBNET, "198.51.100.0/24"), network().device(ALPHA).join().subnets(), "primary first");
        assertEquals(Optional.of("198.51.100.0/24"), network().elect(ALPHA, "198.51.100.0/24").join().electedSubnet());
        assertTrue(prolog(ALPHA).inflated().contains("<PARAM IPDISC_LAT=\"100\">198.51.100.0</PARAM>"));
        inventory(inventoryXml(ALPHA, "192.0.2.10", ALPHA_MAC, host("192.0.2.50", "00:00:5e:00:53:32", "-")
                + host("198.51.100.50", "00:00:5e:00:53:33", "-") + host("203.0.113.5", "00:00:5e:00:53:34", "-"))
                .replace("  </CONTENT>", lab + "\n  </CONTENT>"));
        assertEquals(List.of("192.0.2.50 " + SUBNET + " 255.255.255.0", "198.51.100.50 198.51.100.0/24 255.255.255.0"),
                network().hosts(Optional.empty(), false).join().stream()
                        .map(h -> h.ip() + " " + h.subnet() + " " + h.mask()).toList());
    }

    @Test
    void aSectionFromADeviceThatIsNotElectedIsIgnoredAsInOcs() throws Exception {
        makeBothEligibleAndElectAlpha();
        inventory(BRAVO, "192.0.2.11", BRAVO_MAC, host("192.0.2.50", "00:00:5e:00:53:32", "printer"));
        assertEquals(List.of(), network().hosts(Optional.empty(), false).join());
    }

    @Test
    void anElectedDeviceThatSendsNoScanLosesItsSeatToAnother() throws Exception {
        makeBothEligibleAndElectAlpha();
        prolog(ALPHA);
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, "");   // asked to scan, nothing came: its agent cannot scan
        assertEquals(Optional.of(SUBNET), network().device(BRAVO).join().electedSubnet());
        DeviceDiscovery alpha = network().device(ALPHA).join();
        assertEquals(Optional.empty(), alpha.electedSubnet());
        assertEquals(clock.millis(), alpha.unableSince());
        assertFalse(prolog(ALPHA).inflated().contains("IPDISCOVER"));
        assertTrue(prolog(BRAVO).inflated().contains("IPDISCOVER"));
    }

    // ---- the admin's choices ---------------------------------------------------------------------------------

    @Test
    void forbidElectAndClearChangeThePrologs() throws Exception {
        makeBothEligibleAndElectAlpha();
        DeviceDiscovery forbidden = network().forbid(ALPHA).join();
        assertEquals(Election.Policy.FORBIDDEN, forbidden.policy());
        assertEquals(Optional.empty(), forbidden.electedSubnet());
        assertFalse(prolog(ALPHA).inflated().contains("IPDISCOVER"));
        assertTrue(prolog(BRAVO).inflated().contains(OPTION), "the free seat goes to the other candidate");

        DeviceDiscovery forced = network().elect(ALPHA).join();
        assertEquals(Election.Policy.FORCED, forced.policy());
        assertEquals(Optional.of(SUBNET), forced.forcedSubnet(), "its primary subnet");
        assertEquals(Optional.of(SUBNET), forced.electedSubnet());
        assertTrue(prolog(ALPHA).inflated().contains(OPTION));
        assertFalse(prolog(BRAVO).inflated().contains("IPDISCOVER"), "IPDISCOVER=1: the forced device takes the seat");
        assertEquals(List.of(new SubnetSummary.ElectedDevice(ALPHA, true)), subnet(SUBNET).elected());

        DeviceDiscovery cleared = network().clear(ALPHA).join();
        assertEquals(Election.Policy.AUTO, cleared.policy());
        assertEquals(Optional.of(SUBNET), cleared.electedSubnet(), "still the best candidate: keeps its seat");
        assertEquals(List.of(new SubnetSummary.ElectedDevice(ALPHA, false)), subnet(SUBNET).elected());
    }

    @Test
    void electRefusesUnknownDevicesAndSubnetsTheDeviceIsNotOn() throws Exception {
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, "");
        NetworkException unknown = failure(() -> network().elect("nobody-2026-03-01-08-00-00").join());
        assertEquals(NetworkException.Kind.NOT_FOUND, unknown.kind());
        assertEquals("deviceid: nobody-2026-03-01-08-00-00 (expected: a registered DEVICEID)", unknown.getMessage());
        NetworkException elsewhere = failure(() -> network().elect(ALPHA, "198.51.100.0/24").join());
        assertEquals(NetworkException.Kind.INVALID, elsewhere.kind());
        assertEquals("subnet: 198.51.100.0/24 (expected: one of the subnets of " + ALPHA + ": [192.0.2.0/24])",
                elsewhere.getMessage());
        assertEquals("subnet: 192.0.2.0/99 (expected: a.b.c.d/n with n 0-32)",
                failure(() -> network().elect(ALPHA, "192.0.2.0/99").join()).getMessage());
        assertEquals("subnet: nonsense (expected: a.b.c.d/n with n 0-32)",
                failure(() -> network().hosts(Optional.of("nonsense"), false).join()).getMessage());

        // Forcing needs no contact history: the seat is given at once, and the PROLOG carries the option.
        assertEquals(Optional.of(SUBNET), network().elect(ALPHA, "192.0.2.77/24").join().electedSubnet());
        assertTrue(prolog(ALPHA).inflated().contains(OPTION));
    }

    @Test
    void theLatencyComesFromTheDeviceParameterThenTheServerAndFrequencyMinusOneGivesNoOption() throws Exception {
        makeBothEligibleAndElectAlpha();
        long alpha = server.server().registry().find(ALPHA).orElseThrow().id();
        server.server().settings().setDevice(alpha, Parameter.IPDISCOVER_LATENCY, OptionalInt.of(250)).join();
        assertTrue(prolog(ALPHA).inflated().contains("<PARAM IPDISC_LAT=\"250\">192.0.2.0</PARAM>"));
        server.server().settings().setDevice(alpha, Parameter.FREQUENCY, OptionalInt.of(-1)).join();
        String never = prolog(ALPHA).inflated();
        assertFalse(never.contains("IPDISCOVER"), "never inventoried: a scan would never be reported");
        assertTrue(never.contains("<RESPONSE>STOP</RESPONSE>"), never);
    }

    @Test
    void prologsKeepOcssContactCountAndAverageDaysBetweenContacts() throws Exception {
        // OCS Server/Communication.pm: QUALITY = ((now - LASTCOME) / 86400 + QUALITY * FIDELITY) / (FIDELITY + 1)
        // once FIDELITY > 1, else (now - LASTCOME) / 86400; FIDELITY + 1 at every PROLOG; 1 at registration.
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, "");
        assertEquals(List.of(1.0, 0.0), contactStatistics(ALPHA));
        clock.advance(Duration.ofHours(1));
        prolog(ALPHA);
        assertEquals(List.of(2.0, 1 / 24.0), contactStatistics(ALPHA));
        clock.advance(Duration.ofHours(2));
        prolog(ALPHA);
        List<Double> stats = contactStatistics(ALPHA);
        assertEquals(3.0, stats.get(0));
        assertEquals((2 / 24.0 + 2 / 24.0) / 3, stats.get(1), 1e-9);
        prolog("unknown-2026-03-01-08-00-00");
        assertEquals(1, server.server().registry().size(), "an unknown device is not counted (nor created)");
    }

    private List<Double> contactStatistics(String deviceId) {
        server.server().flushWrites();
        return server.server().reader().readNow(c -> {
            try (var ps = c.prepareStatement("SELECT contacts, contact_quality FROM devices WHERE deviceid = ?")) {
                ps.setString(1, deviceId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return List.of((double) rs.getInt(1), rs.getDouble(2));
                }
            }
        });
    }

    // ---- time ------------------------------------------------------------------------------------------------

    @Test
    void hostsAndSeatsExpireWithTheClock() throws Exception {
        makeBothEligibleAndElectAlpha();
        prolog(ALPHA);
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, host("192.0.2.50", "00:00:5e:00:53:32", "old")
                + host("192.0.2.51", "00:00:5e:00:53:33", "-"));
        assertEquals(new NetworkDiscovery.Expired(0, 0), network().expire().join());

        // 15 days without inventory: past IPDISCOVER_MAX_ALIVE (14), nobody on the subnet is a candidate any more.
        clock.advance(Duration.ofDays(15));
        assertEquals(new NetworkDiscovery.Expired(0, 1), network().expire().join());
        assertFalse(prolog(ALPHA).inflated().contains("IPDISCOVER"));
        assertEquals(List.of(), subnet(SUBNET).elected());

        // Forced devices are not subject to it; one reports again at day 20, then the old host is 31 days old.
        network().elect(ALPHA).join();
        clock.advance(Duration.ofDays(5));
        prolog(ALPHA);
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, host("192.0.2.51", "00:00:5e:00:53:33", "-"));
        clock.advance(Duration.ofDays(11));
        assertEquals(new NetworkDiscovery.Expired(1, 0), network().expire().join(), "ipdiscover.host.retention=30d");
        assertEquals(List.of("192.0.2.51"), network().hosts(Optional.empty(), false).join().stream()
                .map(DiscoveredHost::ip).toList());
        assertEquals(Optional.of(SUBNET), network().device(ALPHA).join().electedSubnet());
    }

    @Test
    void seatsPoliciesAndHostsSurviveARestart() throws Exception {
        makeBothEligibleAndElectAlpha();
        prolog(ALPHA);
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, host("192.0.2.50", "00:00:5e:00:53:32", "printer"));
        network().forbid(BRAVO).join();
        List<DiscoveredHost> hosts = network().hosts(Optional.empty(), false).join();

        server.restart();
        assertTrue(prolog(ALPHA).inflated().contains(OPTION), "the seat is back in memory");
        assertEquals(Election.Policy.FORBIDDEN, network().device(BRAVO).join().policy());
        assertEquals(hosts, network().hosts(Optional.empty(), false).join());
        assertEquals(new SubnetSummary(SUBNET, 2, List.of(new SubnetSummary.ElectedDevice(ALPHA, false)), 1, 0, 1),
                subnet(SUBNET));
    }

    // ---- configuration ---------------------------------------------------------------------------------------

    @Nested
    class Capped {
        @RegisterExtension
        final TeledeployServerExtension capped = TeledeployServerExtension.create().with("IPDISCOVER", "2")
                .with("IPDISCOVER_NO_POSTPONE", "1").with("limit.ipdiscover.hosts", "2");

        @Test
        void anInventoryKeepsAtMostLimitIpdiscoverHosts() throws Exception {
            OcsClient client = capped.client();
            post(client, inventoryXml(ALPHA, "192.0.2.10", ALPHA_MAC, ""));
            assertEquals(Optional.of(SUBNET), capped.server().network().device(ALPHA).join().electedSubnet(),
                    "IPDISCOVER_NO_POSTPONE=1: elected at its first inventory");
            StringBuilder many = new StringBuilder();
            for (int i = 20; i < 30; i++) {
                many.append(host("192.0.2." + i, "00:00:5e:00:53:" + i, "-"));
            }
            post(client, inventoryXml(ALPHA, "192.0.2.10", ALPHA_MAC, many.toString()));
            assertEquals(List.of("192.0.2.20", "192.0.2.21"), capped.server().network().hosts(Optional.empty(), false)
                    .join().stream().map(DiscoveredHost::ip).toList());
        }
    }

    @Nested
    class Off {
        @RegisterExtension
        final TeledeployServerExtension off = TeledeployServerExtension.create().with("IPDISCOVER", "0");

        @Test
        void ipdiscoverZeroGivesNoOptionEvenToAForcedDeviceButStillMapsSubnets() throws Exception {
            OcsClient client = off.client();
            post(client, inventoryXml(ALPHA, "192.0.2.10", ALPHA_MAC, ""));
            DeviceDiscovery forced = off.server().network().elect(ALPHA).join();
            assertEquals(Election.Policy.FORCED, forced.policy());
            assertEquals(Optional.empty(), forced.electedSubnet());
            OcsClient.Response prolog = client.post(OcsClient.prolog(ALPHA));
            assertFalse(prolog.inflated().contains("IPDISCOVER"));
            assertNull(prolog.header("Connection"));
            assertEquals(List.of(new SubnetSummary(SUBNET, 1, List.of(), 0, 0, 0)),
                    off.server().network().subnets().join());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /**
     * Both devices inventoried on 192.0.2.0/24, then two PROLOGs each an hour apart (OCS elects after more than two
     * contacts), then alpha's inventory gives it the only seat and bravo's finds it taken.
     */
    private void makeBothEligibleAndElectAlpha() throws IOException {
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, "");
        inventory(BRAVO, "192.0.2.11", BRAVO_MAC, "");
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofHours(1));
            assertFalse(prolog(ALPHA).inflated().contains("IPDISCOVER"), "not elected before three contacts");
            prolog(BRAVO);
        }
        inventory(ALPHA, "192.0.2.10", ALPHA_MAC, "");
        inventory(BRAVO, "192.0.2.11", BRAVO_MAC, "");
        assertEquals(Optional.of(SUBNET), network().device(ALPHA).join().electedSubnet());
        assertEquals(Optional.empty(), network().device(BRAVO).join().electedSubnet());
    }

    private NetworkDiscovery network() {
        return server.server().network();
    }

    private SubnetSummary subnet(String cidr) {
        return network().subnets().join().stream().filter(s -> s.cidr().equals(cidr)).findFirst().orElseThrow();
    }

    private OcsClient.Response prolog(String deviceId) throws IOException {
        OcsClient.Response response = server.client().post(OcsClient.prolog(deviceId));
        assertEquals(200, response.status());
        return response;
    }

    private void inventory(String deviceId, String ip, String mac, String hosts) throws IOException {
        inventory(inventoryXml(deviceId, ip, mac, hosts));
    }

    private void inventory(String xml) throws IOException {
        post(server.client(), xml);
    }

    private static void post(OcsClient client, String xml) throws IOException {
        OcsClient.Response response = client.post(xml);
        assertEquals(200, response.status(), response.text());
    }

    static String host(String ip, String mac, String name) {
        return "<H><I>" + ip + "</I><M>" + mac + "</M><N>" + name + "</N></H>";
    }

    /** A Unix-agent-shaped inventory: one Up ethernet interface with its gateway, and the given IPDISCOVER hosts. */
    static String inventoryXml(String deviceId, String ip, String mac, String hosts) {
        String name = deviceId.substring(0, deviceId.indexOf('-'));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n  <CONTENT>\n"
                + "    <HARDWARE><DEFAULTGATEWAY>192.0.2.1</DEFAULTGATEWAY><IPADDR>" + ip + "</IPADDR><NAME>" + name
                + "</NAME><OSNAME>Debian GNU/Linux 12</OSNAME></HARDWARE>\n"
                + (hosts.isEmpty() ? "" : "    <IPDISCOVER>" + hosts + "</IPDISCOVER>\n")
                + "    <NETWORKS><DESCRIPTION>eth0</DESCRIPTION><IPADDRESS>" + ip + "</IPADDRESS>"
                + "<IPGATEWAY>192.0.2.1</IPGATEWAY><IPMASK>255.255.255.0</IPMASK><IPSUBNET>192.0.2.0</IPSUBNET>"
                + "<MACADDR>" + mac + "</MACADDR><STATUS>Up</STATUS><TYPE>ethernet</TYPE></NETWORKS>\n"
                + "  </CONTENT>\n  <DEVICEID>" + deviceId + "</DEVICEID>\n  <QUERY>INVENTORY</QUERY>\n</REQUEST>\n";
    }

    private static NetworkException failure(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        assertTrue(e.getCause() instanceof NetworkException, String.valueOf(e.getCause()));
        return (NetworkException) e.getCause();
    }
}
