package org.teledeploy.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.deploy.AssignOptions;
import org.teledeploy.deploy.DeploymentQueries.TimelineEntry;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.TargetOs;
import org.teledeploy.registry.DeviceSearch;
import org.teledeploy.testing.RealAgent;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Télédéploiement end to end with the real Debian {@code ocsinventory-agent} 2.10: packages built by teledeploy,
 * activated (with the reachability check), assigned to a device, a search or a dynamic group, fetched over HTTPS
 * (info, generated CA) and HTTP (fragments, sendfile), run by the agent, and reported back. Each case asserts the
 * result code the agent really sends (shared/agent-interop.md §5) and what statistics and the timeline show.
 */
class RealAgentDeploymentTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    // Zero latencies: the agent's background worker downloads and reports within a second of the PROLOG.
    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("DOWNLOAD_FRAG_LATENCY", "0").with("DOWNLOAD_CYCLE_LATENCY", "0")
            .with("DOWNLOAD_PERIOD_LATENCY", "0");

    @TempDir
    Path agentDir;
    @TempDir
    Path work;

    private RealAgent agent;
    private String url;
    private RealAgent.Run lastRun;

    @BeforeEach
    void agentInstalled() {
        RealAgent.assumeInstalled();
        agent = new RealAgent(agentDir.resolve("agent"));
        url = server.httpUrl();
    }

    @Test
    void storeTarGzCopiesTheFilesAndRecordsSuccess() throws Exception {
        String device = register();
        Path target = work.resolve("stored");
        PackageRecord p = build(PackageSpec.of("store", TargetOs.LINUX, PackageAction.STORE, target.toString()),
                Map.of("hello.txt", "hello from teledeploy\n", "conf/app.conf", "key=value\n"));
        activateAndAssign(p, device);

        run();
        assertState("SUCCESS", device, p);
        assertEquals("hello from teledeploy\n", Files.readString(target.resolve("hello.txt")));
        assertEquals("key=value\n", Files.readString(target.resolve("conf").resolve("app.conf")));
        PackageStatistics stats = server.server().queries().statistics(p.id()).join();
        assertEquals(1, stats.count(PackageStatistics.Bucket.SUCCESS), stats.toString());
    }

    @Test
    void executeExitCodesAndLaunchExitCodesAreWhatTheAgentReports() throws Exception {
        String device = register();
        PackageRecord ok = build(PackageSpec.of("exec-ok", TargetOs.LINUX, PackageAction.EXECUTE, "sh ./ok.sh"),
                Map.of("ok.sh", "touch " + work.resolve("ran-ok") + "\nexit 0\n"));
        PackageRecord three = build(PackageSpec.of("exec-3", TargetOs.LINUX, PackageAction.EXECUTE, "sh ./three.sh"),
                Map.of("three.sh", "exit 3\n"));
        PackageRecord launch = build(PackageSpec.of("launch-3", TargetOs.LINUX, PackageAction.LAUNCH, "launch.sh"),
                Map.of("launch.sh", "#!/bin/sh\nexit 3\n"));
        // All three in one PROLOG: offering a package while an earlier worker is busy stalls the agent (§6.1).
        activateAndAssign(ok, device);
        activateAndAssign(three, device);
        activateAndAssign(launch, device);

        run();
        assertState("SUCCESS", device, ok);
        assertTrue(Files.exists(work.resolve("ran-ok")));
        // Observed with agent 2.10: EXECUTE does not report the exit code, LAUNCH always reports SUCCESS_<code>.
        assertState("ERR_EXECUTE", device, three);
        assertState("SUCCESS_3", device, launch);
        PackageStatistics stats = server.server().queries().statistics(three.id()).join();
        assertEquals(1, stats.count(PackageStatistics.Bucket.ERROR), stats.toString());
    }

    @Test
    void aPackageInFourFragmentsIsFetchedWholeAndTheTimelineShowsEachFragment() throws Exception {
        String device = register();
        byte[] payload = new byte[600_000];
        new Random(7).nextBytes(payload);
        Path dir = work.resolve("big");
        Files.createDirectories(dir);
        Files.write(dir.resolve("payload.bin"), payload);
        Path target = work.resolve("big-stored");
        PackageRecord p = server.server().packages().build(PackageSpec.of("big", TargetOs.LINUX, PackageAction.STORE,
                target.toString()).withFragmentation(Fragmentation.byCount(4)), PackageSource.directory(dir)).join();
        assertEquals(4, p.fragments());
        activateAndAssign(p, device);

        run();
        assertState("SUCCESS", device, p);
        assertEquals(java.util.Arrays.hashCode(payload), java.util.Arrays.hashCode(
                Files.readAllBytes(target.resolve("payload.bin"))));
        List<String> events = timeline(device, p).stream()
                .map(e -> e.event() + (e.detail().isEmpty() ? "" : " " + e.detail())).toList();
        assertEquals(List.of("assigned device", "notified", "info", "fragment 1/4", "fragment 2/4", "fragment 3/4",
                "fragment 4/4", "result SUCCESS"), events.stream().map(e -> e.startsWith("result") ? "result "
                + e.split(" ")[1] : e).toList(), events.toString());
    }

    @Test
    void aWrongDigestIsReportedAndCountedAsAnError() throws Exception {
        PackageRecord p = build(PackageSpec.of("corrupt", TargetOs.LINUX, PackageAction.STORE,
                work.resolve("never").toString()), Map.of("a.txt", "original content"));
        // The server never serves a fragment that differs from the SHA-256 recorded at build (CorruptFragmentTest),
        // so the mismatch goes into the info file: it announces a DIGEST the fragments do not have, as when a
        // fragment is changed on its way over plain HTTP. The agent's digest check fails.
        Path info = server.stateDir().resolve("packages").resolve(p.id()).resolve("info");
        String original = Files.readString(info);
        String wrong = original.replace("DIGEST=\"" + p.digest() + "\"", "DIGEST=\"" + "0".repeat(32) + "\"");
        assertNotEquals(original, wrong);
        Files.writeString(info, wrong);
        server.restart(); // the info file is read from disk again
        url = server.httpUrl();
        String device = register();
        activateAndAssign(p, device);

        run();
        assertState("ERR_BAD_DIGEST", device, p);
        assertFalse(Files.exists(work.resolve("never")));
        PackageStatistics stats = server.server().queries().statistics(p.id()).join();
        assertEquals(1, stats.count(PackageStatistics.Bucket.ERROR), stats.toString());
        assertEquals(0, stats.count(PackageStatistics.Bucket.SUCCESS), stats.toString());
    }

    @Test
    void searchAssignmentAndADynamicGroupReachAMachineThatRegistersAfterwards() throws Exception {
        PackageRecord bySearch = build(PackageSpec.of("by-search", TargetOs.LINUX, PackageAction.EXECUTE, "true"),
                Map.of("x", "x"));
        PackageRecord byGroup = build(PackageSpec.of("by-group", TargetOs.LINUX, PackageAction.STORE,
                work.resolve("grouped").toString()), Map.of("g.txt", "group"));
        server.server().activation().activate(byGroup.id(), Optional.empty(), Optional.empty()).join();
        server.server().groups().create("linux", Optional.of(DeviceSearch.parse("os ~ linux"))).join();
        server.server().groups().assign(byGroup.id(), "linux", AssignOptions.DEFAULT).join();

        String device = register();
        server.server().activation().activate(bySearch.id(), Optional.empty(), Optional.empty()).join();
        List<Long> linux = server.server().groups().select(DeviceSearch.parse("os ~ linux")).join();
        assertEquals(1, linux.size(), "the agent's machine runs Linux");
        server.server().deployments().assign(bySearch.id(), linux, AssignOptions.DEFAULT, "search:os ~ linux").join();

        run();
        assertState("SUCCESS", device, bySearch);
        assertState("SUCCESS", device, byGroup);
        assertEquals("group", Files.readString(work.resolve("grouped").resolve("g.txt")));
    }

    @Test
    void forcedRedeployRunsAgainAndWithoutForceTheAgentIsNotOfferedItAgain() throws Exception {
        String device = register();
        Path counter = work.resolve("runs");
        PackageRecord p = build(PackageSpec.of("twice", TargetOs.LINUX, PackageAction.EXECUTE, "sh ./count.sh"),
                Map.of("count.sh", "echo run >> " + counter + "\n"));
        activateAndAssign(p, device);
        run();
        assertState("SUCCESS", device, p);
        assertEquals(1, Files.readAllLines(counter).size());

        run();
        assertEquals("SUCCESS", state(device, p), "a result is final: not offered again");
        assertEquals(1, Files.readAllLines(counter).size());
        assertEquals(1, notifications(device, p));

        long id = server.server().registry().find(device).orElseThrow().id();
        server.server().deployments().affectAgain(p.id(), List.of(id),
                new AssignOptions(true, Optional.empty(), "")).join();
        run();
        assertState("SUCCESS", device, p);
        assertEquals(2, Files.readAllLines(counter).size(), "FORCE=1 runs it again despite the agent's history");
    }

    @Test
    void deactivatedAndUnassignedPackagesAreNoLongerOffered() throws Exception {
        String device = register();
        PackageRecord deactivated = build(PackageSpec.of("off", TargetOs.LINUX, PackageAction.EXECUTE,
                "touch " + work.resolve("off-ran")), Map.of("x", "x"));
        PackageRecord unassigned = build(PackageSpec.of("gone", TargetOs.LINUX, PackageAction.EXECUTE,
                "touch " + work.resolve("gone-ran")), Map.of("y", "y"));
        activateAndAssign(deactivated, device);
        activateAndAssign(unassigned, device);
        server.server().deployments().deactivate(deactivated.id()).join();
        long id = server.server().registry().find(device).orElseThrow().id();
        assertEquals(1, server.server().deployments().unassign(unassigned.id(), List.of(id), false).join());

        run();
        assertEquals("", state(device, deactivated), "still waiting: never offered");
        assertState(null, device, unassigned);
        assertFalse(Files.exists(work.resolve("off-ran")));
        assertFalse(Files.exists(work.resolve("gone-ran")));
        assertEquals(0, notifications(device, deactivated));
    }

    @Test
    void anAgentThatDoesNotTrustOurCaReportsErrDownloadInfoAndTheTimelineSaysWhy(@TempDir Path otherTls)
            throws Exception {
        String device = register();
        PackageRecord p = build(PackageSpec.of("untrusted", TargetOs.LINUX, PackageAction.EXECUTE, "true"),
                Map.of("x", "x"));
        activateAndAssign(p, device);
        Path foreignCa = org.teledeploy.tls.ServerCertificates.ensureGenerated(otherTls,
                List.of("localhost", "127.0.0.1"), java.time.Clock.systemUTC()).caCertificate();

        run(foreignCa);
        // Observed with agent 2.10: reported during the PROLOG phase, before the inventory (agent-interop.md §5).
        assertState("ERR_DOWNLOAD_INFO", device, p);
        List<String> events = timeline(device, p).stream().map(TimelineEntry::event).toList();
        assertTrue(events.contains("tls failure"), events.toString());
        assertFalse(events.contains("info"), "the info file was never served: " + events);
    }

    // --- helpers ---

    /** First run: PROLOG of an unknown device (SEND), then its inventory registers it. */
    private String register() throws Exception {
        run();
        String device = agent.deviceId(url);
        assertTrue(server.server().registry().find(device).isPresent(), "registered by its first inventory");
        return device;
    }

    private void run() throws IOException, InterruptedException {
        run(server.server().caCertificate());
    }

    private void run(Path ca) throws IOException, InterruptedException {
        RealAgent.Run run = agent.run(url, ca, RUN_TIMEOUT, "--nosoftware");
        lastRun = run;
        assertEquals(0, run.exitCode(), run.output() + run.log());
        server.server().flushWrites();
    }

    private PackageRecord build(PackageSpec spec, Map<String, String> files) throws IOException {
        Path dir = Files.createTempDirectory(work, "src");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
            if (f.getKey().endsWith(".sh")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return server.server().packages().build(spec.withFragmentation(Fragmentation.byCount(1)),
                PackageSource.directory(dir)).join();
    }

    private void activateAndAssign(PackageRecord p, String device) {
        server.server().activation().activate(p.id(), Optional.empty(), Optional.empty()).join();
        long id = server.server().registry().find(device).orElseThrow().id();
        assertEquals(1, server.server().deployments().assign(p.id(), List.of(id), AssignOptions.DEFAULT, "device")
                .join().created());
    }

    private String state(String device, PackageRecord p) {
        server.server().flushWrites();
        return server.server().queries().state(device, p.id()).join();
    }

    /** Asserts a state, showing the agent's last log when it differs. */
    private void assertState(String expected, String device, PackageRecord p) {
        String actual = state(device, p);
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError("state of " + p.spec().name() + ": " + actual + " (expected: " + expected
                    + "); timeline " + timeline(device, p) + "; agent output:\n" + lastRun.output() + "\nlog:\n"
                    + lastRun.log());
        }
    }

    private List<TimelineEntry> timeline(String device, PackageRecord p) {
        return server.server().queries().timeline(device).join().stream()
                .filter(e -> e.packageId().equals(p.id())).toList();
    }

    private long notifications(String device, PackageRecord p) {
        return timeline(device, p).stream().filter(e -> e.event().equals("notified")).count();
    }
}
