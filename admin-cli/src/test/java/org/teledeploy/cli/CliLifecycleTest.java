package org.teledeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.RealAgent;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The OCS télédéploiement workflow with the CLI alone, against a real server and the real Debian agent: create,
 * activate, deploy by search, the agent installs, statistics show the success; then what scripts rely on
 * ({@code --json} documents, exit codes 2 / 3 / 4).
 */
class CliLifecycleTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("DOWNLOAD_FRAG_LATENCY", "0").with("DOWNLOAD_CYCLE_LATENCY", "0")
            .with("DOWNLOAD_PERIOD_LATENCY", "0");

    @TempDir
    Path work;

    /** What one CLI run printed and returned. */
    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return ApiClient.JSON.readTree(out);
        }
    }

    private Result cli(String... args) {
        return TeledeployCliTestSupport.cli(server, args);
    }

    @BeforeEach
    void agentInstalled() {
        RealAgent.assumeInstalled();
    }

    @Test
    void createActivateDeployBySearchAndTheRealAgentInstallsIt() throws Exception {
        RealAgent agent = new RealAgent(work.resolve("agent"));
        String url = server.httpUrl();
        RealAgent.Run first = agent.run(url, server.server().caCertificate(), Duration.ofSeconds(90), "--nosoftware");
        assertEquals(0, first.exitCode(), first.output());
        String device = agent.deviceId(url);

        Path dir = Files.createDirectories(work.resolve("hello"));
        Files.writeString(dir.resolve("hello.txt"), "hello from the CLI\n");
        Path target = work.resolve("installed");
        Result created = cli("package", "create", "--name", "hello", "--dir", dir.toString(), "--os", "linux",
                "--action", "store", "--path", target.toString());
        assertEquals(0, created.exit(), created.err());
        String id = created.out().strip();
        assertTrue(id.matches("[0-9]{10}"), created.out());

        Result activated = cli("package", "activate", id);
        assertEquals(0, activated.exit(), activated.err());
        Result dry = cli("deploy", id, "--where", "os~linux", "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.err());
        assertEquals(1, dry.json().get("created").asInt());
        Result deployed = cli("deploy", id, "--where", "os~linux");
        assertEquals(0, deployed.exit(), deployed.err());
        assertEquals("assigned 1 device(s); 0 already assigned", deployed.out().strip());

        RealAgent.Run second = agent.run(url, server.server().caCertificate(), Duration.ofSeconds(90), "--nosoftware");
        assertEquals(0, second.exitCode(), second.output());
        server.server().flushWrites();
        assertEquals("hello from the CLI\n", Files.readString(target.resolve("hello.txt")));

        Result stats = cli("stats", id, "--json");
        assertEquals(0, stats.exit(), stats.err());
        assertEquals(1, stats.json().get("success").asInt(), stats.out());
        assertEquals(1, stats.json().get("total").asInt(), stats.out());
        Result human = cli("stats", id, "--by-code");
        assertTrue(human.out().contains("SUCCESS"), human.out());

        Result timeline = cli("device", "show", device);
        assertEquals(0, timeline.exit(), timeline.err());
        assertTrue(timeline.out().contains("notified") && timeline.out().contains("SUCCESS"), timeline.out());
        Result list = cli("package", "list", "--json");
        assertEquals(id, list.json().get(0).get("id").asText());
    }

    @Test
    void uploadedArchivesAndScriptFriendlyExitCodes() throws Exception {
        Path archive = work.resolve("tools.tar.gz");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(
                        Files.newOutputStream(archive)))) {
            byte[] content = "#!/bin/sh\nexit 0\n".getBytes();
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("install.sh");
            entry.setSize(content.length);
            entry.setMode(0100755);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        Result created = cli("package", "create", "--name", "tools", "--file", archive.toString(), "--os", "linux",
                "--action", "execute", "--command", "./install.sh", "--fragments", "1", "--json");
        assertEquals(0, created.exit(), created.err());
        JsonNode p = created.json();
        assertEquals("tools", p.get("name").asText());
        assertEquals(Files.size(archive), p.get("archiveSize").asLong());

        Result missing = cli("package", "show", "999");
        assertEquals(3, missing.exit());
        assertEquals("teledeploy: no package 999", missing.err().strip());
        Result badPriority = cli("package", "create", "--name", "x", "--os", "linux", "--action", "execute",
                "--command", "true", "--priority", "11");
        assertEquals(2, badPriority.exit(), badPriority.err());
        assertTrue(badPriority.err().contains("priority: 11 (expected: 0 to 10)"), badPriority.err());
        Result noTarget = cli("deploy", p.get("id").asText());
        assertEquals(2, noTarget.exit(), "usage error: a target is required");
        assertEquals(0, cli("group", "create", "lab", "--where", "tag=lab").exit());
        Result duplicate = cli("group", "create", "lab", "--where", "tag=lab");
        assertEquals(4, duplicate.exit(), duplicate.err());
        Result wrongToken = TeledeployCliTestSupport.withToken(server, "not-the-token", "package", "list");
        assertEquals(1, wrongToken.exit());
        assertTrue(wrongToken.err().contains("unauthorized"), wrongToken.err());
        Result unreachable = TeledeployCliTestSupport.against("http://127.0.0.1:1", "package", "list");
        assertEquals(1, unreachable.exit());
        assertTrue(unreachable.err().startsWith("teledeploy: cannot reach the server at http://127.0.0.1:1/"),
                unreachable.err());
    }
}
