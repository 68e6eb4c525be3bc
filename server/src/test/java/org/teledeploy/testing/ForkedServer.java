package org.teledeploy.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * teledeployd in a JVM of its own ({@code java -cp <this test classpath> org.teledeploy.Teledeployd --config
 * FILE}), so that tests can send it real signals and look at its exit code: ephemeral 127.0.0.1 ports (read
 * from its log), output in a file, every wait bounded. {@link #close()} kills it if it is still running.
 */
public final class ForkedServer implements AutoCloseable {

    /** How long a start may take (a loaded CI machine, a cold JIT). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern LISTENER = Pattern.compile("(HTTP|HTTPS|admin) listener on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final Map<String, Integer> ports;

    private ForkedServer(Process process, Path log, Map<String, Integer> ports) {
        this.process = process;
        this.log = log;
        this.ports = ports;
    }

    /**
     * Writes {@code settings} (plus ephemeral 127.0.0.1 listeners and {@code state.dir = dir/state}, unless set)
     * to {@code dir/teledeploy.properties}, starts the server and waits until {@code /health} answers.
     *
     * @param jvmOptions extra JVM options, e.g. {@code -Dteledeploy.tls.check.seconds=1}
     */
    public static ForkedServer start(Path dir, Map<String, String> settings, String... jvmOptions)
            throws IOException, InterruptedException {
        return start(dir, settings, Map.of(), jvmOptions);
    }

    /** {@link #start(Path, Map, String...)} with extra environment variables (e.g. {@code NOTIFY_SOCKET}). */
    public static ForkedServer start(Path dir, Map<String, String> settings, Map<String, String> environment,
                                     String... jvmOptions) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("listen.http", "127.0.0.1:0");
        all.put("listen.https", "127.0.0.1:0");
        all.put("listen.admin", "127.0.0.1:0");
        all.put("tls.hostnames", "localhost,127.0.0.1");
        all.put("store.synchronous", "normal");
        all.put("IPDISCOVER", "0"); // as in TeledeployServerExtension: no agent is elected to scan a network
        all.put("state.dir", dir.resolve("state").toString());
        all.putAll(settings);
        StringBuilder sb = new StringBuilder();
        all.forEach((k, v) -> sb.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
        Path config = Files.writeString(dir.resolve("teledeploy.properties"), sb);
        Path log = dir.resolve("teledeployd.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; these servers live for seconds
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.teledeploy.Teledeployd",
                "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // A test JVM started by systemd (a CI runner unit) must not have its child report readiness for it.
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().keySet().removeIf(k -> k.startsWith("TELEDEPLOY_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        ForkedServer server = new ForkedServer(process, log, new LinkedHashMap<>());
        try {
            server.awaitStarted();
            return server;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    private void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("teledeployd exited with " + process.exitValue() + " while starting:\n" + log());
            }
            String text = log();
            if (text.contains("teledeployd ") && text.contains(" started in ")) {
                Matcher m = LISTENER.matcher(text);
                while (m.find()) {
                    ports.put(m.group(1), Integer.parseInt(m.group(2)));
                }
                if (ports.containsKey("admin") && health() == 200) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("teledeployd did not start within " + START_TIMEOUT + ":\n" + log());
    }

    private int health() throws InterruptedException {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public int httpPort() {
        return ports.getOrDefault("HTTP", -1);
    }

    public int httpsPort() {
        return ports.getOrDefault("HTTPS", -1);
    }

    public int adminPort() {
        return ports.getOrDefault("admin", -1);
    }

    /** Everything the server printed so far (application log and access log). */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Sends {@code SIG<name>} with kill(1) (ProcessHandle can only send TERM and KILL). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Waits until the log contains {@code text}, at most {@code timeout}. */
    public void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        await(() -> {
            try {
                return log().contains(text);
            } catch (IOException e) {
                return false;
            }
        }, timeout, "\"" + text + "\" in the log");
    }

    /** Waits until {@code condition} holds, at most {@code timeout}. */
    public void await(BooleanSupplier condition, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + ":\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, then waits for the exit (at most {@code timeout}); returns the exit code. */
    public int stop(Duration timeout) throws IOException, InterruptedException {
        process.destroy(); // SIGTERM on Unix
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("teledeployd did not exit within " + timeout + " after SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
