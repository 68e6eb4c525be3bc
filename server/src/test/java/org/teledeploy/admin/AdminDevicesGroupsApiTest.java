package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.AdminClient.j;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.deploy.Parameter;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.AdminClient.Reply;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The device, group and configuration calls of the admin API: searching and paging devices, one device's
 * details and settings, static and dynamic groups with their members, settings and per-package statistics.
 */
class AdminDevicesGroupsApiTest {

    private static final String WIN = "pc1-2026-01-01-10-00-00";
    private static final String DEB = "srv1-2026-01-01-10-00-00";
    private static final String UBU = "lab7-2026-01-01-10-00-00";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("PROLOG_FREQ", "12");

    private final AdminClient admin = new AdminClient(server);

    @TempDir
    Path work;

    @Test
    void listSearchAndPageDevices() throws Exception {
        register(WIN, "pc1", "Microsoft Windows 11 Pro", "paris");
        register(DEB, "srv1", "Debian GNU/Linux 12", "lyon");
        register(UBU, "lab7", "Ubuntu 24.04 LTS", "paris");
        JsonNode all = admin.get("/api/v1/devices").json();
        assertEquals(3, all.get("total").asInt());
        assertEquals(List.of(UBU, WIN, DEB), ids(all.get("devices")), "by DEVICEID");
        JsonNode first = all.get("devices").get(0);
        assertEquals(List.of("deviceId", "name", "os", "osVersion", "userAgent", "ip", "tag", "firstContact",
                "lastContact", "lastInventory"), fieldNames(first));
        assertEquals("lab7", first.get("name").asText());
        assertEquals("Ubuntu 24.04 LTS", first.get("os").asText());
        assertEquals("12", first.get("osVersion").asText());
        assertEquals("192.0.2.7", first.get("ip").asText());
        assertEquals("paris", first.get("tag").asText());
        assertTrue(first.get("userAgent").asText().startsWith("OCS-NG_"));
        assertTrue(first.get("lastInventory").asText().endsWith("Z"));

        JsonNode paris = admin.get("/api/v1/devices?where=tag%20%3D%20paris&limit=1&offset=1").json();
        assertEquals(2, paris.get("total").asInt(), "the total counts every match, not the page");
        assertEquals(List.of(WIN), ids(paris.get("devices")));
        assertEquals(List.of(DEB), ids(admin.get("/api/v1/devices?where=os+~+debian").json().get("devices")));
        assertEquals("bad_request: limit: 0 (expected: an integer, 1 to 1000)",
                admin.get("/api/v1/devices?limit=0").error());
        assertEquals("bad_request: offset: x (expected: an integer, 0 to 2147483647)",
                admin.get("/api/v1/devices?offset=x").error());
        assertEquals("bad_request: lmit: unknown query parameter (expected: limit, offset, where)",
                admin.get("/api/v1/devices?lmit=5").error());
        assertEquals("invalid: search: 'os' near 'os' (expected: field op value)",
                admin.get("/api/v1/devices?where=os").error());
    }

    @Test
    void oneDeviceWithItsGroupsHistoryAndSettings() throws Exception {
        register(DEB, "srv1", "Debian GNU/Linux 12", null);
        admin.post("/api/v1/groups", j("{'name': 'linux', 'where': 'os ~ linux'}"));
        admin.post("/api/v1/groups", j("{'name': 'empty'}"));
        JsonNode device = admin.get("/api/v1/devices/" + DEB).json();
        assertEquals(DEB, device.get("deviceId").asText());
        assertEquals(2, device.get("software").asInt());
        assertEquals("[\"1709630000\"]", device.get("history").toString());
        assertEquals("[\"linux\"]", device.get("groups").toString());
        assertEquals("{}", device.get("settings").toString());
        assertEquals("[]", device.get("timeline").toString());

        Reply set = admin.put("/api/v1/devices/" + DEB + "/settings/DOWNLOAD_FRAG_LATENCY", j("{'value': 2}"));
        assertEquals(200, set.status(), set.toString());
        assertEquals(j("{'settings':{'DOWNLOAD_FRAG_LATENCY':2}}"), set.body());
        assertEquals(j("{'settings':{'DOWNLOAD_FRAG_LATENCY':2,'PROLOG_FREQ':3}}"),
                admin.put("/api/v1/devices/" + DEB + "/settings/prolog_freq", j("{'value': 3}")).body());
        assertEquals(Map.of(Parameter.DOWNLOAD_FRAG_LATENCY, 2, Parameter.PROLOG_FREQ, 3),
                server.server().settings().ofDevice(server.server().registry().find(DEB).orElseThrow().id()));
        assertTrue(prolog(DEB).contains("<PROLOG_FREQ>3</PROLOG_FREQ>"), "the next PROLOG reply uses it");
        assertEquals(j("{'settings':{'PROLOG_FREQ':3}}"),
                admin.delete("/api/v1/devices/" + DEB + "/settings/DOWNLOAD_FRAG_LATENCY").body());
        assertEquals(j("{'PROLOG_FREQ':3}"), admin.get("/api/v1/devices/" + DEB).json().get("settings").toString());

        assertEquals("invalid: PROLOG_FREQ: 0 (expected: 1 to 8760)",
                admin.put("/api/v1/devices/" + DEB + "/settings/PROLOG_FREQ", j("{'value': 0}")).error());
        assertEquals("invalid: value: missing (expected: an integer)",
                admin.put("/api/v1/devices/" + DEB + "/settings/PROLOG_FREQ", "{}").error());
        assertTrue(admin.put("/api/v1/devices/" + DEB + "/settings/COLOUR", j("{'value': 1}")).error()
                .startsWith("invalid: parameter: COLOUR (expected: one of DOWNLOAD_SWITCH,"));
        Reply unknown = admin.get("/api/v1/devices/nobody-2026-01-01-00-00-00");
        assertEquals(404, unknown.status());
        assertEquals("not_found: no device nobody-2026-01-01-00-00-00 (expected: a DEVICEID, as GET /api/v1/devices"
                + " lists them)", unknown.error());
        assertEquals(404, admin.put("/api/v1/devices/nobody/settings/PROLOG_FREQ", j("{'value': 2}")).status());
        Reply post = admin.post("/api/v1/devices/" + DEB, "{}");
        assertEquals(405, post.status());
        assertEquals("GET", post.header("Allow"));
    }

    @Test
    void staticAndDynamicGroupsWithMembersSettingsAndStatistics() throws Exception {
        register(WIN, "pc1", "Microsoft Windows 11 Pro", null);
        register(DEB, "srv1", "Debian GNU/Linux 12", null);
        register(UBU, "lab7", "Ubuntu 24.04 LTS", null);
        Reply pilot = admin.post("/api/v1/groups", j("{'name': 'pilot'}"));
        assertEquals(201, pilot.status(), pilot.toString());
        assertEquals(j("{'name':'pilot','where':null,'members':0}"), pilot.body());
        Reply linux = admin.post("/api/v1/groups", j("{'name': 'linux', 'where': 'os ~ linux or os ~ ubuntu'}"));
        assertEquals(j("{'name':'linux','where':'os ~ linux or os ~ ubuntu','members':2}"), linux.body());
        Reply duplicate = admin.post("/api/v1/groups", j("{'name': 'pilot'}"));
        assertEquals(409, duplicate.status());
        assertEquals("conflict: group pilot already exists", duplicate.error());
        assertEquals("invalid: group name: \"\" (expected: 1-255 characters)",
                admin.post("/api/v1/groups", j("{'name': ''}")).error());
        assertTrue(admin.post("/api/v1/groups", j("{'name': 'x', 'where': 'os >'}")).error().startsWith("invalid: search:"));
        assertEquals(j("[{'name':'linux','where':'os ~ linux or os ~ ubuntu','members':2},"
                + "{'name':'pilot','where':null,'members':0}]"), admin.get("/api/v1/groups").body());

        assertEquals(j("{'changed':2}"), admin.post("/api/v1/groups/pilot/members",
                j("{'devices': ['pc1', '" + DEB + "']}")).body());
        assertEquals(List.of(WIN, DEB), ids(admin.get("/api/v1/groups/pilot/members").json()));
        assertEquals(j("{'changed':1}"), admin.post("/api/v1/groups/linux/members",
                j("{'devices': ['lab7'], 'exclude': true}")).body());
        assertEquals(List.of(DEB), ids(admin.get("/api/v1/groups/linux/members").json()), "excluded beats the search");
        assertEquals("not_found: devices: unknown ghost (expected: DEVICEIDs or names of registered devices)",
                admin.post("/api/v1/groups/pilot/members", j("{'devices': ['ghost']}")).error());

        assertTrue(prolog(WIN).contains("TYPE=\"CONF\" ON=\"1\""), prolog(WIN));
        assertEquals(j("{'settings':{'DOWNLOAD_SWITCH':0}}"),
                admin.put("/api/v1/groups/pilot/settings/DOWNLOAD_SWITCH", j("{'value': 0}")).body());
        assertTrue(prolog(WIN).contains("TYPE=\"CONF\" ON=\"0\""), "the group's switch reaches its members");

        String id = activatedDirectoryPackage();
        assertEquals(200, admin.post("/api/v1/packages/" + id + "/deploy", j("{'group': 'pilot'}")).status());
        server.server().flushWrites();
        JsonNode shown = admin.get("/api/v1/groups/pilot").json();
        assertEquals(List.of("name", "where", "members", "settings", "packages"), fieldNames(shown));
        assertEquals(2, shown.get("members").asInt());
        assertEquals(j("{'DOWNLOAD_SWITCH':0}"), shown.get("settings").toString());
        assertEquals(j("{'packageId':'" + id + "','total':2,'waiting':2,'notified':0,'success':0,'error':0,"
                + "'other':0,'byState':{'':2}}"), shown.get("packages").get(id).toString());
        assertEquals(j("{'settings':{}}"), admin.delete("/api/v1/groups/pilot/settings/DOWNLOAD_SWITCH").body());

        assertEquals(j("{'deleted':true}"), admin.delete("/api/v1/groups/pilot").body());
        for (Reply gone : List.of(admin.get("/api/v1/groups/pilot"), admin.delete("/api/v1/groups/pilot"),
                admin.get("/api/v1/groups/pilot/members"), admin.post("/api/v1/groups/pilot/members",
                        j("{'devices': ['pc1']}")), admin.put("/api/v1/groups/pilot/settings/PROLOG_FREQ",
                        j("{'value': 2}")))) {
            assertEquals(404, gone.status(), gone.toString());
            assertEquals("not_found: no group named pilot", gone.error());
        }
        assertEquals(Optional.empty(), server.server().groups().list().join().stream()
                .filter(g -> g.name().equals("pilot")).findFirst());
    }

    @Test
    void groupNamesWithSpacesArePercentEncodedInPaths() throws Exception {
        assertEquals(201, admin.post("/api/v1/groups", j("{'name': 'lab 7/b'}")).status());
        assertEquals("lab 7/b", admin.get("/api/v1/groups/lab%207%2Fb").json().get("name").asText());
        OcsClient.Response raw = new OcsClient("127.0.0.1", server.server().adminPort()).exchange(("GET"
                + " /api/v1/groups/lab%2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin.token() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, raw.status());
        assertEquals(j("{'error':'bad_request','detail':'path: bad percent-encoding in lab%2'}"), raw.text());
    }

    @Test
    void configShowsEveryEffectiveValue() {
        JsonNode config = admin.get("/api/v1/config").json();
        assertEquals("12", config.get("PROLOG_FREQ").asText());
        assertEquals("64m", config.get("limit.inflated.size").asText());
        assertEquals("16g", config.get("admin.upload.max.size").asText());
        assertEquals(server.stateDir().toString(), config.get("state.dir").asText());
        assertEquals(server.server().downloadLocations().infoLocation(), config.get("DOWNLOAD_URI_INFO").asText());
        assertEquals(org.teledeploy.config.ConfigKey.values().length, config.size());
        assertEquals(405, admin.put("/api/v1/config", "{}").status());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A Windows package built by the server from a directory of its own (a zip), activated; its ID. */
    private String activatedDirectoryPackage() throws Exception {
        Path dir = Files.createDirectories(work.resolve("setup"));
        Files.writeString(dir.resolve("setup.cmd"), "@echo off\r\nexit 0\r\n");
        Reply created = admin.post("/api/v1/packages", j("{'name': 'setup', 'os': 'windows', 'action': 'execute',"
                + " 'command': 'setup.cmd', 'dir': '" + dir + "'}"));
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        Reply activated = admin.post("/api/v1/packages/" + id + "/activate", "");
        assertEquals(200, activated.status(), activated.toString());
        return id;
    }

    private void register(String deviceId, String name, String os, String tag) throws Exception {
        assertEquals(200, server.client().post(OcsClient.inventory(deviceId, name, os, 2, tag)).status());
    }

    private String prolog(String deviceId) throws Exception {
        return server.client().post("/ocsinventory", OcsClient.zlib(OcsClient.prolog(deviceId)
                .getBytes(StandardCharsets.UTF_8)), "OCS-NG_WINDOWS_AGENT_v2.11.0.1").inflated();
    }

    private static List<String> ids(JsonNode devices) {
        List<String> out = new ArrayList<>();
        devices.forEach(d -> out.add(d.get("deviceId").asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
