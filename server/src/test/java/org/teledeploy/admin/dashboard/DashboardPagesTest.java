package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.admin.dashboard.DashboardFixture.ALPHA;
import static org.teledeploy.admin.dashboard.DashboardFixture.CHARLIE;
import static org.teledeploy.admin.dashboard.DashboardFixture.DELTA;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.admin.dashboard.DashboardHttp.Page;
import org.teledeploy.deploy.PackageStatistics.Bucket;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The dashboard's pages over plain HTTP against a server with real deployment data ({@link DashboardFixture}):
 * the numbers are the statistics API's, every attacker-influenced value is escaped, unknown IDs are 404 pages.
 */
class DashboardPagesTest {

    @RegisterExtension
    static final TeledeployServerExtension server = TeledeployServerExtension.create().with("IPDISCOVER", "1");

    private static DashboardFixture data;
    private static DashboardHttp web;
    private static String session;

    @BeforeAll
    static void deploy() throws Exception {
        data = DashboardFixture.build(server);
        web = new DashboardHttp(server);
        session = web.login();
    }

    @Test
    void thePackageListShowsTheStatisticsApisNumbers() {
        Page list = page("/dashboard");
        AdminClient api = new AdminClient(server);
        for (String id : List.of(data.firefox, data.motd)) {
            JsonNode stats = api.get("/api/v1/packages/" + id + "/statistics").json();
            String row = row(list.body(), "data-package", id);
            assertEquals(stats.get("total").asInt(), cell(row, "total"), row);
            for (Bucket b : Bucket.values()) {
                String key = Palette.key(b);
                assertEquals(stats.get(key).asInt(), cell(row, key), id + " " + key + ": " + row);
            }
        }
        String firefox = row(list.body(), "data-package", data.firefox);
        assertEquals(List.of(6, 1, 1, 2, 2, 0), List.of(cell(firefox, "total"), cell(firefox, "waiting"),
                cell(firefox, "notified"), cell(firefox, "success"), cell(firefox, "error"), cell(firefox, "other")));
        assertTrue(firefox.contains("<title>Error: 2 of 6 (33%)</title>"), firefox);
        assertTrue(firefox.contains("<a href=\"/dashboard/packages/" + data.firefox + "/devices?bucket=error\">"),
                firefox);
        assertTrue(firefox.contains("<td class=\"nw type\">linux · execute</td>"), firefox);
        String motd = row(list.body(), "data-package", data.motd);
        assertEquals(List.of(3, 0, 1, 1, 1), List.of(cell(motd, "total"), cell(motd, "waiting"),
                cell(motd, "notified"), cell(motd, "success"), cell(motd, "error")));
        assertTrue(list.body().contains("2 packages, 2 activated · 9 assignments · 6 devices registered"),
                list.body());
    }

    @Test
    void aPackagePageShowsItsBucketsAndExactCodesLinkingToTheirDevices() {
        Page p = page("/dashboard/packages/" + data.firefox);
        String body = p.body();
        for (String[] b : new String[][] {{"waiting", "1", "17%"}, {"notified", "1", "17%"}, {"success", "2", "33%"},
                {"error", "2", "33%"}, {"other", "0", "0%"}}) {
            String row = row(body, "data-bucket", b[0]);
            assertTrue(row.contains(">" + b[1] + "<"), b[0] + ": " + row);
            assertTrue(row.contains("<td class=\"n share\">" + b[2] + "</td>"), b[0] + ": " + row);
        }
        for (String[] c : new String[][] {{"SUCCESS", "1"}, {"SUCCESS_3", "1"}, {"ERR_BAD_DIGEST", "1"},
                {"ERR_DOWNLOAD_INFO", "1"}, {"NOTIFIED", "1"}, {"", "1"}}) {
            String row = row(body, "data-code", c[0]);
            assertTrue(row.contains(">" + c[1] + "</a>"), c[0] + ": " + row);
        }
        assertTrue(body.contains("href=\"/dashboard/packages/" + data.firefox + "/devices?code=ERR_BAD_DIGEST\""));
        assertTrue(body.contains("class=\"donut-total\">6</text>"),
                body);
        assertTrue(body.contains("1 success reports a non-zero exit code"), body);
        assertTrue(body.contains("./install.sh"));
        assertTrue(body.contains("20.0 KiB in 2 fragments") || body.contains("in 2 fragments"), body);
    }

    @Test
    void theDevicesBehindASliceOrACode() {
        Page error = page("/dashboard/packages/" + data.firefox + "/devices?bucket=error");
        assertEquals(List.of(CHARLIE, DELTA), attributes(error.body(), "data-device"));
        assertTrue(error.body().contains("<h1>Error: 2 devices</h1>"), error.body());
        assertTrue(error.body().contains("href=\"/dashboard/devices/" + CHARLIE + "\""));
        Page digest = page("/dashboard/packages/" + data.firefox + "/devices?code=ERR_BAD_DIGEST");
        assertEquals(List.of(CHARLIE), attributes(digest.body(), "data-device"));
        Page waiting = page("/dashboard/packages/" + data.firefox + "/devices?bucket=WAITING");
        assertEquals(List.of(DashboardFixture.FOXTROT), attributes(waiting.body(), "data-device"));
        assertEquals(List.of(), attributes(page("/dashboard/packages/" + data.firefox + "/devices?bucket=other")
                .body(), "data-device"));
    }

    @Test
    void aDevicePageShowsItsTimelinePerPackageOldestFirst() {
        String body = page("/dashboard/devices/" + ALPHA).body();
        assertTrue(body.contains("<dt>IP address</dt><dd class=\"mono\">192.0.2.10</dd>"), body);
        assertTrue(body.contains(DashboardFixture.UNIX));
        String firefox = section(body, data.firefox);
        List<String> events = new ArrayList<>();
        Matcher m = Pattern.compile("<span class=\"ev\">([^<]+)</span>").matcher(firefox);
        while (m.find()) {
            events.add(m.group(1));
        }
        assertEquals(List.of("Assigned", "Notified", "Info file fetched", "Fragment 1/2", "Fragment 2/2",
                "TLS handshake failed", "Result"), events, firefox);
        assertTrue(firefox.contains("<span class=\"mono\">SUCCESS</span>"), firefox);
        assertTrue(firefox.contains("not an SSL/TLS record"), "the reason, readable: " + firefox);
        String motd = section(body, data.motd);
        assertTrue(motd.contains("EXIT_CODE_1"), motd);
        assertTrue(body.indexOf(firefox) < body.indexOf(motd) || body.indexOf(motd) < body.indexOf(firefox));
    }

    @Test
    void theNetworkPageCountsManagedAndUnmanagedHostsPerSubnet() {
        String body = page("/dashboard/network").body();
        String lan = row(body, "data-subnet", "192.0.2.0/24");
        assertTrue(lan.contains("<td class=\"n managed\">2</td><td class=\"n unmanaged\">2</td>"), lan);
        assertTrue(lan.contains("href=\"/dashboard/network/hosts?subnet=192.0.2.0%2F24\""), lan);
        String office = row(body, "data-subnet", "198.51.100.0/24");
        assertTrue(office.contains("<td class=\"n managed\">1</td><td class=\"n unmanaged\">1</td>"), office);
        String hosts = page("/dashboard/network/hosts?subnet=192.0.2.0%2F24").body();
        assertTrue(hosts.contains("printer-2nd-floor") && hosts.contains("192.0.2.51"), hosts);
        assertFalse(hosts.contains(">bravo<"), "managed hosts are not listed");
        assertEquals(400, web.get("/dashboard/network/hosts?subnet=banana", session).status());
        assertEquals(400, web.get("/dashboard/network/hosts", session).status());
    }

    @Test
    void unknownIdsAndPagesAre404PagesAndBadParameters400() throws Exception {
        Page pkg = web.get("/dashboard/packages/999", session);
        assertEquals(404, pkg.status());
        assertTrue(pkg.body().contains("There is no package 999."), pkg.body());
        assertTrue(pkg.body().contains("Log out"), "signed in: the page keeps the navigation");
        assertEquals(404, web.get("/dashboard/packages/999/devices?bucket=error", session).status());
        assertEquals(404, web.get("/dashboard/devices/nobody-2024-01-01-00-00-00", session).status());
        assertEquals(404, web.get("/dashboard/devices", session).status());
        assertEquals(404, web.get("/dashboard/nothing", session).status());
        assertEquals(404, web.get("/dashboard/", session).status());
        assertEquals(400, web.get("/dashboard/packages/" + data.firefox + "/devices?bucket=broken", session).status());
        assertEquals(400, web.get("/dashboard/packages/" + data.firefox + "/devices", session).status());
        assertEquals(400, web.get("/dashboard/packages/" + data.firefox + "/devices?bucket=error&code=SUCCESS",
                session).status());
        assertEquals(400, web.get("/dashboard?sort=name", session).status(), "unknown parameters are refused");
        OcsClient.Response malformed = new OcsClient("127.0.0.1", server.server().adminPort()).exchange(
                ("GET /dashboard/devices/a%zz HTTP/1.1\r\nHost: x\r\nCookie: " + SessionCookie.NAME + "=" + session
                        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(400, malformed.status(), malformed.text());
        Page post = web.post("/dashboard", "", session);
        assertEquals(405, post.status());
        assertEquals("GET", post.header("Allow"));
        assertEquals("text/html; charset=utf-8", pkg.header("Content-Type"));
    }

    private static Page page(String path) {
        Page p = web.get(path, session);
        assertEquals(200, p.status(), path + ": " + p);
        return p;
    }

    /** The {@code <tr ATTR="value">...</tr>} of a table. */
    private static String row(String body, String attribute, String value) {
        String start = "<tr " + attribute + "=\"" + value + "\"";
        int at = body.indexOf(start);
        assertTrue(at >= 0, "no row " + start + " in\n" + body);
        return body.substring(at, body.indexOf("</tr>", at) + 5);
    }

    /** The number in a row's {@code <td class="n KEY">} (linked or not). */
    private static int cell(String row, String key) {
        Matcher m = Pattern.compile("<td class=\"n " + key + "( zero)?\">(?:<a [^>]*>)?(\\d+)").matcher(row);
        assertTrue(m.find(), key + " in " + row);
        return Integer.parseInt(m.group(2));
    }

    private static List<String> attributes(String body, String attribute) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<tr " + attribute + "=\"([^\"]*)\"").matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** A package's section of a device page. */
    private static String section(String body, String packageId) {
        String start = "<section class=\"card pkg\" data-package=\"" + packageId + "\"";
        int at = body.indexOf(start);
        assertTrue(at >= 0, "no section for " + packageId + " in\n" + body);
        return body.substring(at, body.indexOf("</section>", at));
    }
}
