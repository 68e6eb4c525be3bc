package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.admin.dashboard.DashboardFixture.ALPHA;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.admin.dashboard.DashboardHttp.Page;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Package names, DEVICEIDs, machine names, OS names, result codes and discovered host names come from admins and
 * agents: on every page they are text, never markup, and in links they are one percent-encoded segment.
 */
class DashboardEscapingTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("IPDISCOVER", "1");

    @Test
    void everyAttackerInfluencedValueIsEscaped() throws Exception {
        DashboardFixture data = DashboardFixture.build(server);
        DashboardHttp web = new DashboardHttp(server);
        String session = web.login();
        String evilDevice = "\"><script>alert(1)</script>-2024-03-05-09-12-44";
        DashboardFixture.inventory(server.client(), xml(evilDevice), xml("<b onmouseover=alert(2)>evil</b>"),
                xml("Linux <i>"), "1", "192.0.2.66", "02:00:00:00:00:66", DashboardFixture.UNIX, "");
        DashboardFixture.deploy(new AdminClient(server), data.motd, evilDevice);
        assertEquals(200, server.client().post("<REQUEST DEVICEID=\"" + xml(evilDevice) + "\" ERR=\""
                + xml("<img src=x onerror=alert(3)>") + "\" ID=\"" + data.motd + "\" QUERY=\"DOWNLOAD\" />\n").status());
        server.server().flushWrites();
        List<String> bodies = new ArrayList<>();
        for (String path : List.of("/dashboard", "/dashboard/packages/" + data.firefox,
                "/dashboard/packages/" + data.motd, "/dashboard/packages/" + data.motd + "/devices?bucket=other",
                "/dashboard/packages/" + data.motd + "/devices?code=" + Urls.segment("<img src=x onerror=alert(3)>"),
                "/dashboard/devices/" + Urls.segment(evilDevice), "/dashboard/devices/" + ALPHA,
                "/dashboard/network", "/dashboard/network/hosts?subnet=198.51.100.0%2F24")) {
            Page p = web.get(path, session);
            assertEquals(200, p.status(), path + ": " + p);
            bodies.add(p.body());
            for (String raw : List.of("<script", "<img", "<b ", "<i>", "onerror=alert(1)>")) {
                assertFalse(p.body().contains(raw), path + " contains " + raw + ":\n" + p.body());
            }
        }
        String all = String.join("\n", bodies);
        assertTrue(all.contains("Firefox ESR 128 &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"), all);
        assertTrue(all.contains("&lt;img src=x onerror=alert(3)&gt;"), "the code is shown, escaped");
        assertTrue(all.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;-2024-03-05-09-12-44"));
        assertTrue(all.contains("href=\"/dashboard/devices/%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E-2024"),
                "the DEVICEID is one percent-encoded segment");
        assertTrue(all.contains("&lt;img src=x onerror=alert(1)&gt;"), "a discovered host's name");
        assertTrue(all.contains("Browser update for the &lt;b&gt;fleet&lt;/b&gt;"));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
