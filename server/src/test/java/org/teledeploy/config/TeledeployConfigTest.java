package org.teledeploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link TeledeployConfig}, {@link ConfigKey}, {@link Units}, {@link HostPort} and {@link DownloadLocations}:
 * the built-in defaults (including the OCS options agents see), file then environment precedence, the exact
 * shape of every problem ("key: value (expected: ...) [from ...]"), problems collected rather than the first
 * one thrown, the cross-checks (TLS pair, port clashes, no agent listener), units, listener syntax, the derived
 * download locations and {@link TeledeployConfig#describe()}.
 */
class TeledeployConfigTest {

    @TempDir
    Path dir;

    // ---- defaults ---------------------------------------------------------------------------------------------

    @Test
    void defaultsOfTheListenersAndStateDir() {
        TeledeployConfig c = TeledeployConfig.defaults();
        assertEquals(Optional.of(new HostPort("0.0.0.0", 8080)), c.listenHttp());
        assertEquals(Optional.of(new HostPort("0.0.0.0", 8443)), c.listenHttps());
        assertEquals(Optional.of(new HostPort("127.0.0.1", 8081)), c.listenAdmin());
        assertEquals(Path.of("var"), c.stateDir());
        assertEquals(Optional.empty(), c.tlsCert());
        assertEquals(Optional.empty(), c.tlsKey());
        assertEquals("auto", c.tlsProvider());
        assertEquals("auto", c.transport());
        assertEquals(Optional.empty(), c.file());
    }

    @Test
    void defaultsOfTheOcsOptions() {
        OcsOptions ocs = TeledeployConfig.defaults().ocs();
        assertEquals(new OcsOptions(0, 24, true, true, 10, 60, 1, 10, 30, 120, Optional.empty(), Optional.empty()), ocs);
        assertEquals(0, ocs.frequency());
        assertEquals(24, ocs.prologFreq());
        assertTrue(ocs.download());
        assertEquals(10, ocs.fragLatency());
        assertEquals(60, ocs.cycleLatency());
        assertEquals(1, ocs.periodLatency());
        assertEquals(10, ocs.periodLength());
        assertEquals(30, ocs.timeout());
        assertEquals(120, ocs.executionTimeout());
        assertTrue(ocs.inventoryOnStartup());
    }

    @Test
    void defaultsOfTheLimitsStoreAndLogs() {
        TeledeployConfig c = TeledeployConfig.defaults();
        assertEquals(32L << 20, c.maxBodySize());
        assertEquals(64L << 20, c.maxInflatedSize());
        assertEquals(16 * 1024, c.maxHeaderSize());
        assertEquals(8 * 1024, c.maxLineLength());
        assertEquals(32, c.maxXmlDepth());
        assertEquals(20_000, c.maxConnections());
        assertEquals(Duration.ofSeconds(30), c.requestTimeout());
        assertEquals(Duration.ofSeconds(120), c.idleTimeout());
        assertTrue(c.storeSynchronousFull());
        assertEquals(1000, c.storeBatchSize());
        assertEquals(100_000, c.storeQueueSize());
        assertEquals("info", c.logLevel());
        assertEquals("stdout", c.accessLog());
        assertEquals(List.of("FusionInventory-Agent"), c.extraUserAgents());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.ioThreads(), "0 = one per core");
    }

    @Test
    void everyDefaultIsFromTheDefaultSource() {
        TeledeployConfig c = TeledeployConfig.defaults();
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(TeledeployConfig.Source.DEFAULT, c.source(key), key.key());
            assertEquals(key.defaultValue(), c.rawValue(key), key.key());
        }
    }

    // ---- file and environment -----------------------------------------------------------------------------------

    @Test
    void aPropertiesFileOverridesTheDefaults() throws IOException {
        Path file = write("listen.http = 127.0.0.1:9090\nDOWNLOAD_FRAG_LATENCY=7\n# a comment\nlog.level = DEBUG\n"
                + "agent.extra.user.agents = GLPI-Agent , MyAgent\n");
        TeledeployConfig c = TeledeployConfig.load(file, Map.of());
        assertEquals(Optional.of(new HostPort("127.0.0.1", 9090)), c.listenHttp());
        assertEquals(7, c.ocs().fragLatency());
        assertEquals("debug", c.logLevel(), "one-of values are case-insensitive");
        assertEquals(List.of("GLPI-Agent", "MyAgent"), c.extraUserAgents());
        assertEquals(TeledeployConfig.Source.FILE, c.source(ConfigKey.LISTEN_HTTP));
        assertEquals(TeledeployConfig.Source.DEFAULT, c.source(ConfigKey.LISTEN_HTTPS));
        assertEquals(Optional.of(file), c.file());
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("listen.http = 127.0.0.1:9090\nDOWNLOAD_FRAG_LATENCY = 7\nPROLOG_FREQ = 12\n");
        TeledeployConfig c = TeledeployConfig.load(file, Map.of(
                "TELEDEPLOY_LISTEN_HTTP", "127.0.0.1:18080",
                "TELEDEPLOY_DOWNLOAD_FRAG_LATENCY", "5",
                "PATH", "/usr/bin",
                "LISTEN_HTTP", "nope"));
        assertEquals(Optional.of(new HostPort("127.0.0.1", 18080)), c.listenHttp());
        assertEquals(5, c.ocs().fragLatency());
        assertEquals(12, c.ocs().prologFreq(), "the file still applies to what the environment does not set");
        assertEquals(TeledeployConfig.Source.ENVIRONMENT, c.source(ConfigKey.LISTEN_HTTP));
        assertEquals(TeledeployConfig.Source.ENVIRONMENT, c.source(ConfigKey.DOWNLOAD_FRAG_LATENCY));
        assertEquals(TeledeployConfig.Source.FILE, c.source(ConfigKey.PROLOG_FREQ));
    }

    @Test
    void everyKeyHasItsEnvironmentVariable() {
        for (ConfigKey key : ConfigKey.values()) {
            String expected = "TELEDEPLOY_" + key.key().toUpperCase(Locale.ROOT).replace('.', '_');
            assertEquals(expected, key.environmentVariable(), key.key());
            assertTrue(key.environmentVariable().matches("TELEDEPLOY_[A-Z0-9_]+"), key.environmentVariable());
        }
        assertEquals("TELEDEPLOY_LISTEN_HTTP", ConfigKey.LISTEN_HTTP.environmentVariable());
        assertEquals("TELEDEPLOY_DOWNLOAD_FRAG_LATENCY", ConfigKey.DOWNLOAD_FRAG_LATENCY.environmentVariable());
        assertEquals("TELEDEPLOY_AGENT_EXTRA_USER_AGENTS", ConfigKey.AGENT_EXTRA_USER_AGENTS.environmentVariable());
    }

    @Test
    void everyKeyIsSettableFromTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            env.put(key.environmentVariable(), key.defaultValue());
        }
        TeledeployConfig c = TeledeployConfig.load(null, env);
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(TeledeployConfig.Source.ENVIRONMENT, c.source(key), key.key());
        }
    }

    @Test
    void keysAndEnvironmentVariablesAreUnique() {
        assertEquals(ConfigKey.values().length, Arrays.stream(ConfigKey.values()).map(ConfigKey::key).distinct().count());
        assertEquals(ConfigKey.values().length,
                Arrays.stream(ConfigKey.values()).map(ConfigKey::environmentVariable).distinct().count());
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(Optional.of(key), ConfigKey.byKey(key.key()));
        }
        assertEquals(Optional.empty(), ConfigKey.byKey("LISTEN.HTTP"), "keys are case-sensitive");
    }

    @Test
    void everyDefaultParses() {
        for (ConfigKey key : ConfigKey.values()) {
            key.parse(key.defaultValue());
            assertFalse(key.expected().isBlank(), key.key());
            assertFalse(key.description().isBlank(), key.key());
        }
    }

    // ---- problems -----------------------------------------------------------------------------------------------

    @Test
    void problemsHaveTheKeyValueExpectedAndSourceShape() throws IOException {
        Path file = write("listen.http = nope\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(file, Map.of("TELEDEPLOY_PROLOG_FREQ", "0")));
        assertEquals(List.of(
                "listen.http: nope (expected: host:port, or off) [from the config file]",
                "PROLOG_FREQ: 0 (expected: hours, 1 or more) [from TELEDEPLOY_PROLOG_FREQ]"), e.problems());
        assertEquals(String.join(System.lineSeparator(), e.problems()), e.getMessage());
    }

    @Test
    void everyProblemIsCollected() {
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LIMIT_INFLATED_SIZE", "16x",
                "TELEDEPLOY_TIMEOUT_REQUEST", "30",
                "TELEDEPLOY_DOWNLOAD", "yes",
                "TELEDEPLOY_LOG_LEVEL", "verbose")));
        assertEquals(List.of(
                "limit.inflated.size: 16x (expected: a size, 1k-2g) [from TELEDEPLOY_LIMIT_INFLATED_SIZE]",
                "timeout.request: 30 (expected: a duration, 100ms-1h) [from TELEDEPLOY_TIMEOUT_REQUEST]",
                "log.level: verbose (expected: error, warn, info, debug or trace) [from TELEDEPLOY_LOG_LEVEL]",
                "DOWNLOAD: yes (expected: 0 or 1) [from TELEDEPLOY_DOWNLOAD]"), e.problems(), "in key order");
    }

    @Test
    void emptyValueIsShownAsEmptyQuotes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of("TELEDEPLOY_STATE_DIR", "")));
        assertEquals(List.of("state.dir: \"\" (expected: a directory) [from TELEDEPLOY_STATE_DIR]"), e.problems());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FREQUENCY|-2|days, -1 or more",
        "PROLOG_FREQ|abc|hours, 1 or more",
        "DOWNLOAD_FRAG_LATENCY|86401|seconds, 0-86400",
        "DOWNLOAD_PERIOD_LENGTH|0|cycles, 1-1000",
        "DOWNLOAD_TIMEOUT|3651|days, 1-3650",
        "INVENTORY_ON_STARTUP|2|0 or 1",
        "io.threads|257|0-256",
        "limit.xml.depth|3|4-1000",
        "limit.body.size|512|a size, 1k-2g",
        "limit.body.size|3g|a size, 1k-2g",
        "limit.header.size|2m|a size, 1k-1m",
        "timeout.request|50ms|a duration, 100ms-1h",
        "timeout.idle|2d|a duration, 1s-1d",
        "store.queue.size|15|16-10000000",
        "store.synchronous|off|full or normal",
        "tls.provider|boringssl|auto, openssl or jdk",
        "transport|kqueue|auto, epoll or nio",
        "agent.extra.user.agents|a,,b|comma-separated prefixes",
        "listen.admin|localhost|host:port, or off",
        "listen.https|:99999|host:port, or off",
    })
    void outOfRangeOrMalformedValuesAreRefused(String key, String value, String expected) {
        ConfigKey k = ConfigKey.byKey(key).orElseThrow();
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of(k.environmentVariable(), value)));
        assertEquals(List.of(key + ": " + value + " (expected: " + expected + ") [from " + k.environmentVariable() + "]"),
                e.problems());
    }

    @Test
    void unknownKeyInTheFileIsNamed() throws IOException {
        Path file = write("listen.http = 127.0.0.1:9090\nlisten.htp = 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(file, Map.of()));
        assertEquals(List.of("listen.htp: unknown key in " + file
                + " (expected: one of the keys in conf/teledeploy.properties)"), e.problems());
    }

    @Test
    void missingConfigFileIsAProblem() {
        Path missing = dir.resolve("nope.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(missing, Map.of()));
        assertEquals(List.of("--config: " + missing + " (expected: a readable properties file; "
                + "java.nio.file.NoSuchFileException: " + missing + ")"), e.problems());
    }

    @Test
    void tlsCertWithoutKeyIsAProblem() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_CERT", cert.toString())));
        assertEquals(List.of("tls.cert/tls.key: only one is set (expected: both, or neither to generate a certificate)"),
                e.problems());
        ConfigException keyOnly = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_KEY", cert.toString())));
        assertEquals(e.problems(), keyOnly.problems());
    }

    @Test
    void tlsFilesMustBeReadable() throws IOException {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Path missing = dir.resolve("missing.pem");
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_TLS_CERT", missing.toString(), "TELEDEPLOY_TLS_KEY", key.toString())));
        assertEquals(List.of("tls.cert: " + missing + " (expected: a readable PEM file)"), e.problems());

        TeledeployConfig ok = TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_TLS_CERT", key.toString(), "TELEDEPLOY_TLS_KEY", key.toString()));
        assertEquals(Optional.of(key), ok.tlsCert());
        assertEquals(Optional.of(key), ok.tlsKey());
    }

    @Test
    void twoListenersOnTheSamePortAreAProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LISTEN_HTTPS", "127.0.0.1:8080")));
        assertEquals(List.of("listen.https: 127.0.0.1:8080 (expected: a port other than listen.http's 8080)"),
                e.problems());
        ConfigException admin = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LISTEN_ADMIN", "127.0.0.1:8443")));
        assertEquals(List.of("listen.admin: 127.0.0.1:8443 (expected: a port other than listen.https's 8443)"),
                admin.problems());
    }

    @Test
    void aRemoteAdminListenerIsRefusedUnlessExplicitlyAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LISTEN_ADMIN", "0.0.0.0:8081")));
        assertEquals(List.of("listen.admin: 0.0.0.0:8081 (expected: a loopback address such as 127.0.0.1:8081; the"
                + " admin API is plain HTTP: put it behind a TLS proxy and set admin.allow.remote = 1)"), e.problems());
        assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LISTEN_ADMIN", "192.0.2.5:8081")));
        assertEquals(8081, TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_ADMIN", "0.0.0.0:8081",
                "TELEDEPLOY_ADMIN_ALLOW_REMOTE", "1")).listenAdmin().orElseThrow().port());
        for (String loopback : List.of("127.0.0.1:8081", "127.1.2.3:8081", "localhost:8081", "[::1]:8081")) {
            assertEquals(8081, TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_ADMIN", loopback))
                    .listenAdmin().orElseThrow().port(), loopback);
        }
    }

    @Test
    void severalListenersOnPortZeroAreFine() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_HTTP", "127.0.0.1:0",
                "TELEDEPLOY_LISTEN_HTTPS", "127.0.0.1:0", "TELEDEPLOY_LISTEN_ADMIN", "127.0.0.1:0"));
        assertEquals(0, c.listenHttp().orElseThrow().port());
    }

    @Test
    void bothAgentListenersOffIsAProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LISTEN_HTTP", "off", "TELEDEPLOY_LISTEN_HTTPS", "OFF",
                "TELEDEPLOY_DOWNLOAD_URI_INFO", "cdn.example.org/ocs")));
        assertEquals(List.of("listen.http/listen.https: both off (expected: at least one agent listener)"),
                e.problems());
    }

    @Test
    void crossChecksRunOnlyOnceEveryValueParses() {
        ConfigException e = assertThrows(ConfigException.class, () -> TeledeployConfig.load(null, Map.of(
                "TELEDEPLOY_LISTEN_HTTPS", "127.0.0.1:8080", "TELEDEPLOY_PROLOG_FREQ", "0")));
        assertEquals(List.of("PROLOG_FREQ: 0 (expected: hours, 1 or more) [from TELEDEPLOY_PROLOG_FREQ]"), e.problems());
    }

    // ---- units and listener syntax ------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"16k,16384", "1m,1048576", "2g,2147483648", "1024,1024", "16K,16384", "16kb,16384", "16 KiB,16384",
        "3mb,3145728", "1gib,1073741824", "100b,100", " 8k ,8192", "0,0"})
    void sizesParse(String text, long bytes) {
        assertEquals(bytes, Units.parseSize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"16x", "k", "", "1.5m", "-1k", "16kk", "ten", "1t", "99999999999g"})
    void badSizesAreRefused(String text) {
        assertThrows(RuntimeException.class, () -> Units.parseSize(text));
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "1d,PT24H", "0s,PT0S", "30S,PT30S", " 5 s ,PT5S"})
    void durationsParse(String text, String iso) {
        assertEquals(Duration.parse(iso), Units.parseDuration(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "30x", "1.5s", "ms", "s", "", "-1s", "1w", "1 hour", "5mss"})
    void badDurationsAreRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(text));
        assertTrue(e.getMessage().equals("not a duration") || e.getMessage().equals("negative"), e.getMessage());
    }

    @Test
    void unitsWorkThroughTheConfiguration() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LIMIT_INFLATED_SIZE", "16k",
                "TELEDEPLOY_LIMIT_BODY_SIZE", "2g", "TELEDEPLOY_TIMEOUT_REQUEST", "500ms", "TELEDEPLOY_TIMEOUT_IDLE", "1h"));
        assertEquals(16_384, c.maxInflatedSize());
        assertEquals(2_147_483_648L, c.maxBodySize());
        assertEquals(Duration.ofMillis(500), c.requestTimeout());
        assertEquals(Duration.ofHours(1), c.idleTimeout());
    }

    @Test
    void formattedUnitsReadBack() {
        for (long bytes : new long[] {1, 1000, 1024, 16_384, 1_048_576, 3L << 30, 1536}) {
            assertEquals(bytes, Units.parseSize(Units.formatSize(bytes)), Units.formatSize(bytes));
        }
        assertEquals("16k", Units.formatSize(16_384));
        assertEquals("2g", Units.formatSize(1L << 31));
        for (Duration d : List.of(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofHours(1), Duration.ofSeconds(90))) {
            assertEquals(d, Units.parseDuration(Units.formatDuration(d)), Units.formatDuration(d));
        }
        assertEquals("2m", Units.formatDuration(Duration.ofMinutes(2)));
    }

    @Test
    void listenerOffIsEmpty() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_HTTPS", "off",
                "TELEDEPLOY_LISTEN_ADMIN", "Off", "TELEDEPLOY_DOWNLOAD_URI_INFO", "cdn.example.org/ocs"));
        assertEquals(Optional.empty(), c.listenHttps());
        assertEquals(Optional.empty(), c.listenAdmin());
        assertTrue(c.listenHttp().isPresent());
    }

    @Test
    void listenerSyntaxes() {
        assertEquals(new HostPort("::1", 8080), HostPort.parse("[::1]:8080"));
        assertEquals("[::1]:8080", HostPort.parse("[::1]:8080").toString());
        assertEquals(new HostPort("0.0.0.0", 8080), HostPort.parse(":8080"));
        assertEquals(new HostPort("localhost", 0), HostPort.parse("localhost:0"));
        assertEquals("127.0.0.1:18080", HostPort.parse("127.0.0.1:18080").toString());
        assertTrue(HostPort.parse("0.0.0.0:1").isWildcard());
        assertTrue(HostPort.parse("[::]:1").isWildcard());
        assertFalse(HostPort.parse("127.0.0.1:1").isWildcard());
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_HTTPS", "[::1]:8443"));
        assertEquals(Optional.of(new HostPort("::1", 8443)), c.listenHttps());
    }

    @Test
    void badListenerSyntaxes() {
        assertEquals("missing ':port'", assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host")).getMessage());
        assertEquals("port is not a number",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:http")).getMessage());
        assertEquals("port: 65536 (expected: 0-65535)",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:65536")).getMessage());
        assertEquals("port: -1 (expected: 0-65535)",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:-1")).getMessage());
    }

    // ---- download locations -------------------------------------------------------------------------------------

    @Test
    void downloadLocationsFromWildcardListenersUseTheFirstTlsHostName() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES",
                "deploy.example.org, 10.0.0.5"));
        assertEquals(List.of("deploy.example.org", "10.0.0.5"), c.tlsHostnames());
        assertEquals(new DownloadLocations("deploy.example.org:8443/download", "deploy.example.org:8080/download"),
                DownloadLocations.of(c));
    }

    @Test
    void downloadLocationsOmitTheDefaultPorts() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "deploy.example.org",
                "TELEDEPLOY_LISTEN_HTTPS", "0.0.0.0:443", "TELEDEPLOY_LISTEN_HTTP", "0.0.0.0:80"));
        assertEquals(new DownloadLocations("deploy.example.org/download", "deploy.example.org/download"),
                DownloadLocations.of(c));
        // 443 only means "default" for HTTPS and 80 for HTTP.
        TeledeployConfig swapped = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "d.example",
                "TELEDEPLOY_LISTEN_HTTPS", "0.0.0.0:80", "TELEDEPLOY_LISTEN_HTTP", "0.0.0.0:443"));
        assertEquals(new DownloadLocations("d.example:80/download", "d.example:443/download"),
                DownloadLocations.of(swapped));
    }

    @Test
    void downloadLocationsUseEachListenersSpecificAddress() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "deploy.example.org",
                "TELEDEPLOY_LISTEN_HTTPS", "192.0.2.10:8443"));
        assertEquals(new DownloadLocations("192.0.2.10:8443/download", "deploy.example.org:8080/download"),
                DownloadLocations.of(c), "the HTTP listener is a wildcard: the first TLS name");
        TeledeployConfig both = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "deploy.example.org",
                "TELEDEPLOY_LISTEN_HTTPS", "192.0.2.10:8443", "TELEDEPLOY_LISTEN_HTTP", "192.0.2.11:8080"));
        assertEquals(new DownloadLocations("192.0.2.10:8443/download", "192.0.2.11:8080/download"),
                DownloadLocations.of(both));
        TeledeployConfig v6 = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_HTTPS", "[2001:db8::1]:443"));
        assertEquals("[2001:db8::1]/download", DownloadLocations.of(v6).infoLocation());
    }

    @Test
    void httpsOffNeedsAnExplicitInfoLocation() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_HTTPS", "off")));
        assertEquals(List.of("DOWNLOAD_URI_INFO: empty while listen.https is off (expected: host[:port]/path of the "
                + "HTTPS server that serves info files: agents fetch them over HTTPS only)"), e.problems());
        TeledeployConfig ok = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LISTEN_HTTPS", "off",
                "TELEDEPLOY_DOWNLOAD_URI_INFO", "cdn.example.org/ocs"));
        assertEquals("cdn.example.org/ocs", DownloadLocations.of(ok).infoLocation());
    }

    @Test
    void downloadLocationsForBoundPortsAndListenersOff() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "localhost",
                "TELEDEPLOY_LISTEN_HTTP", "127.0.0.1:0", "TELEDEPLOY_LISTEN_HTTPS", "127.0.0.1:0"));
        assertEquals(new DownloadLocations("127.0.0.1:0/download", "127.0.0.1:0/download"), DownloadLocations.of(c));
        assertEquals(new DownloadLocations("127.0.0.1:41001/download", "127.0.0.1:41002/download"),
                DownloadLocations.of(c, 41001, 41002));
        assertEquals(new DownloadLocations("", "127.0.0.1:41002/download"), DownloadLocations.of(c, -1, 41002));
    }

    @Test
    void explicitDownloadLocationsWin() {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "deploy.example.org",
                "TELEDEPLOY_DOWNLOAD_URI_INFO", "cdn.example.org/pkgs",
                "TELEDEPLOY_DOWNLOAD_URI_FRAG", "mirror.example.org:8000/a/b"));
        assertEquals(Optional.of("cdn.example.org/pkgs"), c.ocs().uriInfo());
        assertEquals(new DownloadLocations("cdn.example.org/pkgs", "mirror.example.org:8000/a/b"),
                DownloadLocations.of(c, 1, 2));
        TeledeployConfig infoOnly = TeledeployConfig.load(null, Map.of("TELEDEPLOY_TLS_HOSTNAMES", "d.example",
                "TELEDEPLOY_DOWNLOAD_URI_INFO", "cdn.example.org"));
        assertEquals(new DownloadLocations("cdn.example.org", "d.example:8080/download"), DownloadLocations.of(infoOnly));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy.example.org", "deploy.example.org/download", "deploy.example.org:8443/download",
        "10.0.0.5:8443/a/b-c_d.e~f", "[2001:db8::1]:8443/download", "localhost:80"})
    void goodDownloadLocationsAreAccepted(String location) {
        TeledeployConfig c = TeledeployConfig.load(null, Map.of("TELEDEPLOY_DOWNLOAD_URI_INFO", location));
        assertEquals(Optional.of(location), c.ocs().uriInfo());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x", "http://deploy.example.org/download", "https://deploy.example.org",
        "deploy.example.org/", "deploy.example.org/download/", "deploy.example.org//download", "/download",
        "deploy example.org", "deploy.example.org/a b", "deploy.example.org?x=1", "deploy.example.org:port/x"})
    void badDownloadLocationsAreRefused(String location) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TeledeployConfig.load(null, Map.of("TELEDEPLOY_DOWNLOAD_URI_FRAG", location)));
        assertEquals(List.of("DOWNLOAD_URI_FRAG: " + location + " (expected: host[:port]/path, or empty) "
                + "[from TELEDEPLOY_DOWNLOAD_URI_FRAG]"), e.problems());
    }

    // ---- describe ----------------------------------------------------------------------------------------------

    @Test
    void describePrintsEveryKeyOnceWithItsSource() throws IOException {
        Path file = write("PROLOG_FREQ = 12\ntls.hostnames = deploy.example.org\n");
        TeledeployConfig c = TeledeployConfig.load(file, Map.of("TELEDEPLOY_LISTEN_HTTP", "127.0.0.1:18080"));
        List<String> lines = List.of(c.describe().split("\n"));
        assertEquals("# effective teledeployd configuration (file " + file + ")", lines.get(0));
        assertEquals(ConfigKey.values().length + 1, lines.size(), c.describe());
        for (ConfigKey key : ConfigKey.values()) {
            List<String> mine = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith(key.key() + " = ")) {
                    mine.add(line);
                }
            }
            assertEquals(1, mine.size(), key.key() + ": " + mine);
        }
        assertTrue(lines.contains("listen.http = 127.0.0.1:18080    # TELEDEPLOY_LISTEN_HTTP"), c.describe());
        assertTrue(lines.contains("PROLOG_FREQ = 12    # file"), c.describe());
        assertTrue(lines.contains("FREQUENCY = 0    # default"), c.describe());
        assertTrue(lines.contains("tls.hostnames = deploy.example.org    # file"), c.describe());
        assertTrue(lines.contains("DOWNLOAD_URI_INFO = deploy.example.org:8443/download    # derived from listen.https"),
                c.describe());
        // Each listener advertises its own specific address (here 127.0.0.1 for HTTP), else the first TLS name.
        assertTrue(lines.contains("DOWNLOAD_URI_FRAG = 127.0.0.1:18080/download    # derived from listen.http"),
                c.describe());
        assertTrue(lines.contains("io.threads = " + Runtime.getRuntime().availableProcessors()
                + "    # derived (CPU cores)"), c.describe());
    }

    @Test
    void describeOfDefaultsDerivesTheHostNames() {
        TeledeployConfig c = TeledeployConfig.defaults();
        String text = c.describe();
        assertTrue(text.startsWith("# effective teledeployd configuration\n"), text);
        assertTrue(text.contains("\ntls.hostnames = " + String.join(",", c.tlsHostnames()) + "    # derived\n"), text);
        assertTrue(c.tlsHostnames().containsAll(List.of("localhost", "127.0.0.1")), c.tlsHostnames().toString());
        assertTrue(text.contains("\ntls.cert =     # default\n"), text);
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("teledeploy.properties"), content);
    }
}
