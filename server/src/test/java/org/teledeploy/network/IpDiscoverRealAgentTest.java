package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.registry.DeviceRecord;
import org.teledeploy.testing.RealAgent;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The real Debian {@code ocsinventory-agent} 2.10 elected for network discovery: it accepts the PROLOG with the
 * IPDISCOVER option, SEND and {@code Connection: close} (exit 0), its IpDiscover backend reads the subnet and
 * IPDISC_LAT and runs the scanner, and its next inventory carries what the scanner printed, which the server stores.
 *
 * <p>No network is scanned. The agent ignores the subnet it is given and always scans the interface of its default
 * route ({@code Backend/IpDiscover/IpDiscover.pm}: {@code if ($network = $1)} assigns the gateway instead of
 * comparing), so electing it for a documentation range that exists nowhere would not keep it off the real network
 * (on this build machine the default route's network <em>is</em> 192.0.2.0/24). Instead the scanner binary is
 * replaced: {@link RealAgent} puts stand-ins for {@code ipdiscover} and {@code nmap} first in the agent's PATH, this
 * test checks that the shell resolves {@code ipdiscover} to the stand-in before the run, and that the stand-in is what
 * the agent ran.
 */
class IpDiscoverRealAgentTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("IPDISCOVER", "2")
            .with("DOWNLOAD_FRAG_LATENCY", "0").with("DOWNLOAD_CYCLE_LATENCY", "0")
            .with("DOWNLOAD_PERIOD_LATENCY", "0");

    @TempDir
    Path agentDir;

    @Test
    void anElectedRealAgentAcceptsTheOptionRunsItsScannerAndReportsTheHosts() throws Exception {
        RealAgent.assumeInstalled();
        assumeTrue(hasDefaultRoute(), "the agent's IpDiscover backend picks the interface of the default route");
        RealAgent agent = new RealAgent(agentDir);
        String url = server.httpUrl();
        RealAgent.Run first = agent.run(url, null, RUN_TIMEOUT, "--nosoftware");
        assertEquals(0, first.exitCode(), first.output() + first.log());
        String deviceId = agent.deviceId(url);
        assertEquals(List.of(), agent.scannerCalls(), "not elected at its first contact: no scan");

        NetworkDiscovery network = server.server().network();
        DeviceDiscovery before = network.device(deviceId).join();
        assumeFalse(before.subnets().isEmpty(), "this machine has no IPv4 interface on a /16 to /30 subnet");
        Subnet subnet = Subnet.parse(before.subnets().get(0));
        String ownMac = ownMac(deviceId, subnet);
        String gateway = Subnet.ipv4(subnet.network() + 1);
        String self = Subnet.ipv4(subnet.network() + 2);
        // Two lines exactly as /usr/bin/ipdiscover prints them: a stranger and this machine's own MAC.
        agent.withIpdiscover("<H><I>" + gateway + "</I><M>00:00:5e:00:53:01</M><N>gw.test</N></H>\n"
                + "<H><I>" + self + "</I><M>" + ownMac + "</M><N>-</N></H>\n");

        assertEquals(Optional.of(subnet.cidr()), network.elect(deviceId).join().electedSubnet());
        assertEquals(agent.scannerDir().resolve("ipdiscover").toString(), resolve("ipdiscover", agent.scannerDir()),
                "the agent must find the stand-in, never /usr/bin/ipdiscover");
        RealAgent.Run second = agent.run(url, null, RUN_TIMEOUT, "--nosoftware");
        assertEquals(0, second.exitCode(), "the agent accepts the IPDISCOVER reply: " + second.output() + second.log());

        assertTrue(second.log().contains("Scanning the " + subnet.address() + " network"),
                "the agent read the PARAM text: " + second.log());
        List<String> calls = agent.scannerCalls();
        assertTrue(calls.contains("ipdiscover"), "version probe: " + calls);
        assertTrue(calls.stream().anyMatch(c -> c.matches("ipdiscover \\S+ 100")),
                "scan of its default route's interface with IPDISC_LAT=100: " + calls);

        List<DiscoveredHost> hosts = network.hosts(Optional.of(subnet.cidr()), false).join();
        assertEquals(2, hosts.size(), hosts + "\n" + second.log());
        DiscoveredHost stranger = hosts.stream().filter(h -> h.ip().equals(gateway)).findFirst().orElseThrow();
        assertEquals("00:00:5e:00:53:01", stranger.mac());
        assertEquals("gw.test", stranger.name());
        assertEquals(Optional.of(deviceId), stranger.reportedBy());
        assertEquals(Optional.empty(), stranger.device(), "unmanaged");
        DiscoveredHost itself = hosts.stream().filter(h -> h.ip().equals(self)).findFirst().orElseThrow();
        assertEquals("", itself.name(), "the agent's '-'");
        assertEquals(Optional.of(deviceId), itself.device(), "its MAC is a registered device's: managed");
    }

    /** The real agent's MAC on the subnet, as the server normalized it. */
    private String ownMac(String deviceId, Subnet subnet) {
        DeviceRecord record = server.server().registry().details(deviceId).join().orElseThrow();
        return record.inventory().networks().stream()
                .filter(n -> Subnet.parseIpv4(n.ipAddress()) >= 0 && subnet.contains(Subnet.parseIpv4(n.ipAddress())))
                .map(n -> DiscoverySection.normalizeMac(n.macAddress())).flatMap(Optional::stream).findFirst()
                .orElse("02:00:5e:00:53:02");
    }

    /** What {@code sh} runs for {@code command} with {@code dir} first in PATH, as the agent's backticks do. */
    private static String resolve(String command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true);
        pb.environment().put("PATH", dir + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /** A default route with a gateway (destination 0.0.0.0, gateway non-zero), from /proc/net/route. */
    private static boolean hasDefaultRoute() throws IOException {
        Path routes = Path.of("/proc/net/route");
        return Files.isReadable(routes) && Files.readAllLines(routes).stream().skip(1).map(l -> l.trim().split("\\s+"))
                .anyMatch(f -> f.length > 2 && f[1].equals("00000000") && !f[2].equals("00000000"));
    }
}
