package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.AdminClient.j;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.AdminClient.Reply;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Deploying through the admin API to devices registered by real inventories: by DEVICEID and name, by search and
 * by group, dry runs, undeploy and reset, then the statistics, the devices behind them and the device timeline
 * once agents have been notified and reported.
 */
class AdminDeployApiTest {

    private static final String UNIX = "OCS-NG_unified_unix_agent_v2.10.0";
    private static final String WINDOWS = "OCS-NG_WINDOWS_AGENT_v2.11.0.1";
    private static final String A = "alpha-2026-01-01-10-00-00";
    private static final String B = "bravo-2026-01-01-10-00-00";
    private static final String C = "charlie-2026-01-01-10-00-00";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    private final AdminClient admin = new AdminClient(server);

    @Test
    void deployToDevicesThenReadStatisticsDevicesAndTheTimeline() throws Exception {
        register(A, "alpha", "Debian GNU/Linux", UNIX);
        register(B, "bravo", "Debian GNU/Linux", UNIX);
        register(C, "charlie", "Debian GNU/Linux", UNIX);
        String id = activatedPackage();
        String deploy = "/api/v1/packages/" + id + "/deploy";

        assertEquals(j("{'created':2,'alreadyAssigned':0,'dryRun':true}"),
                admin.post(deploy, j("{'devices': ['" + A + "', 'bravo'], 'dryRun': true}")).body());
        assertEquals(0, statistics(id).get("total").asInt(), "a dry run assigns nothing");
        assertEquals(j("{'created':2,'alreadyAssigned':0,'dryRun':false}"),
                admin.post(deploy, j("{'devices': ['" + A + "', 'bravo']}")).body(), "by DEVICEID and by name");
        assertEquals(j("{'created':1,'alreadyAssigned':1,'dryRun':false}"),
                admin.post(deploy, j("{'devices': ['" + A + "', '" + C + "']}")).body());
        Reply unknown = admin.post(deploy, j("{'devices': ['ghost', '" + A + "', 'nobody']}"));
        assertEquals(404, unknown.status());
        assertEquals("not_found: devices: unknown ghost, nobody (expected: DEVICEIDs or names of registered devices)",
                unknown.error());

        assertTrue(prolog(A).contains("ID=\"" + id + "\""), "offered at the next PROLOG");
        server.client().post(OcsClient.downloadReport(A, id, "SUCCESS"));
        server.client().post(OcsClient.downloadReport(B, id, "ERR_BAD_DIGEST"));
        server.server().flushWrites();

        JsonNode stats = statistics(id);
        assertEquals(j("{'packageId':'" + id + "','total':3,'waiting':1,'notified':0,'success':1,'error':1,'other':0,"
                + "'byState':{'':1,'ERR_BAD_DIGEST':1,'SUCCESS':1}}"), stats.toString());
        JsonNode success = admin.get("/api/v1/packages/" + id + "/devices?bucket=success").json();
        assertEquals(1, success.size());
        assertEquals(A, success.get(0).get("deviceId").asText());
        assertEquals("alpha", success.get(0).get("name").asText());
        assertEquals("SUCCESS", success.get(0).get("state").asText());
        assertTrue(success.get(0).get("stateAt").asText().endsWith("Z"));
        assertEquals(C, admin.get("/api/v1/packages/" + id + "/devices?bucket=WAITING").json().get(0)
                .get("deviceId").asText());
        assertEquals("bad_request: bucket: done (expected: waiting, notified, success, error or other)",
                admin.get("/api/v1/packages/" + id + "/devices?bucket=done").error());
        assertEquals("bad_request: bucket: missing (expected: waiting, notified, success, error or other)",
                admin.get("/api/v1/packages/" + id + "/devices").error());

        JsonNode device = admin.get("/api/v1/devices/" + A).json();
        List<String> timeline = new ArrayList<>();
        device.get("timeline").forEach(e -> timeline.add(e.get("packageId").asText() + " " + e.get("event").asText()
                + ":" + e.get("detail").asText()));
        assertEquals(List.of(id + " assigned:device", id + " notified:", id + " result:SUCCESS"), timeline);
        assertTrue(device.get("timeline").get(0).get("at").asText().endsWith("Z"));

        assertEquals(j("{'removed':1}"), admin.post("/api/v1/packages/" + id + "/undeploy",
                j("{'devices': ['" + A + "', '" + C + "'], 'onlyWaiting': true}")).body(), "only C was waiting");
        assertEquals(j("{'reset':1}"), admin.post("/api/v1/packages/" + id + "/reset",
                j("{'devices': ['" + B + "'], 'force': true}")).body());
        server.server().flushWrites();
        assertEquals(j("{'':1,'SUCCESS':1}"), statistics(id).get("byState").toString(), "B waits again, C is gone");
        String offer = prolog(B);
        assertTrue(offer.contains("ID=\"" + id + "\"") && offer.contains("FORCE=\"1\""), offer);
        assertEquals(j("{'removed':2}"), admin.post("/api/v1/packages/" + id + "/undeploy",
                j("{'devices': ['" + A + "', '" + B + "']}")).body());
    }

    @Test
    void deployToASearchAndToAGroup() throws Exception {
        register(A, "alpha", "Debian GNU/Linux", UNIX);
        register(B, "bravo", "Microsoft Windows 11", WINDOWS);
        String id = activatedPackage();
        String deploy = "/api/v1/packages/" + id + "/deploy";
        assertEquals(j("{'created':1,'alreadyAssigned':0,'dryRun':false}"),
                admin.post(deploy, j("{'where': 'os ~ windows'}")).body());
        assertEquals(j("{'created':0,'alreadyAssigned':1,'dryRun':true}"),
                admin.post(deploy, j("{'where': 'os ~ windows', 'dryRun': true}")).body());
        assertEquals("invalid: search: unknown field 'colour' (expected: one of deviceid, name, os, osversion,"
                + " oscomments, arch, tag, workgroup, domain, user, serial, manufacturer, model, useragent, ip, mac,"
                + " software)", admin.post(deploy, j("{'where': 'colour = red'}")).error());

        assertEquals(201, admin.post("/api/v1/groups", j("{'name': 'pilot'}")).status());
        assertEquals(j("{'changed':1}"), admin.post("/api/v1/groups/pilot/members", j("{'devices': ['alpha']}")).body());
        assertEquals(j("{'created':1,'alreadyAssigned':0,'dryRun':true}"),
                admin.post(deploy, j("{'group': 'pilot', 'dryRun': true}")).body());
        assertEquals(j("{'created':1,'alreadyAssigned':0,'dryRun':false}"),
                admin.post(deploy, j("{'group': 'pilot', 'postCmd': 'reboot'}")).body());
        register(C, "charlie", "Debian GNU/Linux", UNIX);
        assertEquals(j("{'changed':1}"), admin.post("/api/v1/groups/pilot/members", j("{'devices': ['" + C + "']}"))
                .body());
        assertEquals(3, statistics(id).get("total").asInt(), "a later member gets the group's package");
        assertTrue(prolog(C).contains("POSTCMD=\"REBOOT\""));
        assertEquals(j("{'removed':2}"), admin.post("/api/v1/packages/" + id + "/undeploy",
                j("{'group': 'pilot'}")).body());
        assertEquals("not_found: no group named nope", admin.post(deploy, j("{'group': 'nope'}")).error());
        assertEquals("not_found: no group named nope", admin.post(deploy, j("{'group': 'nope', 'dryRun': true}"))
                .error());
    }

    @Test
    void undeployEveryWaitingDeviceAndResetByResultCode() throws Exception {
        register(A, "alpha", "Debian GNU/Linux", UNIX);
        register(B, "bravo", "Debian GNU/Linux", UNIX);
        register(C, "charlie", "Debian GNU/Linux", UNIX);
        String id = activatedPackage();
        admin.post("/api/v1/packages/" + id + "/deploy", j("{'devices': ['alpha', 'bravo', 'charlie']}"));
        prolog(A);
        server.client().post(OcsClient.downloadReport(B, id, "ERR_EXECUTE"));
        assertEquals(j("{'':1,'ERR_EXECUTE':1,'NOTIFIED':1}"), statistics(id).get("byState").toString());

        assertEquals(j("{'reset':1}"), admin.post("/api/v1/packages/" + id + "/reset", j("{'status': 'ERR_*'}")).body());
        assertEquals(j("{'':2,'NOTIFIED':1}"), statistics(id).get("byState").toString());
        assertEquals(j("{'removed':2}"), admin.post("/api/v1/packages/" + id + "/undeploy",
                j("{'notNotified': true}")).body());
        assertEquals(j("{'NOTIFIED':1}"), statistics(id).get("byState").toString(), "the device at work keeps it");

        assertEquals("invalid: target: notNotified given with devices, where or group (expected: notNotified instead"
                + " of a target)", admin.post("/api/v1/packages/" + id + "/undeploy",
                j("{'notNotified': true, 'group': 'g'}")).error());
        assertEquals("invalid: status: ERR;1 (expected: a result code pattern such as ERR_* or EXIT_CODE_*)",
                admin.post("/api/v1/packages/" + id + "/reset", j("{'status': 'ERR;1'}")).error());
        assertEquals("invalid: target: none given (expected: exactly one of devices, where, group)",
                admin.post("/api/v1/packages/" + id + "/undeploy", j("{'notNotified': false}")).error());
    }

    @Test
    void badDeploymentsAreRefusedWhole() throws Exception {
        register(A, "twin", "Debian GNU/Linux", UNIX);
        register(B, "twin", "Debian GNU/Linux", UNIX);
        String id = activatedPackage();
        String deploy = "/api/v1/packages/" + id + "/deploy";
        assertEquals("invalid: target: none given (expected: exactly one of devices, where, group)",
                admin.post(deploy, "{}").error());
        assertEquals("invalid: target: 2 given (expected: exactly one of devices, where, group)",
                admin.post(deploy, j("{'devices': ['" + A + "'], 'group': 'g'}")).error());
        assertEquals("invalid: devices: [] (expected: DEVICEIDs or names, at least one)",
                admin.post(deploy, j("{'devices': []}")).error());
        assertEquals("invalid: at: tomorrow (expected: an ISO-8601 UTC time such as 2026-12-24T18:00:00Z)",
                admin.post(deploy, j("{'devices': ['" + A + "'], 'at': 'tomorrow'}")).error());
        assertEquals("invalid: postCmd: later (expected: none, reboot or shutdown)",
                admin.post(deploy, j("{'devices': ['" + A + "'], 'postCmd': 'later'}")).error());
        assertEquals("invalid: devices: twin is the name of 2 devices (expected: their DEVICEIDs: " + A + ", " + B + ")",
                admin.post(deploy, j("{'devices': ['twin']}")).error());
        assertEquals("bad_request: onlyWaiting: unknown field (expected: one of at, devices, dryRun, force, group,"
                + " postCmd, where)", admin.post(deploy, j("{'devices': ['" + A + "'], 'onlyWaiting': true}")).error());
        assertEquals("not_found: no package 42", admin.post("/api/v1/packages/42/deploy",
                j("{'devices': ['" + A + "']}")).error());
        assertEquals(0, statistics(id).get("total").asInt(), "nothing was assigned");
        assertEquals(j("{'created':1,'alreadyAssigned':0,'dryRun':false}"), admin.post(deploy,
                j("{'devices': ['" + A + "'], 'at': '2026-12-24T18:00:00Z', 'force': true}")).body());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A package built from an uploaded tar.gz, activated at the default locations; its ID. */
    private String activatedPackage() {
        String token = admin.uploadBytes("tool.tar.gz", AdminClient.tarGz(Map.of("tool.sh", "#!/bin/sh\nexit 0\n")));
        Reply created = admin.post("/api/v1/packages", j("{'name': 'tool', 'os': 'linux', 'action': 'execute',"
                + " 'command': 'sh tool.sh', 'upload': '" + token + "'}"));
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        Reply activated = admin.post("/api/v1/packages/" + id + "/activate", "{}");
        assertEquals(200, activated.status(), activated.toString());
        return id;
    }

    private JsonNode statistics(String id) {
        server.server().flushWrites();
        Reply r = admin.get("/api/v1/packages/" + id + "/statistics");
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private void register(String deviceId, String name, String os, String userAgent) throws Exception {
        String xml = OcsClient.inventory(deviceId, name, os, 2, "paris");
        assertEquals(200, server.client().post("/ocsinventory", OcsClient.zlib(xml.getBytes(StandardCharsets.UTF_8)),
                userAgent).status());
    }

    private String prolog(String deviceId) throws Exception {
        String agent = server.server().registry().find(deviceId).orElseThrow().userAgent();
        String reply = server.client().post("/ocsinventory", OcsClient.zlib(OcsClient.prolog(deviceId)
                .getBytes(StandardCharsets.UTF_8)), agent).inflated();
        server.server().flushWrites();
        return reply;
    }
}
