package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.teledeploy.registry.Inventory;

/**
 * Pins {@link Subnet} (CIDR parsing, canonical form, the PARAM address) and {@link InterfaceSubnets}, which subnets
 * a device can discover from its NETWORKS: IP and mask to network address, hex masks, the OCS rules (no ppp, status
 * up, at least /16) and what teledeploy adds (no loopback, link-local, multicast, missing or broken masks, /31 and
 * /32, IPv6), and which subnet is primary (the default route's, which the Unix agent scans).
 */
class IpDiscoverSubnetTest {

    private static Inventory.Network net(String description, String ip, String mask, String gateway, String status) {
        return new Inventory.Network(description, ip, mask, "", gateway, "02:00:00:00:00:01", status, "ethernet");
    }

    private static Inventory.Network up(String ip, String mask) {
        return net("eth0", ip, mask, "", "Up");
    }

    private static List<String> derive(String defaultGateway, Inventory.Network... networks) {
        return InterfaceSubnets.derive(List.of(networks), defaultGateway).stream().map(Subnet::cidr).toList();
    }

    @Test
    void addressAndMaskGiveTheNetworkAddress() {
        assertEquals(List.of("192.0.2.0/24"), derive("", up("192.0.2.77", "255.255.255.0")));
        assertEquals(List.of("198.51.100.64/26"), derive("", up("198.51.100.100", "255.255.255.192")));
        assertEquals(List.of("10.20.0.0/16"), derive("", up("10.20.30.40", "255.255.0.0")));
        assertEquals(List.of("203.0.113.0/24"), derive("", up("203.0.113.9", "0xffffff00")), "BSD/macOS hex mask");
    }

    @Test
    void theAgentsIpsubnetIsOnlyAFallbackForAMissingAddress() {
        Inventory.Network subnetOnly = new Inventory.Network("eth0", "", "255.255.255.0", "192.0.2.0", "", "", "Up", "");
        assertEquals(List.of("192.0.2.0/24"), derive("", subnetOnly));
        Inventory.Network wrongSubnet = new Inventory.Network("eth0", "192.0.2.9", "255.255.255.0", "10.9.9.0", "", "",
                "Up", "");
        assertEquals(List.of("192.0.2.0/24"), derive("", wrongSubnet));
    }

    @Test
    void interfacesThatCannotBeDiscoveredAreIgnored() {
        assertEquals(List.of(), derive("",
                up("192.0.2.7", ""),                                   // no mask
                up("192.0.2.7", "255.0.255.0"),                        // not contiguous
                up("192.0.2.7", "garbage"),
                up("10.1.2.3", "255.0.0.0"),                           // /8: OCS wants at least 255.255.
                up("127.0.0.1", "255.255.255.0"),                      // loopback
                up("169.254.10.20", "255.255.0.0"),                    // link-local
                up("224.0.0.1", "255.255.255.0"),                      // multicast
                up("0.1.2.3", "255.255.255.0"),
                up("192.0.2.1", "255.255.255.254"),                    // /31: no neighbour
                up("192.0.2.1", "255.255.255.255"),                    // /32
                up("fe80::fc:ff:fe00:1", "ffff:ffff:ffff:ffff::"),     // IPv6 (the Unix agent sends it too)
                net("ppp0", "192.0.2.7", "255.255.255.0", "", "Up"),   // OCS skips ppp
                net("eth1", "192.0.2.7", "255.255.255.0", "", "Down"), // OCS wants STATUS up
                up("192.0.2.300", "255.255.255.0")));
        assertEquals(List.of("10.1.2.0/23"), derive("", up("10.1.3.3", "255.255.254.0")), "/16 to /30 are kept");
    }

    @Test
    void aMissingStatusIsAcceptedAndDuplicatesAreMerged() {
        assertEquals(List.of("192.0.2.0/24", "198.51.100.0/24"), derive("",
                net("eth0", "192.0.2.7", "255.255.255.0", "", ""),
                net("eth0:1", "192.0.2.8", "255.255.255.0", "", "Up"),
                net("eth1", "198.51.100.7", "255.255.255.0", "", "up")));
    }

    @Test
    void thePrimarySubnetIsTheDefaultGatewaysThenTheFirstWithAGatewayThenTheFirst() {
        Inventory.Network lab = net("eth0", "198.51.100.7", "255.255.255.0", "", "Up");
        Inventory.Network office = net("eth1", "192.0.2.7", "255.255.255.0", "192.0.2.1", "Up");
        Inventory.Network dmz = net("eth2", "203.0.113.7", "255.255.255.0", "203.0.113.1", "Up");
        assertEquals(List.of("203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"), derive("203.0.113.1", lab, office, dmz),
                "HARDWARE/DEFAULTGATEWAY decides");
        assertEquals(List.of("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"), derive("", lab, office, dmz),
                "else the first interface with a gateway in its subnet");
        assertEquals(List.of("198.51.100.0/24", "192.0.2.0/24"), derive("10.0.0.1",
                lab, net("eth1", "192.0.2.7", "255.255.255.0", "", "Up")), "else the first");
    }

    @Test
    void theRecordedDebianAgentInterfaceGivesItsSubnet() {
        // NETWORKS of the real Debian agent 2.10 (src/test/resources/agent-2.10/inventory.zlib): eth0 IPv4 + IPv6.
        Inventory.Network v4 = new Inventory.Network("eth0", "192.0.2.2", "255.255.255.0", "192.0.2.0", "192.0.2.1",
                "02:fc:00:00:00:01", "Up", "ethernet");
        Inventory.Network v6 = new Inventory.Network("eth0", "fe80::fc:ff:fe00:1", "ffff:ffff:ffff:ffff::", "fe80::",
                "fe80::", "02:fc:00:00:00:01", "Up", "ethernet");
        Inventory.Network ifb = new Inventory.Network("ifb0", "", "", "", "", "3a:d5:cd:44:73:63", "Down", "ether");
        assertEquals(List.of("192.0.2.0/24"), derive("192.0.2.1", ifb, v4, v6));
    }

    @Test
    void cidrsParseCanonicallyAndRefuseGarbageInTheOneMessageShape() {
        Subnet s = Subnet.parse("192.0.2.77/24");
        assertEquals("192.0.2.0/24", s.cidr());
        assertEquals("192.0.2.0", s.address(), "what the IPDISCOVER PARAM carries");
        assertEquals("255.255.255.0", s.mask());
        assertEquals(Subnet.parseIpv4("192.0.2.255"), s.broadcast());
        assertTrue(s.contains(Subnet.parseIpv4("192.0.2.200")));
        assertFalse(s.contains(Subnet.parseIpv4("192.0.3.1")));
        assertEquals(Subnet.parse("10.0.0.0/8"), Subnet.parse(" 10.1.2.3/8 "));
        for (String bad : new String[] {"192.0.2.0", "192.0.2.0/33", "192.0.2/24", "192.0.2.0/-1", "a.b.c.d/24",
                "192.0.2.0/24/1", "192.0.2.256/24", "١٩٢.0.2.0/24", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Subnet.parse(bad), bad);
            assertEquals("subnet: " + (bad.isEmpty() ? "\"\"" : bad) + " (expected: a.b.c.d/n with n 0-32)",
                    e.getMessage());
        }
    }

    @Test
    void masksAreDottedOrHexAndContiguous() {
        assertEquals(Optional.of(24), Subnet.parseMask("255.255.255.0"));
        assertEquals(Optional.of(20), Subnet.parseMask("0xFFFFF000"));
        assertEquals(Optional.of(0), Subnet.parseMask("0.0.0.0"));
        assertEquals(Optional.empty(), Subnet.parseMask("255.255.0.255"));
        assertEquals(Optional.empty(), Subnet.parseMask("0xffffff"));
        assertEquals(Optional.empty(), Subnet.parseMask(""));
    }
}
