package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Network discovery through the admin API: subnets with managed and unmanaged counts, the unmanaged hosts (machines
 * no deployment reaches), and the admin forcing, forbidding and clearing an agent's election.
 */
class IpDiscoverApiTest {

    private static final String ALPHA = IpDiscoverServerTest.ALPHA;
    private static final String BRAVO = IpDiscoverServerTest.BRAVO;

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("IPDISCOVER", "1");

    @Test
    void subnetsHostsAndTheElectionAreAdministeredOverTheApi() throws Exception {
        AdminClient api = new AdminClient(server);
        post(IpDiscoverServerTest.inventoryXml(ALPHA, "192.0.2.10", IpDiscoverServerTest.ALPHA_MAC, ""));
        post(IpDiscoverServerTest.inventoryXml(BRAVO, "192.0.2.11", IpDiscoverServerTest.BRAVO_MAC, ""));

        AdminClient.Reply elected = api.post("/api/v1/network/devices/" + ALPHA + "/elect", "{}");
        assertEquals(200, elected.status(), elected.body());
        assertEquals("forced", elected.json().get("policy").asText());
        assertEquals(IpDiscoverServerTest.SUBNET, elected.json().get("electedSubnet").asText());

        post(IpDiscoverServerTest.inventoryXml(ALPHA, "192.0.2.10", IpDiscoverServerTest.ALPHA_MAC,
                IpDiscoverServerTest.host("192.0.2.11", IpDiscoverServerTest.BRAVO_MAC, "bravo")
                        + IpDiscoverServerTest.host("192.0.2.50", "02:00:00:00:00:50", "printer")));
        JsonNode subnets = api.get("/api/v1/network/subnets").json();
        assertEquals(1, subnets.size(), subnets.toString());
        JsonNode subnet = subnets.get(0);
        assertEquals(IpDiscoverServerTest.SUBNET, subnet.get("subnet").asText());
        assertEquals(2, subnet.get("devices").asInt());
        assertEquals(2, subnet.get("hosts").asInt());
        assertEquals(1, subnet.get("managed").asInt());
        assertEquals(1, subnet.get("unmanaged").asInt());
        assertEquals(ALPHA, subnet.get("elected").get(0).get("deviceId").asText());

        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("teledeploy_network_unmanaged_hosts{subnet=\"192.0.2.0/24\"} 1.0"), metrics);
        assertTrue(metrics.contains("teledeploy_network_hosts{subnet=\"192.0.2.0/24\"} 2.0"), metrics);

        JsonNode unmanaged = api.get("/api/v1/network/hosts?unmanaged=true").json();
        assertEquals(1, unmanaged.size(), unmanaged.toString());
        assertEquals("192.0.2.50", unmanaged.get(0).get("ip").asText());
        assertEquals("printer", unmanaged.get(0).get("name").asText());
        assertTrue(unmanaged.get(0).get("device").isNull());
        JsonNode all = api.get("/api/v1/network/hosts?subnet=192.0.2.0/24").json();
        assertEquals(2, all.size());

        assertEquals("forbidden", api.post("/api/v1/network/devices/" + ALPHA + "/forbid", "").json()
                .get("policy").asText());
        assertTrue(api.get("/api/v1/network/devices/" + ALPHA).json().get("electedSubnet").isNull());
        assertEquals("auto", api.post("/api/v1/network/devices/" + ALPHA + "/clear", "").json()
                .get("policy").asText());

        assertEquals(404, api.get("/api/v1/network/devices/nobody-2026-01-01-00-00-00").status());
        AdminClient.Reply wrongSubnet = api.post("/api/v1/network/devices/" + ALPHA + "/elect",
                "{\"subnet\": \"10.9.9.0/24\"}");
        assertEquals(422, wrongSubnet.status(), wrongSubnet.body());
        assertEquals(400, api.get("/api/v1/network/hosts?unmanaged=maybe").status());
        assertEquals(400, api.post("/api/v1/network/devices/" + ALPHA + "/elect", "{\"subnett\": \"x\"}").status());
    }

    private void post(String xml) throws Exception {
        assertEquals(200, server.client().post(xml).status());
    }
}
