package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.admin.dashboard.DashboardFixture.ALPHA;
import static org.teledeploy.admin.dashboard.DashboardFixture.CHARLIE;
import static org.teledeploy.admin.dashboard.DashboardFixture.DELTA;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.Chromium;
import org.teledeploy.testing.Chromium.Element;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The dashboard in a real browser (headless Debian Chromium through chromedriver) against a real server with
 * real deployment data ({@link DashboardFixture}): sign in through the form, read the package list, a package's
 * diagram and codes, the devices behind the error slice, a device's timeline, the network page, and log out.
 * Every page is also saved as a 1280×800 screenshot under {@code target/dashboard-screenshots/}, to be looked
 * at.
 */
class DashboardBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    @RegisterExtension
    static final TeledeployServerExtension server = TeledeployServerExtension.create().with("IPDISCOVER", "1");

    private static DashboardFixture data;
    private static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumeInstalled();
        data = DashboardFixture.build(server);
        browser = Chromium.start(1280, 800);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.server().adminPort() + path;
    }

    @Test
    void anAdminSignsInReadsTheDiagramsAndLogsOut() throws Exception {
        // Not signed in: any page leads to the form.
        browser.navigate(url("/dashboard"));
        browser.awaitUrl(url("/login"));
        assertEquals("Sign in · teledeploy", browser.title());
        shot("01-login");

        browser.type(browser.find("input[name=token]"), "not-the-token");
        browser.click("button[type=submit]");
        browser.awaitUrl(url("/login"));
        assertEquals("Sign-in failed: that is not the admin token.", browser.text(browser.await(".alert")));
        shot("02-login-failed");
        assertTrue(browser.cookies().stream().noneMatch(c -> c.name().equals(SessionCookie.NAME)));

        browser.type(browser.find("input[name=token]"), new AdminClient(server).token());
        browser.click("button[type=submit]");
        browser.awaitUrl(url("/dashboard"));
        Chromium.Cookie cookie = browser.cookies().stream().filter(c -> c.name().equals(SessionCookie.NAME))
                .findFirst().orElseThrow();
        assertTrue(cookie.httpOnly(), "HttpOnly");
        assertEquals("Strict", cookie.sameSite());
        assertEquals("/", cookie.path());
        assertFalse(cookie.secure());

        // The package list: both packages, their counts as text and in their bars.
        assertEquals("Packages", browser.text("h1"));
        assertNoDialog();
        Element firefox = browser.find("tr[data-package=\"" + data.firefox + "\"]");
        assertEquals(DashboardFixture.FIREFOX, browser.text(browser.find(firefox, "td.pkg-cell .name")),
                "the markup of the name is shown as text");
        assertEquals(List.of("6", "1", "1", "2", "2", "0"), cells(firefox));
        assertEquals(List.of("Waiting: 1 of 6 (17%)", "Notified: 1 of 6 (17%)", "Success: 2 of 6 (33%)",
                "Error: 2 of 6 (33%)"), barTitles(firefox));
        Element motd = browser.find("tr[data-package=\"" + data.motd + "\"]");
        assertEquals(DashboardFixture.MOTD, browser.text(browser.find(motd, "td.pkg-cell .name")));
        assertEquals(List.of("3", "0", "1", "1", "1", "0"), cells(motd));
        assertEquals(List.of("Notified: 1 of 3 (33%)", "Success: 1 of 3 (33%)", "Error: 1 of 3 (33%)"),
                barTitles(motd));
        shot("03-packages");

        // A package: buckets with shares, the exact codes.
        browser.click(browser.find(firefox, "td.pkg-cell .name a"));
        browser.awaitUrl(url("/dashboard/packages/" + data.firefox));
        assertEquals(DashboardFixture.FIREFOX + " " + data.firefox, browser.text("h1"));
        assertEquals("6", browser.text("svg.donut text.donut-total"));
        for (String[] b : new String[][] {{"waiting", "1", "17%"}, {"notified", "1", "17%"}, {"success", "2", "33%"},
                {"error", "2", "33%"}, {"other", "0", "0%"}}) {
            Element row = browser.find("tr[data-bucket=" + b[0] + "]");
            assertEquals(b[1], browser.text(browser.find(row, "td.count")), b[0]);
            assertEquals(b[2], browser.text(browser.find(row, "td.share")), b[0]);
        }
        for (String[] c : new String[][] {{"SUCCESS", "1"}, {"SUCCESS_3", "1"}, {"ERR_BAD_DIGEST", "1"},
                {"ERR_DOWNLOAD_INFO", "1"}, {"NOTIFIED", "1"}, {"", "1"}}) {
            Element row = browser.find("table.codes tr[data-code=\"" + c[0] + "\"]");
            assertEquals(c[1], browser.text(browser.find(row, "td.count")), c[0]);
        }
        assertEquals(List.of("waiting", "NOTIFIED", "SUCCESS", "SUCCESS_3", "ERR_BAD_DIGEST", "ERR_DOWNLOAD_INFO"),
                browser.texts("table.codes td:first-child"), "by bucket, then count, then code");
        List<String> slices = browser.findAll("svg.donut a").stream().map(a -> browser.attribute(a, "href")).toList();
        assertTrue(slices.contains("/dashboard/packages/" + data.firefox + "/devices?bucket=error"), slices.toString());
        shot("04-package");

        // The devices behind the error slice.
        browser.click("tr[data-bucket=error] td.count a");
        browser.awaitUrl(url("/dashboard/packages/" + data.firefox + "/devices?bucket=error"));
        assertEquals("Error: 2 devices", browser.text("h1"));
        assertEquals(List.of(CHARLIE, DELTA), rowsOf("table.devices tr[data-device]", "data-device"));
        assertEquals(List.of("ERR_BAD_DIGEST", "ERR_DOWNLOAD_INFO"), browser.texts("table.devices td:nth-child(3)"));
        shot("05-error-devices");
        browser.navigate(url("/dashboard/packages/" + data.firefox + "/devices?code=ERR_DOWNLOAD_INFO"));
        assertEquals(List.of(DELTA), rowsOf("table.devices tr[data-device]", "data-device"));

        // A device and its timeline.
        browser.navigate(url("/dashboard/packages/" + data.firefox + "/devices?bucket=error"));
        browser.click("tr[data-device=\"" + CHARLIE + "\"] td:first-child a");
        browser.awaitUrl(url("/dashboard/devices/" + CHARLIE));
        assertEquals("charlie " + CHARLIE, browser.text("h1"));
        Element charlieFirefox = browser.find("section[data-package=\"" + data.firefox + "\"]");
        assertTrue(browser.text(charlieFirefox).contains("Result ERR_BAD_DIGEST"), browser.text(charlieFirefox));
        shot("06-device-charlie");

        browser.navigate(url("/dashboard/devices/" + ALPHA));
        assertTrue(browser.text("dl.device").contains("192.0.2.10"), browser.text("dl.device"));
        Element alphaFirefox = browser.find("section[data-package=\"" + data.firefox + "\"]");
        assertEquals(List.of("Assigned", "Notified", "Info file fetched", "Fragment 1/2", "Fragment 2/2",
                "TLS handshake failed", "Result"), browser.findAll(alphaFirefox, ".ev").stream().map(browser::text)
                .toList());
        assertTrue(browser.text(alphaFirefox).contains("now SUCCESS"), browser.text(alphaFirefox));
        Element alphaMotd = browser.find("section[data-package=\"" + data.motd + "\"]");
        assertTrue(browser.text(alphaMotd).contains("Result EXIT_CODE_1"), browser.text(alphaMotd));
        shot("07-device-alpha");

        // The network.
        browser.click(".top nav a[href=\"/dashboard/network\"]");
        assertEquals("Network", browser.text("h1"));
        Element lan = browser.find("tr[data-subnet=\"192.0.2.0/24\"]");
        assertEquals("2", browser.text(browser.find(lan, "td.managed")));
        assertEquals("2", browser.text(browser.find(lan, "td.unmanaged")));
        shot("08-network");
        browser.click(browser.find(lan, "td:last-child a"));
        assertEquals(List.of("192.0.2.50", "192.0.2.51"), browser.texts("table.hosts td:first-child"));
        shot("09-unmanaged-hosts");
        assertNoDialog();

        // Log out: the pages lead to the form again.
        browser.click(".top button[type=submit]");
        browser.awaitUrl(url("/login"));
        browser.navigate(url("/dashboard/packages/" + data.firefox));
        browser.awaitUrl(url("/login?next=%2Fdashboard%2Fpackages%2F" + data.firefox));
        assertTrue(browser.cookies().stream().noneMatch(c -> c.name().equals(SessionCookie.NAME)));
        shot("10-logged-out");
    }

    /** Assigned, then the five bucket counts, as shown. */
    private static List<String> cells(Element row) {
        return browser.findAll(row, "td.n").stream().map(browser::text).toList();
    }

    /** The tooltips of a row's status bar, part by part. */
    private static List<String> barTitles(Element row) {
        return browser.findAll(row, "svg.bar title").stream().map(t -> browser.property(t, "textContent")).toList();
    }

    private static List<String> rowsOf(String css, String attribute) {
        return browser.findAll(css).stream().map(e -> browser.attribute(e, attribute)).toList();
    }

    private static void assertNoDialog() {
        Optional<String> dialog = browser.alertText();
        assertTrue(dialog.isEmpty(), "a script ran: " + dialog);
    }

    private static void shot(String name) throws Exception {
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }
}
