package org.teledeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the {@code teledeployd} command line ({@link Teledeployd#run}): {@code --version}, {@code --help},
 * {@code --check-config} (prints the effective configuration, starts nothing), and exit code 2 with every
 * problem or the usage on stderr for an invalid configuration or command line.
 */
@Timeout(60) // hang guard only: a command that wrongly started the server would block until stopped
class TeledeploydTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void versionPrintsTheBuildVersion() {
        assertEquals(0, run(Map.of(), "--version"));
        assertEquals("teledeployd 0.1.0-SNAPSHOT" + NL, out());
        assertEquals("", err());
        assertEquals("0.1.0-SNAPSHOT", Teledeployd.version());
    }

    @Test
    void helpPrintsTheUsage() {
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(out().startsWith("Usage: teledeployd [--config PATH] [--check-config] [--version] [--help]" + NL), out());
        assertEquals(0, run(Map.of(), "-h"));
        assertEquals("", err());
    }

    @Test
    void checkConfigPrintsTheEffectiveConfigurationAndStartsNothing() {
        Path stateDir = dir.resolve("state");
        Map<String, String> env = Map.of("TELEDEPLOY_LISTEN_HTTP", "127.0.0.1:18080",
                "TELEDEPLOY_STATE_DIR", stateDir.toString());
        assertEquals(0, run(env, "--check-config"));
        List<String> lines = out().lines().toList();
        assertEquals("# effective teledeployd configuration", lines.get(0));
        assertTrue(lines.contains("listen.http = 127.0.0.1:18080    # TELEDEPLOY_LISTEN_HTTP"), out());
        assertTrue(lines.contains("state.dir = " + stateDir + "    # TELEDEPLOY_STATE_DIR"), out());
        assertTrue(lines.contains("PROLOG_FREQ = 24    # default"), out());
        assertEquals("", err());
        assertFalse(Files.exists(stateDir), "no database, no TLS files: nothing was started");
    }

    @Test
    void checkConfigReadsTheConfigFileAndTheEnvironmentWins() throws IOException {
        Path file = Files.writeString(dir.resolve("t.properties"), "PROLOG_FREQ = 12\nlisten.http = 127.0.0.1:9999\n");
        assertEquals(0, run(Map.of("TELEDEPLOY_LISTEN_HTTP", "127.0.0.1:18080"), "--config", file.toString(),
                "--check-config"));
        List<String> lines = out().lines().toList();
        assertEquals("# effective teledeployd configuration (file " + file + ")", lines.get(0));
        assertTrue(lines.contains("PROLOG_FREQ = 12    # file"), out());
        assertTrue(lines.contains("listen.http = 127.0.0.1:18080    # TELEDEPLOY_LISTEN_HTTP"), out());
    }

    @Test
    void invalidConfigurationExits2WithEveryProblem() {
        Map<String, String> env = new HashMap<>();
        env.put("TELEDEPLOY_LISTEN_HTTP", "nope");
        env.put("TELEDEPLOY_PROLOG_FREQ", "0");
        assertEquals(2, run(env, "--check-config"));
        assertEquals("teledeployd: invalid configuration:" + NL
                + "  listen.http: nope (expected: host:port, or off) [from TELEDEPLOY_LISTEN_HTTP]" + NL
                + "  PROLOG_FREQ: 0 (expected: hours, 1 or more) [from TELEDEPLOY_PROLOG_FREQ]" + NL, err());
        assertEquals("", out());
    }

    @Test
    void invalidConfigurationExits2AlsoWithoutCheckConfig() {
        assertEquals(2, run(Map.of("TELEDEPLOY_LISTEN_HTTP", "off", "TELEDEPLOY_LISTEN_HTTPS", "off")));
        assertEquals("teledeployd: invalid configuration:" + NL
                + "  listen.http/listen.https: both off (expected: at least one agent listener)" + NL
                + "  DOWNLOAD_URI_INFO: empty while listen.https is off (expected: host[:port]/path of the HTTPS server"
                + " that serves info files: agents fetch them over HTTPS only)" + NL, err());
    }

    @Test
    void missingConfigFileExits2() {
        Path missing = dir.resolve("missing.properties");
        assertEquals(2, run(Map.of(), "--config", missing.toString(), "--check-config"));
        assertTrue(err().startsWith("teledeployd: invalid configuration:" + NL + "  --config: " + missing
                + " (expected: a readable properties file; "), err());
    }

    @Test
    void unknownArgumentExits2WithTheUsage() {
        assertEquals(2, run(Map.of(), "--frobnicate"));
        List<String> lines = err().lines().toList();
        assertEquals("unknown argument: --frobnicate", lines.get(0));
        assertEquals("Usage: teledeployd [--config PATH] [--check-config] [--version] [--help]", lines.get(1));
        assertEquals("", out());
    }

    @Test
    void configWithoutAPathExits2WithTheUsage() {
        assertEquals(2, run(Map.of(), "--check-config", "--config"));
        List<String> lines = err().lines().toList();
        assertEquals("--config: missing PATH", lines.get(0));
        assertEquals("Usage: teledeployd [--config PATH] [--check-config] [--version] [--help]", lines.get(1));
        assertEquals("", out());
    }

    private int run(Map<String, String> env, String... args) {
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return Teledeployd.run(args, env, o, e);
        }
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
