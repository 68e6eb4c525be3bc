package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.OcsClient.downloadReport;
import static org.teledeploy.testing.OcsClient.prolog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.deploy.PackageStatistics.Bucket;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The assignment state machine of shared/ocs-protocol.md §3.8–§3.9 through real PROLOG and DOWNLOAD traffic:
 * waiting → NOTIFIED (re-offered until a result) → result (final); history, force, affect again, unassign,
 * schedule, deactivation, the Unix busy-worker rule, restart, statistics and timeline.
 */
class DeploymentStateMachineTest {

    private static final String UNIX = "OCS-NG_unified_unix_agent_v2.10.0";
    private static final String WINDOWS = "OCS-NG_WINDOWS_AGENT_v2.11.0.1";
    private static final String A = "alpha-2024-03-05-09-12-44";
    private static final String B = "bravo-2024-03-05-09-12-44";
    private static final String P1 = "1764000001";
    private static final String P2 = "1764000002";
    private static final Pattern PACK = Pattern.compile("<PARAM TYPE=\"PACK\" ID=\"(\\d+)\"[^>]*FORCE=\"([01])\" />");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().clock(clock);

    @Test
    void notifiedIsReofferedUntilAResultThenNeverAgain() throws Exception {
        long a = register(A, UNIX);
        activate(P1, 1);
        assign(P1, a);
        assertEquals("", state(A, P1), "waiting before any PROLOG");
        String reply = prologReply(A, UNIX);
        // Listeners bound to 127.0.0.1 advertise that address.
        assertTrue(reply.contains("<PARAM TYPE=\"PACK\" ID=\"" + P1 + "\" INFO_LOC=\"127.0.0.1:" + server.server().httpsPort()
                + "/download\" PACK_LOC=\"127.0.0.1:" + server.server().httpPort() + "/download\" CERT_PATH=\"INSTALL_PATH\" "
                + "CERT_FILE=\"INSTALL_PATH/cacert.pem\" SCHEDULE=\"\" POSTCMD=\"\" FORCE=\"0\" />"), reply);
        assertEquals("NOTIFIED", state(A, P1));
        assertEquals(Map.of(P1, "0"), offers(A, UNIX), "NOTIFIED is offered again");
        assertEquals(200, server.client().post(downloadReport(A, P1, "ERR_BAD_DIGEST")).status());
        assertEquals("ERR_BAD_DIGEST", state(A, P1), "the result is stored before its 200");
        assertEquals(Map.of(), offers(A, UNIX), "a result is final");
        assertEquals(200, server.client().post(downloadReport(A, P1, "SUCCESS")).status());
        assertEquals("SUCCESS", state(A, P1), "the latest report wins");
    }

    @Test
    void notActivatedOrDeactivatedPackagesAreNotOffered() throws Exception {
        long a = register(A, WINDOWS);
        assign(P1, a);
        assertEquals(Map.of(), offers(A, WINDOWS));
        assertEquals("", state(A, P1));
        activate(P1, 1);
        assertEquals(Map.of(P1, "0"), offers(A, WINDOWS));
        assertTrue(server.server().deployments().deactivate(P1).join());
        assertEquals(Map.of(), offers(A, WINDOWS));
    }

    @Test
    void packageInTheAgentsHistoryIsClosedUnlessForced() throws Exception {
        long a = register(A, UNIX, P1);
        activate(P1, 1);
        assign(P1, a);
        assertEquals(Map.of(), offers(A, UNIX));
        assertEquals("SUCCESS_ALREADY_IN_HISTORY", state(A, P1));
        assertEquals(1, server.server().deployments().affectAgain(P1, List.of(a),
                new AssignOptions(true, Optional.empty(), "")).join());
        assertEquals(Map.of(P1, "1"), offers(A, UNIX), "forced: offered with FORCE=1 despite the history");
        server.client().post(downloadReport(A, P1, "SUCCESS"));
        assertEquals(Map.of(), offers(A, UNIX), "a forced result is final too: no reinstall loop");
    }

    @Test
    void unixAgentGetsNoSecondPackageWithFragmentsWhileOneIsNotified() throws Exception {
        long a = register(A, UNIX);
        long b = register(B, WINDOWS);
        activate(P1, 3);
        activate(P2, 2);
        assign(P1, a, b);
        assertEquals(Map.of(P1, "0"), offers(A, UNIX));
        assertEquals(Map.of(P1, "0"), offers(B, WINDOWS));
        assign(P2, a, b);
        assertEquals(Map.of(P1, "0"), offers(A, UNIX), "P2 held back: the Unix worker is busy with P1");
        assertEquals("", state(A, P2));
        assertEquals(Map.of(P1, "0", P2, "0"), offers(B, WINDOWS), "no such rule for Windows agents");
        server.client().post(downloadReport(A, P1, "SUCCESS"));
        assertEquals(Map.of(P2, "0"), offers(A, UNIX));
    }

    @Test
    void packagesFirstOfferedTogetherAreFineAndTimeoutReleasesTheHold() throws Exception {
        long a = register(A, UNIX);
        activate(P1, 3);
        activate(P2, 2);
        assign(P1, a);
        assign(P2, a);
        assertEquals(Map.of(P1, "0", P2, "0"), offers(A, UNIX), "same PROLOG: one worker gets both locations");

        String p3 = "1764000003";
        activate(p3, 1);
        assign(p3, a);
        assertEquals(Map.of(P1, "0", P2, "0"), offers(A, UNIX));
        clock.advance(Duration.ofDays(31));
        assertEquals(Map.of(P1, "0", P2, "0", p3, "0"), offers(A, UNIX), "after DOWNLOAD_TIMEOUT the old worker gave up");
    }

    @Test
    void unassignNotNotifiedStopsNewNotificationsOnly() throws Exception {
        long a = register(A, WINDOWS);
        long b = register(B, WINDOWS);
        activate(P1, 1);
        assign(P1, a, b);
        offers(A, WINDOWS);
        assertEquals(1, server.server().deployments().unassign(P1, List.of(a, b), true).join());
        assertEquals(Map.of(P1, "0"), offers(A, WINDOWS), "A was notified: it keeps its package");
        assertEquals(Map.of(), offers(B, WINDOWS));
        assertEquals(1, server.server().deployments().unassign(P1, List.of(a), false).join());
        assertEquals(Map.of(), offers(A, WINDOWS));
    }

    @Test
    void scheduleHoldsTheOfferBackUntilItsTime() throws Exception {
        long a = register(A, WINDOWS);
        activate(P1, 1);
        server.server().deployments().assign(P1, List.of(a),
                new AssignOptions(false, Optional.of(clock.instant().plus(Duration.ofHours(2))), "REBOOT"), "device").join();
        assertEquals(Map.of(), offers(A, WINDOWS));
        clock.advance(Duration.ofHours(2));
        assertTrue(prologReply(A, WINDOWS).contains("POSTCMD=\"REBOOT\" FORCE=\"0\""));
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        long a = register(A, UNIX);
        long b = register(B, UNIX);
        activate(P1, 1);
        assign(P1, a, b);
        offers(A, UNIX);
        server.server().flushWrites();
        server.restart();
        assertEquals("NOTIFIED", state(A, P1));
        assertEquals(Map.of(P1, "0"), offers(A, UNIX), "NOTIFIED is re-offered after a restart");
        assertEquals(Map.of(P1, "0"), offers(B, UNIX), "waiting is offered after a restart");
    }

    @Test
    void statisticsAddUpAndTimelineTellsTheStory() throws Exception {
        String[] ids = {A, B, "c-2024-03-05-09-12-44", "d-2024-03-05-09-12-44", "e-2024-03-05-09-12-44"};
        long[] rows = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = register(ids[i], UNIX);
        }
        activate(P1, 1);
        assign(P1, rows);
        for (int i = 1; i < ids.length; i++) {
            offers(ids[i], UNIX);
        }
        server.client().post(downloadReport(ids[2], P1, "SUCCESS"));
        server.client().post(downloadReport(ids[3], P1, "SUCCESS_3"));
        server.client().post(downloadReport(ids[4], P1, "ERR_EXECUTE"));
        server.server().flushWrites();
        PackageStatistics stats = server.server().queries().statistics(P1).join();
        assertEquals(1, stats.count(Bucket.WAITING));
        assertEquals(1, stats.count(Bucket.NOTIFIED));
        assertEquals(2, stats.count(Bucket.SUCCESS));
        assertEquals(1, stats.count(Bucket.ERROR));
        assertEquals(0, stats.count(Bucket.OTHER));
        assertEquals(5, stats.total());
        assertEquals(1, stats.successWithNonZeroExit());
        assertEquals(Map.of("", 1, "NOTIFIED", 1, "SUCCESS", 1, "SUCCESS_3", 1, "ERR_EXECUTE", 1), stats.byState());
        assertEquals(List.of(ids[4]), server.server().queries().devices(P1, Bucket.ERROR).join().stream()
                .map(DeploymentQueries.DeviceState::deviceId).toList());

        List<String> timeline = server.server().queries().timeline(ids[4]).join().stream()
                .map(e -> e.event() + ":" + e.detail()).toList();
        assertEquals(List.of("assigned:device", "notified:", "result:ERR_EXECUTE"), timeline);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    @Test
    void resetByStatusPatternAndUnassignEveryWaitingDevice() throws Exception {
        long a = register(A, UNIX);
        long b = register(B, UNIX);
        activate(P1, 1);
        assign(P1, a, b);
        offers(A, UNIX);
        assertEquals(200, server.client().post(downloadReport(A, P1, "ERR_BAD_DIGEST")).status());
        assertEquals(1, server.server().deployments().affectAgainWhere(P1, "ERR_*", AssignOptions.DEFAULT).join());
        assertEquals("", state(A, P1), "ERR_* reset to waiting");
        assertEquals(0, server.server().deployments().affectAgainWhere(P1, "SUCCESS*", AssignOptions.DEFAULT).join());
        assertEquals("status: ERR_'; -- (expected: a result code pattern such as ERR_* or EXIT_CODE_*)",
                assertThrows(java.util.concurrent.CompletionException.class, () -> server.server().deployments()
                        .affectAgainWhere(P1, "ERR_'; --", AssignOptions.DEFAULT).join()).getCause().getMessage());
        offers(B, UNIX);
        assertEquals(1, server.server().deployments().unassignAllWaiting(P1).join(), "A waits again, B is NOTIFIED");
        assertEquals(null, state(A, P1));
        assertEquals("NOTIFIED", state(B, P1));
        assertEquals(Map.of(P1, "0"), offers(B, UNIX), "a device at work keeps its offer");
    }

    private long register(String deviceId, String userAgent, String... history) throws Exception {
        String inventory = OcsClient.inventory(deviceId, deviceId.substring(0, 5), "Linux", 1, null)
                .replace("<PACKAGE ID=\"1709630000\"/>", java.util.Arrays.stream(history)
                        .map(id -> "<PACKAGE ID=\"" + id + "\"/>").collect(Collectors.joining()));
        OcsClient.Response r = server.client().post("/ocsinventory",
                OcsClient.zlib(inventory.getBytes(StandardCharsets.UTF_8)), userAgent);
        assertEquals(200, r.status());
        return server.server().registry().find(deviceId).orElseThrow().id();
    }

    private void activate(String packageId, int fragments) {
        var locations = server.server().downloadLocations();
        server.server().deployments().activate(packageId, fragments, locations.infoLocation(),
                locations.fragmentLocation()).join();
    }

    private void assign(String packageId, long... devices) {
        List<Long> ids = java.util.Arrays.stream(devices).boxed().toList();
        Deployments.Assigned assigned = server.server().deployments().assign(packageId, ids, AssignOptions.DEFAULT,
                "device").join();
        assertEquals(devices.length, assigned.created());
    }

    private String prologReply(String deviceId, String userAgent) throws Exception {
        OcsClient.Response r = server.client().post("/ocsinventory",
                OcsClient.zlib(prolog(deviceId).getBytes(StandardCharsets.UTF_8)), userAgent);
        assertEquals(200, r.status());
        return r.inflated();
    }

    /** package ID → FORCE of every PACK in the device's PROLOG reply. */
    private Map<String, String> offers(String deviceId, String userAgent) throws Exception {
        Matcher m = PACK.matcher(prologReply(deviceId, userAgent));
        Map<String, String> out = new java.util.TreeMap<>();
        while (m.find()) {
            assertFalse(out.containsKey(m.group(1)), "a package ID appears once per reply");
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private String state(String deviceId, String packageId) {
        server.server().flushWrites();
        return server.server().queries().state(deviceId, packageId).join();
    }
}
