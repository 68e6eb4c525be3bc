package org.teledeploy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.teledeploy.TeledeployServer;
import org.teledeploy.config.TeledeployConfig;

/**
 * Starts a real teledeployd on ephemeral 127.0.0.1 ports with a temporary state dir. Register it as a static
 * field for one server per class, or an instance field for one per test:
 *
 * <pre>{@code @RegisterExtension static TeledeployServerExtension server = TeledeployServerExtension.create().with("FREQUENCY", "1");}</pre>
 *
 * {@link #restart()} stops the server and starts a new one on the same state dir (new ports).
 */
public final class TeledeployServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final Map<String, String> settings = new HashMap<>();
    private Clock clock = Clock.systemUTC();
    private Path stateDir;
    private TeledeployServer server;
    private boolean perClass;

    private TeledeployServerExtension() {
        settings.put("listen.http", "127.0.0.1:0");
        settings.put("listen.https", "127.0.0.1:0");
        settings.put("listen.admin", "127.0.0.1:0");
        settings.put("tls.hostnames", "localhost,127.0.0.1");
        settings.put("log.access", "off");
        settings.put("store.synchronous", "normal");
        // No network discovery unless a test asks for it: an elected real agent would ARP-scan the network of
        // its default route (whatever subnet it is given), and PROLOG replies would change under other tests.
        settings.put("IPDISCOVER", "0");
        // Tests that leave a request half sent must not wait the production default at each stop.
        settings.put("timeout.shutdown", "1s");
    }

    public static TeledeployServerExtension create() {
        return new TeledeployServerExtension();
    }

    /** Sets a configuration key (file name, e.g. {@code FREQUENCY} or {@code limit.body.size}). */
    public TeledeployServerExtension with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public TeledeployServerExtension clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        startFresh();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAndDelete();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            startFresh();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stopAndDelete();
        }
    }

    private void startFresh() throws IOException {
        stateDir = Files.createTempDirectory("teledeploy-test-");
        start();
    }

    private void start() throws IOException {
        Path file = stateDir.resolve("test.properties");
        StringBuilder sb = new StringBuilder();
        Map<String, String> all = new HashMap<>(settings);
        all.put("state.dir", stateDir.toString());
        all.forEach((k, v) -> sb.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, sb);
        server = TeledeployServer.start(TeledeployConfig.load(file, Map.of()), clock);
    }

    /** Stops the server and starts a new one on the same state dir. */
    public void restart() throws IOException {
        server.close();
        start();
    }

    private void stopAndDelete() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (stateDir != null) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp dir: best effort
            }
        }
    }

    public TeledeployServer server() {
        return server;
    }

    public Path stateDir() {
        return stateDir;
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + server.httpPort() + "/ocsinventory";
    }

    public String httpsUrl() {
        return "https://127.0.0.1:" + server.httpsPort() + "/ocsinventory";
    }

    /** A protocol client for the HTTP listener. */
    public OcsClient client() {
        return new OcsClient("127.0.0.1", server.httpPort());
    }
}
