package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.admin.dashboard.DashboardHttp.Page;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Signing in to the dashboard over plain HTTP: redirects without a session, the token in a form only (never in a
 * URL), the cookie's attributes, idle expiry on the server's clock, logout, brute-force damping, other origins.
 */
class DashboardLoginTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().clock(clock);

    private final DashboardHttp web = new DashboardHttp(server);
    private final Logger loginLog = Logger.getLogger(LoginPages.class.getName());
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        loginLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        loginLog.removeHandler(capture);
    }

    @Test
    void everyPageWithoutASessionRedirectsToTheLoginForm() {
        Page home = web.get("/dashboard", null);
        assertEquals(303, home.status(), home.toString());
        assertEquals("/login", home.header("Location"));
        Page pkg = web.get("/dashboard/packages/1764000001?", null);
        assertEquals(303, pkg.status());
        assertEquals("/login?next=%2Fdashboard%2Fpackages%2F1764000001", pkg.header("Location"));
        Page devices = web.get("/dashboard/packages/1/devices?bucket=error", null);
        assertEquals("/login?next=%2Fdashboard%2Fpackages%2F1%2Fdevices%3Fbucket%3Derror", devices.header("Location"));
        assertEquals(303, web.get("/dashboard/devices/x-2024-01-01-00-00-00", null).status());
        assertEquals(303, web.get("/dashboard/network", null).status());
        assertEquals(303, web.get("/dashboard/nothing/here", null).status(), "unknown pages too: nothing is told");
        assertEquals(303, web.get("/dashboard", "forged-or-expired").status());

        Page form = web.get("/login", null);
        assertEquals(200, form.status());
        assertEquals("text/html; charset=utf-8", form.header("Content-Type"));
        assertEquals("no-store", form.header("Cache-Control"));
        assertTrue(form.body().startsWith("<!DOCTYPE html>"), form.body());
        assertTrue(form.body().contains("<form method=\"post\" action=\"/login\">"), form.body());
        assertTrue(form.body().contains("name=\"token\" type=\"password\""), form.body());
        assertNull(form.header("Set-Cookie"));
        assertTrue(form.header("Content-Security-Policy").startsWith("default-src 'none'; style-src 'sha256-"),
                form.header("Content-Security-Policy"));
        assertFalse(form.body().contains("<script"), "no JavaScript at all");
        assertFalse(form.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing external");
    }

    @Test
    void theTokenIsRefusedInAnyUrl() {
        for (String path : List.of("/login?token=" + web.token(), "/dashboard?token=x", "/dashboard?access_token=x",
                "/dashboard/packages/1?token=x")) {
            Page p = web.get(path, null);
            assertEquals(400, p.status(), path + ": " + p);
            assertTrue(p.body().contains("only ever typed into the sign-in form"), p.body());
            assertFalse(p.body().contains(web.token()), "never shown back");
        }
        Page posted = web.post("/login?token=" + web.token(), "token=" + web.token(), null);
        assertEquals(400, posted.status());
        assertTrue(posted.session().isEmpty());
    }

    @Test
    void theRightTokenStartsASessionWithAStrictHttpOnlyCookie() {
        Page p = web.post("/login", "token=" + web.token(), null);
        assertEquals(303, p.status(), p.toString());
        assertEquals("/dashboard", p.header("Location"));
        String cookie = p.header("Set-Cookie");
        assertTrue(cookie.matches(SessionCookie.NAME + "=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict"),
                cookie);
        assertFalse(cookie.contains("Secure"), "the admin listener is plain HTTP: a Secure cookie never comes back");
        assertFalse(cookie.contains(web.token()));
        String session = p.session().orElseThrow();
        Page home = web.get("/dashboard", session);
        assertEquals(200, home.status(), home.toString());
        assertTrue(home.body().contains("<h1>Packages</h1>"), home.body());
        assertEquals("DENY", home.header("X-Frame-Options"));
        assertEquals("nosniff", home.header("X-Content-Type-Options"));
        assertTrue(logLines.stream().anyMatch(l -> l.startsWith("INFO Dashboard login from 127.0.0.1")), logLines
                .toString());

        assertNotEquals(session, web.login(), "a new id at each sign-in");
        assertEquals(303, web.get("/login", session).status(), "signed in: the form goes on to the dashboard");
        assertEquals("/dashboard", web.get("/login", session).header("Location"));
    }

    @Test
    void afterSigningInTheBrowserGoesBackWhereItWasSentAway() {
        String token = web.token();
        assertEquals("/dashboard/network", web.post("/login", "token=" + token + "&next=%2Fdashboard%2Fnetwork",
                null).header("Location"));
        assertEquals("/dashboard/packages/1/devices?bucket=error", web.post("/login", "token=" + token
                + "&next=%2Fdashboard%2Fpackages%2F1%2Fdevices%3Fbucket%3Derror", null).header("Location"));
        for (String evil : List.of("https://evil.example/", "//evil.example/dashboard", "/dashboardevil",
                "/dashboard//evil.example", "/api/v1/packages", "/dashboard/\\evil")) {
            Page p = web.post("/login", "token=" + token + "&next=" + DashboardHttpUrl.encode(evil), null);
            assertEquals("/dashboard", p.header("Location"), evil);
        }
        Page form = web.get("/login?next=%2Fdashboard%2Fnetwork", null);
        assertTrue(form.body().contains("<input type=\"hidden\" name=\"next\" value=\"/dashboard/network\">"),
                form.body());
        Page xss = web.get("/login?next=%2Fdashboard%2F%22%3E%3Cscript%3E", null);
        assertFalse(xss.body().contains("<script>"), xss.body());
    }

    @Test
    void aWrongTokenGetsTheFormAgainWithA401AndALogLine() {
        Page p = web.post("/login", "token=not-the-token", null);
        assertEquals(401, p.status());
        assertTrue(p.session().isEmpty());
        assertNull(p.header("Set-Cookie"));
        assertTrue(p.body().contains("Sign-in failed: that is not the admin token."), p.body());
        assertTrue(p.body().contains("name=\"token\""), "the form again");
        assertFalse(p.body().contains("not-the-token"), "what was typed is never shown back");
        assertEquals(401, web.post("/login", "", null).status(), "no token at all: the same answer");
        assertEquals(401, web.post("/login", "token=" + web.token().substring(1), null).status());
        assertTrue(logLines.stream().anyMatch(l -> l.equals("WARNING Dashboard login from 127.0.0.1 refused: wrong"
                + " admin token (1 of 10 allowed within 10 min)")), logLines.toString());
        Page notAForm = web.send(java.net.http.HttpRequest.newBuilder(web.uri("/login"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"token\": \"" + web.token() + "\"}")));
        assertEquals(400, notAForm.status());
    }

    @Test
    void repeatedWrongTokensLockTheClientOutForAWindowWithoutSleeping() {
        for (int i = 1; i <= Dashboard.MAX_LOGIN_FAILURES; i++) {
            assertEquals(401, web.post("/login", "token=guess" + i, null).status(), "attempt " + i);
        }
        // No timing assertion (machines here are noisy): the lockout answers 429 instead of delaying the reply.
        Page locked = web.post("/login", "token=" + web.token(), null);
        assertEquals(429, locked.status(), "locked out: even the right token is not checked");
        assertTrue(locked.session().isEmpty());
        assertEquals("600", locked.header("Retry-After"));
        assertTrue(locked.body().contains("Too many failed sign-ins from this address: try again in 10 minutes."),
                locked.body());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("refused unchecked")), logLines.toString());

        clock.advance(Duration.ofMinutes(9));
        assertEquals(429, web.post("/login", "token=" + web.token(), null).status());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(303, web.post("/login", "token=" + web.token(), null).status(), "the window is over");
        assertEquals(401, web.post("/login", "token=wrong", null).status(), "a success cleared the count");
    }

    @Test
    void aSessionEndsAfterTwelveHoursIdleOnTheServersClock() {
        String session = web.login();
        clock.advance(Duration.ofHours(11));
        assertEquals(200, web.get("/dashboard", session).status());
        clock.advance(Duration.ofHours(11));
        assertEquals(200, web.get("/dashboard/network", session).status(), "each request starts the idle time again");
        clock.advance(Dashboard.SESSION_IDLE.plusSeconds(1));
        Page expired = web.get("/dashboard", session);
        assertEquals(303, expired.status());
        assertEquals("/login", expired.header("Location"));
        Page form = web.get("/login", session);
        assertEquals(200, form.status());
        assertTrue(form.body().contains("Your session has ended: sign in again."), form.body());
        assertTrue(form.header("Set-Cookie").startsWith(SessionCookie.NAME + "=; Path=/; Max-Age=0"),
                form.header("Set-Cookie"));
    }

    @Test
    void logoutEndsTheSession() {
        String session = web.login();
        assertEquals(200, web.get("/dashboard", session).status());
        Page out = web.post("/logout", "", session);
        assertEquals(303, out.status());
        assertEquals("/login", out.header("Location"));
        assertEquals(SessionCookie.NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", out.header("Set-Cookie"));
        assertEquals(303, web.get("/dashboard", session).status(), "the old cookie is worth nothing");
        assertEquals(405, web.get("/logout", null).status(), "logout is a POST (a link or an image cannot log out)");
        assertEquals("POST", web.get("/logout", null).header("Allow"));
    }

    @Test
    void formsPostedFromAnotherOriginAreRefused() {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(web.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + web.token()));
        Page p = web.send(b);
        assertEquals(403, p.status(), p.toString());
        assertTrue(p.session().isEmpty());
        Page same = web.send(java.net.http.HttpRequest.newBuilder(web.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + server.server().adminPort())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + web.token())));
        assertEquals(303, same.status(), same.toString());
    }

    @Test
    void behindATlsReverseProxyTheCookieIsSecure() {
        Page p = web.send(java.net.http.HttpRequest.newBuilder(web.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "deploy.example.org")
                .header("Origin", "https://deploy.example.org")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + web.token())));
        assertEquals(303, p.status(), p.toString());
        assertTrue(p.header("Set-Cookie").endsWith("; HttpOnly; SameSite=Strict; Secure"), p.header("Set-Cookie"));
        Page plain = web.send(java.net.http.HttpRequest.newBuilder(web.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Host", "deploy.example.org")
                .header("Origin", "https://deploy.example.org")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + web.token())));
        assertEquals(403, plain.status(), "an https origin on a plain request: another origin");
    }

    @Test
    void theAdminApiAndHealthAreUnchangedBesideTheDashboard() {
        AdminClient api = new AdminClient(server);
        assertEquals(200, api.get("/api/v1/packages").status());
        assertEquals(401, web.get("/api/v1/packages", web.login()).status(), "a session is no bearer token");
        assertEquals(200, web.get("/health", null).status());
        assertEquals(404, web.get("/dashboards", null).status(), "not the dashboard's: the API's 404");
        assertTrue(web.get("/dashboards", null).body().startsWith("{\"error\""));
    }

    /** Form encoding for the tests. */
    static final class DashboardHttpUrl {
        static String encode(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
