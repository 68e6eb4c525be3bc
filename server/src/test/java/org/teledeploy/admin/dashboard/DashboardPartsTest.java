package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.testing.MutableClock;

/** The dashboard's small parts on their own: escaping, shares, chart geometry, sessions, lockouts, redirects. */
class DashboardPartsTest {

    @Test
    void escapingCoversTextAndQuotedAttributes() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
                Html.escape("<script>alert('x')</script> & \"q\""));
        assertEquals("a\uFFFDb", Html.escape("a\u0001b"), "control characters are not HTML");
        assertEquals("plain-2024", Html.escape("plain-2024"));
        assertEquals("<a href=\"/x?a=1&amp;b=&quot;\">&lt;b&gt;</a>", new Html().link("/x?a=1&b=\"", "<b>").toString());
    }

    @Test
    void urlsCarryAnyValueAsOneSegment() {
        assertEquals("%22%3E%3Cscript%3E%2Fa%20b-2024", Urls.segment("\"><script>/a b-2024"));
        assertEquals("/dashboard/packages/17/devices?code=ERR_BAD_DIGEST", Urls.code("17", "ERR_BAD_DIGEST"));
        assertEquals("/dashboard/packages/17/devices?bucket=waiting", Urls.code("17", ""));
        assertEquals("/dashboard/network/hosts?subnet=192.0.2.0%2F24", Urls.unmanagedHosts("192.0.2.0/24"));
    }

    @Test
    void sharesAreNeverRoundedToALie() {
        assertEquals("33%", Format.percent(2, 6));
        assertEquals("<1%", Format.percent(1, 1000));
        assertEquals(">99%", Format.percent(999, 1000));
        assertEquals("100%", Format.percent(5, 5));
        assertEquals("0%", Format.percent(0, 5));
        assertEquals("–", Format.percent(0, 0));
        assertEquals("20.0 KiB", Format.bytes(20 * 1024));
        assertEquals("3 h ago", Format.ago(0 + 1, 3 * 3600_000 + 1));
    }

    @Test
    void aFewDevicesAmongManyStayVisibleInTheBarAndTheBarIsFilledExactly() {
        PackageStatistics s = new PackageStatistics("1", Map.of("SUCCESS", 9998, "ERR_BAD_DIGEST", 1, "", 1));
        List<Charts.Part> parts = Charts.buckets(s);
        double[] sizes = Charts.sizes(parts, s.total(), 200, 3);
        assertEquals(200, Arrays.stream(sizes).sum(), 1e-9);
        assertEquals(3, sizes[PackageStatistics.Bucket.ERROR.ordinal()], 1e-9);
        assertEquals(3, sizes[PackageStatistics.Bucket.WAITING.ordinal()], 1e-9);
        assertEquals(0, sizes[PackageStatistics.Bucket.NOTIFIED.ordinal()], 1e-9);
        Html h = new Html();
        Charts.bar(h, parts, 200, 16, "none");
        assertTrue(h.toString().contains("<title>Error: 1 of 10000 (&lt;1%)</title>"), h.toString());
        Html empty = new Html();
        Charts.bar(empty, Charts.buckets(new PackageStatistics("2", Map.of())), 200, 16, "not assigned");
        assertTrue(empty.toString().contains("fill=\"#e5e7eb\"><title>not assigned</title>"), empty.toString());
    }

    @Test
    void sessionsExpireAfterTheirIdleTimeOnTheClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        Sessions sessions = new Sessions(clock, Duration.ofHours(12), 2);
        String a = sessions.create("127.0.0.1");
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, sessions.create("127.0.0.1"));
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertTrue(sessions.find(a).isPresent());
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertTrue(sessions.find(a).isPresent(), "each use restarts the idle time");
        clock.advance(Duration.ofHours(12));
        assertFalse(sessions.find(a).isPresent());
        assertFalse(sessions.find("").isPresent());
        assertFalse(sessions.find("x".repeat(5000)).isPresent());
        String b = sessions.create("127.0.0.1");
        sessions.remove(b);
        assertFalse(sessions.find(b).isPresent());
        for (int i = 0; i < 10; i++) {
            sessions.create("127.0.0.1");
        }
        assertTrue(sessions.size() <= 2, "bounded: " + sessions.size());
    }

    @Test
    void aClientIsLockedOutForTheRestOfItsWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(10), 100);
        assertEquals(1, throttle.failed("10.0.0.1"));
        clock.advance(Duration.ofMinutes(4));
        assertEquals(2, throttle.failed("10.0.0.1"));
        assertTrue(throttle.lockedFor("10.0.0.1").isEmpty());
        assertEquals(3, throttle.failed("10.0.0.1"));
        assertEquals(Duration.ofMinutes(6), throttle.lockedFor("10.0.0.1").orElseThrow());
        assertTrue(throttle.lockedFor("10.0.0.2").isEmpty(), "per client");
        clock.advance(Duration.ofMinutes(6));
        assertTrue(throttle.lockedFor("10.0.0.1").isEmpty());
        assertEquals(1, throttle.failed("10.0.0.1"), "a new window");
        throttle.succeeded("10.0.0.1");
        assertEquals(1, throttle.failed("10.0.0.1"));
    }

    @Test
    void afterSigningInOnlyDashboardPathsAreFollowed() {
        assertEquals("/dashboard/network", LoginPages.safeNext("/dashboard/network"));
        assertEquals("/dashboard/packages/1/devices?bucket=error",
                LoginPages.safeNext("/dashboard/packages/1/devices?bucket=error"));
        for (String evil : List.of("", "/", "https://evil.example", "//evil.example", "/dashboardx", "/dashboard//x",
                "/dashboard/\\\\x", "/dashboard/\u00e9", "/dashboard/a b", "/api/v1/config")) {
            assertEquals("/dashboard", LoginPages.safeNext(evil), evil);
        }
    }

    @Test
    void theCspAllowsExactlyTheInlineStylesheet() {
        assertTrue(Layout.CSP.startsWith("default-src 'none'; style-src 'sha256-"), Layout.CSP);
        assertFalse(Layout.CSP.contains("unsafe"), Layout.CSP);
        assertTrue(Layout.STYLE.contains(".sw.error{background:" + Palette.colour(PackageStatistics.Bucket.ERROR)),
                "swatches in the charts' colours");
    }
}
