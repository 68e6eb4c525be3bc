package org.teledeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.TeledeployServerExtension;

/** {@code teledeploy network ...}: the hosts without an agent, and the election, from the shell. */
class CliNetworkTest {

    private static final String ALPHA = "alpha-2026-03-02-08-00-00";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("IPDISCOVER", "1");

    @Test
    void anAdminFindsTheMachinesWithoutAnAgent() throws Exception {
        inventory("");
        CliLifecycleTest.Result elect = cli("network", "elect", ALPHA);
        assertEquals(0, elect.exit(), elect.err());
        assertEquals(ALPHA + ": forced, scans 192.0.2.0/24", elect.out().strip());
        inventory("<H><I>192.0.2.50</I><M>02:00:00:00:00:50</M><N>printer</N></H>"
                + "<H><I>192.0.2.10</I><M>02:00:00:00:00:0a</M><N>alpha</N></H>");

        CliLifecycleTest.Result hosts = cli("network", "hosts", "--unmanaged", "--json");
        assertEquals(0, hosts.exit(), hosts.err());
        assertEquals(1, hosts.json().size(), hosts.out());
        assertEquals("192.0.2.50", hosts.json().get(0).get("ip").asText());
        CliLifecycleTest.Result subnets = cli("network", "subnets");
        assertTrue(subnets.out().lines().anyMatch(l -> l.startsWith("192.0.2.0/24") && l.contains(ALPHA + " (forced)")),
                subnets.out());
        assertEquals(0, cli("network", "elect", ALPHA, "--forbid").exit());
        assertEquals(3, cli("network", "elect", "nobody-2026-01-01-00-00-00").exit());
        assertEquals(2, cli("network", "elect", ALPHA, "--forbid", "--clear").exit());
    }

    private void inventory(String hosts) throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n  <CONTENT>\n"
                + "    <HARDWARE><DEFAULTGATEWAY>192.0.2.1</DEFAULTGATEWAY><IPADDR>192.0.2.10</IPADDR><NAME>alpha</NAME>"
                + "<OSNAME>Debian GNU/Linux 12</OSNAME></HARDWARE>\n"
                + (hosts.isEmpty() ? "" : "    <IPDISCOVER>" + hosts + "</IPDISCOVER>\n")
                + "    <NETWORKS><DESCRIPTION>eth0</DESCRIPTION><IPADDRESS>192.0.2.10</IPADDRESS>"
                + "<IPGATEWAY>192.0.2.1</IPGATEWAY><IPMASK>255.255.255.0</IPMASK><IPSUBNET>192.0.2.0</IPSUBNET>"
                + "<MACADDR>02:00:00:00:00:0a</MACADDR><STATUS>Up</STATUS><TYPE>ethernet</TYPE></NETWORKS>\n"
                + "  </CONTENT>\n  <DEVICEID>" + ALPHA + "</DEVICEID>\n  <QUERY>INVENTORY</QUERY>\n</REQUEST>\n";
        assertEquals(200, server.client().post(xml).status());
    }

    private CliLifecycleTest.Result cli(String... args) {
        return TeledeployCliTestSupport.cli(server, args);
    }
}
