package org.teledeploy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real Debian {@code ocsinventory-agent} against a test server (shared/agent-interop.md): one run = one
 * PROLOG (+ INVENTORY when the server says SEND), always with {@code --nolocal}, a private {@code --basevardir},
 * bounded in time, and every process it leaves behind (the background download worker) killed.
 *
 * <p>Missing agent: the test is skipped on a developer machine, but fails under CI (CI=true), where
 * {@code .ci/run} installs it.
 */
public final class RealAgent {

    public static final String EXECUTABLE = "/usr/bin/ocsinventory-agent";
    private static final Pattern DEVICE_ID = Pattern.compile("<DEVICEID>([^<]+)</DEVICEID>");

    /** How long the background worker may keep working after the agent exits (zero latencies: well under 1 s). */
    private static final Duration WORKER_GRACE = Duration.ofSeconds(10);

    private final Path baseVarDir;

    public RealAgent(Path baseVarDir) {
        this.baseVarDir = baseVarDir;
    }

    /** Skips the calling test when the agent is not installed, except under CI where that is a failure. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(Path.of(EXECUTABLE));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(EXECUTABLE + " is missing: .ci/run must install ocsinventory-agent");
        }
        Assumptions.assumeTrue(installed, EXECUTABLE + " not installed (apt-get install ocsinventory-agent)");
    }

    /** What one run did. */
    public record Run(int exitCode, String output, String log) {}

    /**
     * Runs the agent once.
     *
     * @param serverUrl full URL, e.g. {@code http://127.0.0.1:PORT/ocsinventory}
     * @param caFile the CA file for HTTPS, or null
     * @param extraArgs e.g. {@code --nosoftware}, {@code --tag=paris}
     */
    public Run run(String serverUrl, Path caFile, Duration timeout, String... extraArgs)
            throws IOException, InterruptedException {
        Files.createDirectories(baseVarDir);
        Path logFile = baseVarDir.resolve("agent.log");
        Files.deleteIfExists(logFile);
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "--nolocal", "--server", serverUrl,
                "--basevardir", baseVarDir.toString(), "--logfile", logFile.toString(), "--debug"));
        if (caFile != null) {
            command.add("--ca");
            command.add(caFile.toString());
        }
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        // The output pipe is inherited by the agent's background worker; read it on a thread, never wait for EOF.
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "agent-output");
        reader.setDaemon(true);
        reader.start();
        int exit;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ocsinventory-agent did not finish within " + timeout + "; output: " + output);
            }
            exit = process.exitValue();
            // The background download worker holds the output pipe: EOF means it is done too.
            reader.join(WORKER_GRACE.toMillis());
        } finally {
            killLeftovers();
        }
        reader.join(2000);
        String log = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
        synchronized (output) {
            return new Run(exit, output.toString(), log);
        }
    }

    /** The DEVICEID the agent made for this base dir and server URL (from its ocsinv.conf). */
    public String deviceId(String serverUrl) throws IOException {
        Path conf = varDir(serverUrl).resolve("ocsinv.conf");
        Matcher m = DEVICE_ID.matcher(Files.readString(conf, StandardCharsets.ISO_8859_1));
        if (!m.find()) {
            throw new AssertionError("no DEVICEID in " + conf);
        }
        return m.group(1);
    }

    /** {@code <basevardir>/<server URL with every / as _>}, where the agent keeps its state for that server. */
    public Path varDir(String serverUrl) {
        return baseVarDir.resolve(serverUrl.replace('/', '_'));
    }

    /**
     * Kills every process still running with this agent's private base dir on its command line: the forked
     * download worker is re-parented to init when the agent exits, so it is no descendant of the test.
     */
    private void killLeftovers() {
        String marker = baseVarDir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static void copy(InputStream in, StringBuilder out) {
        byte[] buf = new byte[4096];
        try (InputStream input = in) {
            int n;
            while ((n = input.read(buf)) > 0) {
                synchronized (out) {
                    out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException ignored) {
            // the process died: we have what it wrote
        }
    }
}
