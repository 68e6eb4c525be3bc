package org.teledeploy.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.OcsClient.downloadReport;
import static org.teledeploy.testing.OcsClient.inventory;
import static org.teledeploy.testing.OcsClient.prolog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.registry.DeviceRecord;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.OcsClient.Response;
import org.teledeploy.testing.TeledeployServerExtension;

/** The agent protocol through a real server on 127.0.0.1 (shared/ocs-protocol.md §1–§3, checklist §8). */
class AgentEndpointTest {

    private static final String DEVICE = "web01-2024-03-05-09-12-44";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().clock(clock)
            .with("FREQUENCY", "1").with("PROLOG_FREQ", "12");

    @Test
    void prologOfUnknownDeviceAsksForInventoryAndCarriesTheDownloadConf() throws Exception {
        Response r = server.client().post(prolog(DEVICE));
        assertEquals(200, r.status());
        assertEquals(0x78, r.body()[0] & 0xFF, "zlib with its header, never raw deflate");
        String xml = r.inflated();
        assertTrue(xml.contains("<RESPONSE>SEND</RESPONSE>"), xml);
        assertTrue(xml.contains("<PROLOG_FREQ>12</PROLOG_FREQ>"), xml);
        assertTrue(xml.contains("<INVENTORY_ON_STARTUP>1</INVENTORY_ON_STARTUP>"), xml);
        assertTrue(xml.contains("<NAME>DOWNLOAD</NAME>"), xml);
        assertTrue(xml.contains("<PARAM TYPE=\"CONF\" ON=\"1\" FRAG_LATENCY=\"10\" CYCLE_LATENCY=\"60\" "
                + "PERIOD_LATENCY=\"1\" PERIOD_LENGTH=\"10\" TIMEOUT=\"30\" EXECUTION_TIMEOUT=\"120\" />"), xml);
        assertEquals(0, server.server().registry().size(), "a PROLOG never creates a device");
    }

    @Test
    void inventoryRegistersTheDeviceAfterCommitThenPrologSaysStopUntilFrequencyDaysPassed() throws Exception {
        Response r = server.client().post(inventory(DEVICE, "web01", "Debian GNU/Linux 12", 3, "paris"));
        assertEquals(200, r.status());
        assertTrue(r.inflated().contains("<RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE>"), r.inflated());
        // Acknowledged means committed: readable from the database right after the reply.
        DeviceRecord device = server.server().registry().details(DEVICE).join().orElseThrow();
        assertEquals("web01", device.name());
        assertEquals("Debian GNU/Linux 12", device.inventory().osName());
        assertEquals("x86_64", device.inventory().arch());
        assertEquals("paris", device.inventory().tag());
        assertEquals("LAB", device.inventory().workgroup());
        assertEquals(3, device.softwareCount());
        assertEquals(3, device.software().size());
        assertEquals("02:00:00:00:00:07", device.inventory().networks().get(0).macAddress());
        assertEquals(List.of("1709630000"), device.inventory().downloadHistory());

        assertTrue(server.client().post(prolog(DEVICE)).inflated().contains("<RESPONSE>STOP</RESPONSE>"));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertTrue(server.client().post(prolog(DEVICE)).inflated().contains("<RESPONSE>SEND</RESPONSE>"));
    }

    @Test
    void secondInventoryUpdatesTheSameDevice() throws Exception {
        server.client().post(inventory(DEVICE, "web01", "Debian GNU/Linux 12", 3, null));
        clock.advance(Duration.ofHours(1));
        server.client().post(inventory(DEVICE, "web01-renamed", "Debian GNU/Linux 13", 5, null));
        assertEquals(1, server.server().registry().size());
        DeviceRecord device = server.server().registry().details(DEVICE).join().orElseThrow();
        assertEquals("web01-renamed", device.name());
        assertEquals("Debian GNU/Linux 13", device.inventory().osName());
        assertEquals(5, device.software().size());
        assertEquals(clock.millis(), device.summary().lastInventory());
        assertEquals(clock.millis() - Duration.ofHours(1).toMillis(), device.summary().firstContact());
    }

    @Test
    void oldDeviceIdMergesTheOldRecordIntoTheNewOne() throws Exception {
        String old = "pc42-2023-01-01-00-00-00";
        server.client().post(inventory(old, "pc42", "Microsoft Windows 11 Pro", 2, null));
        server.client().post(downloadReport(old, "1709630000", "SUCCESS"));
        String renamed = inventory(DEVICE, "pc42-new", "Microsoft Windows 11 Pro", 2, null)
                .replace("</CONTENT>", "<OLD_DEVICEID>" + old + "</OLD_DEVICEID></CONTENT>");
        assertEquals(200, server.client().post(renamed).status());
        assertEquals(1, server.server().registry().size());
        assertTrue(server.server().registry().find(old).isEmpty());
        assertTrue(server.server().registry().find(DEVICE).isPresent());
        assertEquals(List.of(DEVICE + " 1709630000 SUCCESS"), reports());
    }

    @Test
    void downloadReportsAreStoredBeforeTheEmptyOk() throws Exception {
        Response r = server.client().post(downloadReport(DEVICE, "1709630000", "ERR_BAD_DIGEST"));
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        assertEquals("0", r.header("content-length"));
        // Windows shape: ID/ERR attributes, DEVICEID/QUERY elements, empty CONTENT.
        String windows = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST ID=\"1709630001\" ERR=\"EXIT_CODE_1603\">"
                + "<DEVICEID>" + DEVICE + "</DEVICEID><CONTENT/><QUERY>DOWNLOAD</QUERY></REQUEST>";
        assertEquals(200, server.client().post(windows).status());
        // All-elements shape, ERR empty = absent = UNKNOWN_CODE.
        String elements = "<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID><QUERY>DOWNLOAD</QUERY><ID>1709630002</ID>"
                + "<ERR></ERR></REQUEST>";
        assertEquals(200, server.client().post(elements).status());
        assertEquals(List.of(DEVICE + " 1709630000 ERR_BAD_DIGEST", DEVICE + " 1709630001 EXIT_CODE_1603",
                DEVICE + " 1709630002 UNKNOWN_CODE"), reports());
    }

    @Test
    void downloadReportWithoutAUsablePackageIdIsRefusedAndNotStored() throws Exception {
        assertEquals(400, server.client().post("<REQUEST DEVICEID=\"" + DEVICE + "\" ERR=\"SUCCESS\" QUERY=\"DOWNLOAD\"/>").status());
        Response bad = server.client().post(downloadReport(DEVICE, "1' OR '1'='1", "SUCCESS"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("is not a package ID"), bad.text());
        assertEquals(List.of(), reports());
    }

    @Test
    void gzipAndPlainBodiesAreAnsweredInTheirOwnEncoding() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(prolog(DEVICE).getBytes(StandardCharsets.UTF_8));
        }
        Response gzip = server.client().post("/ocsinventory", gz.toByteArray(), "OCS-NG_unified_unix_agent_v2.10.0");
        assertEquals(200, gzip.status());
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip.body()))) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("<RESPONSE>SEND</RESPONSE>"));
        }
        Response plain = server.client().post("/ocsinventory/deeper/path",
                prolog(DEVICE).getBytes(StandardCharsets.UTF_8), "OCS-NG_WINDOWS_AGENT_v2.9.2.0");
        assertEquals(200, plain.status());
        assertTrue(plain.text().startsWith("<?xml"), plain.text());
        assertTrue(plain.text().contains("<RESPONSE>SEND</RESPONSE>"));
    }

    @Test
    void userAgentIsCheckedOnPrologOnly() throws Exception {
        OcsClient client = server.client();
        byte[] prolog = OcsClient.zlib(prolog(DEVICE).getBytes(StandardCharsets.UTF_8));
        Response refused = client.post("/ocsinventory", prolog, "curl/8.0");
        assertEquals(400, refused.status());
        assertTrue(refused.text().contains("User-Agent \"curl/8.0\" is not an OCS agent"), refused.text());
        assertEquals(200, client.post("/ocsinventory", prolog, "FusionInventory-Agent_v2.6").status());
        byte[] inventory = OcsClient.zlib(inventory(DEVICE, "x", "y", 0, null).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, client.post("/ocsinventory", inventory, "curl/8.0").status());
    }

    @Test
    void otherQueriesAsTheSpecSays() throws Exception {
        OcsClient client = server.client();
        Response update = client.post("<REQUEST><QUERY>UPDATE</QUERY></REQUEST>");
        assertEquals(200, update.status());
        assertTrue(update.inflated().contains("<RESPONSE>NO_UPDATE</RESPONSE>"));
        Response notify = client.post("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID><QUERY>NOTIFY</QUERY>"
                + "<TYPE>IP</TYPE></REQUEST>");
        assertEquals(200, notify.status());
        assertEquals(0, notify.body().length);
        assertEquals(200, client.post("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID><QUERY>SNMP</QUERY></REQUEST>").status());
        Response system = client.post("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID><QUERY>SYSTEM</QUERY></REQUEST>");
        assertEquals(400, system.status());
        assertTrue(system.text().contains("unknown QUERY \"SYSTEM\""), system.text());
        Response lower = client.post("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID><QUERY>prolog</QUERY></REQUEST>");
        assertEquals(400, lower.status(), "QUERY values are case-sensitive");
        Response noQuery = client.post("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID></REQUEST>");
        assertEquals(400, noQuery.status());
        assertTrue(noQuery.text().contains("QUERY missing"));
        Response badId = client.post(prolog("no-date-here"));
        assertEquals(400, badId.status());
        assertTrue(badId.text().contains("DEVICEID \"no-date-here\" is malformed"), badId.text());
        // DEVICEID taken from CONTENT when absent at the root (§1.8).
        Response fromContent = client.post("<REQUEST><CONTENT><DEVICEID>" + DEVICE + "</DEVICEID></CONTENT>"
                + "<QUERY>PROLOG</QUERY></REQUEST>");
        assertEquals(200, fromContent.status());
    }

    @Test
    void restartKeepsDevicesAndReusesTheGeneratedCa() throws Exception {
        server.client().post(inventory(DEVICE, "web01", "Debian GNU/Linux 12", 4, null));
        server.client().post(downloadReport(DEVICE, "1709630000", "SUCCESS"));
        byte[] ca = java.nio.file.Files.readAllBytes(server.server().caCertificate());
        server.restart();
        assertArrayEquals(ca, java.nio.file.Files.readAllBytes(server.server().caCertificate()));
        assertEquals(1, server.server().registry().size());
        assertEquals(4, server.server().registry().details(DEVICE).join().orElseThrow().softwareCount());
        assertEquals(List.of(DEVICE + " 1709630000 SUCCESS"), reports());
        assertTrue(server.client().post(prolog(DEVICE)).inflated().contains("<RESPONSE>STOP</RESPONSE>"),
                "the restarted server knows the device was inventoried");
    }

    private List<String> reports() {
        return server.server().reader().readNow(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT deviceid, package_id, result FROM download_reports ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
            return out;
        });
    }
}
