package org.teledeploy.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A teledeployd in its own JVM (the test's class path), on fixed free 127.0.0.1 ports and a state dir of the
 * test's, so that a test can kill it with SIGKILL at any moment and start it again on the same state.
 */
final class ForkedServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final Path stateDir;
    final int httpPort;
    final int httpsPort;
    final int adminPort;
    private final Path config;
    private final Path log;
    private Process process;

    ForkedServer(Path stateDir) throws IOException {
        this.stateDir = stateDir;
        this.httpPort = freePort();
        this.httpsPort = freePort();
        this.adminPort = freePort();
        this.config = stateDir.resolveSibling(stateDir.getFileName() + ".properties");
        this.log = stateDir.resolveSibling(stateDir.getFileName() + ".log");
        Files.writeString(config, "listen.http = 127.0.0.1:" + httpPort + "\nlisten.https = 127.0.0.1:" + httpsPort
                + "\nlisten.admin = 127.0.0.1:" + adminPort + "\nstate.dir = " + stateDir + "\ntls.hostnames = "
                + "localhost,127.0.0.1\nlog.access = off\nIPDISCOVER = 0\n");
    }

    /** Starts the JVM and waits (bounded) until /health answers. */
    void start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.teledeploy.Teledeployd", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("teledeployd exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                        + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        kill();
        throw new AssertionError("teledeployd not ready within " + START_TIMEOUT + ":\n" + log());
    }

    /** SIGKILL: no shutdown hook, no flush, as a power cut of the process. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    Path database() {
        return stateDir.resolve("teledeploy.db");
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
