package org.teledeploy.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.registry.DeviceRecord;
import org.teledeploy.testing.RealAgent;
import org.teledeploy.testing.TeledeployServerExtension;
import org.teledeploy.tls.ServerCertificates;

/**
 * The real Debian {@code ocsinventory-agent} 2.10 against teledeployd (shared/agent-interop.md): it registers,
 * is updated rather than duplicated on its next run, works over HTTPS with the generated CA, and fails with a
 * CA that did not sign our certificate (so the HTTPS test really checks the certificate).
 */
class RealAgentTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    // Zero latencies: the agent's background download worker has nothing to wait for and ends at once.
    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("DOWNLOAD_FRAG_LATENCY", "0").with("DOWNLOAD_CYCLE_LATENCY", "0")
            .with("DOWNLOAD_PERIOD_LATENCY", "0");

    @TempDir
    Path agentDir;

    @BeforeEach
    void agentInstalled() {
        RealAgent.assumeInstalled();
    }

    @Test
    void agentRegistersOverHttpWithItsSoftwareAndASecondRunUpdatesIt() throws Exception {
        RealAgent agent = new RealAgent(agentDir);
        String url = server.httpUrl();
        RealAgent.Run first = agent.run(url, null, RUN_TIMEOUT);
        assertEquals(0, first.exitCode(), first.output() + first.log());
        String deviceId = agent.deviceId(url);

        DeviceRecord device = server.server().registry().details(deviceId).join()
                .orElseThrow(() -> new AssertionError("agent's device " + deviceId + " not registered; log: " + first.log()));
        assertEquals(shortHostName(), device.name());
        assertEquals(osReleasePrettyName(), device.inventory().osComments());
        assertTrue(device.inventory().osComments().startsWith(device.inventory().osName()), device.inventory().osName());
        assertEquals(installedDebianPackages(), device.softwareCount(), "one SOFTWARES entry per dpkg package");
        assertEquals(device.softwareCount(), device.software().size());
        assertEquals("OCS-NG_unified_unix_agent_v2.10.0", device.summary().userAgent());
        assertTrue(device.inventory().networks().stream().anyMatch(n -> !n.macAddress().isEmpty()));

        RealAgent.Run second = agent.run(url, null, RUN_TIMEOUT);
        assertEquals(0, second.exitCode(), second.output() + second.log());
        assertEquals(deviceId, agent.deviceId(url));
        assertEquals(1, server.server().registry().size(), "the second run updates, never duplicates");
        DeviceRecord updated = server.server().registry().details(deviceId).join().orElseThrow();
        assertTrue(updated.summary().lastInventory() >= device.summary().lastInventory());
        assertEquals(device.summary().firstContact(), updated.summary().firstContact());
        assertEquals(device.softwareCount(), updated.softwareCount());
    }

    @Test
    void agentRegistersOverHttpsTrustingTheGeneratedCa() throws Exception {
        RealAgent agent = new RealAgent(agentDir);
        String url = server.httpsUrl();
        Path ca = server.server().caCertificate();
        assertEquals(server.stateDir().resolve("tls").resolve("cacert.pem").toAbsolutePath(), ca.toAbsolutePath());
        RealAgent.Run run = agent.run(url, ca, RUN_TIMEOUT, "--nosoftware", "--tag=paris");
        assertEquals(0, run.exitCode(), run.output() + run.log());
        DeviceRecord device = server.server().registry().details(agent.deviceId(url)).join()
                .orElseThrow(() -> new AssertionError("not registered over HTTPS; log: " + run.log()));
        assertEquals(shortHostName(), device.name());
        assertEquals("paris", device.inventory().tag());
        assertEquals(0, device.softwareCount(), "--nosoftware");
    }

    @Test
    void agentRefusesOurHttpsWithAnotherCa(@TempDir Path otherTls) throws Exception {
        Path foreignCa = ServerCertificates.ensureGenerated(otherTls, List.of("localhost", "127.0.0.1"),
                Clock.systemUTC()).caCertificate();
        assertNotEquals(Files.readString(foreignCa), Files.readString(server.server().caCertificate()));
        RealAgent agent = new RealAgent(agentDir);
        RealAgent.Run run = agent.run(server.httpsUrl(), foreignCa, RUN_TIMEOUT, "--nosoftware");
        assertEquals(1, run.exitCode(), "the agent must not talk to a server its CA did not sign: " + run.output());
        assertEquals(0, server.server().registry().size());
    }

    private static String shortHostName() throws IOException {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }

    private static String osReleasePrettyName() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        throw new AssertionError("no PRETTY_NAME in /etc/os-release");
    }

    /** What the Unix agent lists as software on Debian: every package dpkg knows. */
    private static int installedDebianPackages() throws Exception {
        Process p = new ProcessBuilder("dpkg-query", "-W").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }
}
