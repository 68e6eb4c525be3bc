package org.teledeploy.testing;

import java.io.IOException;
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
 *
 * <p>The agent never scans a network: it runs with a directory of stand-ins for {@code ipdiscover} and
 * {@code nmap} first in its PATH (its IpDiscover backends find them with {@code which} and run them through the
 * shell). The {@code ipdiscover} stand-in prints nothing unless a test gives it the lines to print
 * ({@link #withIpdiscover}); both record their arguments in {@link #scannerCalls()}.
 */
public final class RealAgent {

    public static final String EXECUTABLE = "/usr/bin/ocsinventory-agent";
    private static final Pattern DEVICE_ID = Pattern.compile("<DEVICEID>([^<]+)</DEVICEID>");

    /** How long the background worker may keep working after the agent exits (zero latencies: seconds). */
    private static final Duration WORKER_GRACE = Duration.ofSeconds(30);

    private final Path baseVarDir;
    private String ipdiscoverOutput = "";

    public RealAgent(Path baseVarDir) {
        this.baseVarDir = baseVarDir;
    }

    /**
     * What the {@code ipdiscover} stand-in prints when the agent runs a scan (lines in the real binary's format,
     * {@code <H><I>ip</I><M>mac</M><N>name</N></H>}); without it, nothing, as on a network where nobody answers.
     */
    public RealAgent withIpdiscover(String output) {
        this.ipdiscoverOutput = output;
        return this;
    }

    /** The directory placed first in the agent's PATH, holding the scanner stand-ins. */
    public Path scannerDir() {
        return baseVarDir.resolve("no-scan-bin");
    }

    /** Every call of a stand-in, one line each: {@code ipdiscover ARGS} or {@code nmap ARGS}. */
    public List<String> scannerCalls() throws IOException {
        Path calls = scannerDir().resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
    }

    private void writeScannerStandIns() throws IOException {
        Path dir = Files.createDirectories(scannerDir());
        Path output = dir.resolve("ipdiscover.out");
        Files.writeString(output, ipdiscoverOutput, StandardCharsets.UTF_8);
        // The version probe (no argument) is answered like ipdiscover 5 does, so the agent passes IPDISC_LAT.
        String calls = "'" + dir.resolve("calls") + "'";
        script(dir.resolve("ipdiscover"), "if [ $# -eq 0 ]; then echo ipdiscover >> " + calls
                + "; echo 'IPDISCOVER binary ver. 5'; exit 0; fi\n"
                + "echo \"ipdiscover $*\" >> " + calls + "\ncat '" + output + "'\n");
        script(dir.resolve("nmap"), "echo \"nmap $*\" >> " + calls + "\nexit 1\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n# teledeploy test stand-in: never scans anything\n" + body,
                StandardCharsets.UTF_8);
        if (!file.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + file + " executable");
        }
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
        // Output goes to a file, not a pipe: the background worker inherits it, and Java closes the read end of a
        // child's pipe when the child exits, so the worker's next write (tar -v listing files) would die of
        // SIGPIPE and the package fail to extract (observed).
        Path outputFile = baseVarDir.resolve("agent.out");
        writeScannerStandIns();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        String path = builder.environment().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        builder.environment().put("PATH", scannerDir() + ":" + path);
        Process process = builder.start();
        int exit;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ocsinventory-agent did not finish within " + timeout + "; output: "
                        + read(outputFile));
            }
            exit = process.exitValue();
            awaitWorker();
        } finally {
            killLeftovers();
        }
        return new Run(exit, read(outputFile), read(logFile));
    }

    /**
     * Waits (bounded) until the download worker the agent forked, and whatever it runs (tar, cp, the package's
     * command), has exited: every such process has this agent's private base dir on its command line.
     */
    private void awaitWorker() throws InterruptedException {
        long deadline = System.nanoTime() + WORKER_GRACE.toNanos();
        while (System.nanoTime() < deadline && !leftovers().isEmpty()) {
            Thread.sleep(20);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
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
        leftovers().forEach(ProcessHandle::destroyForcibly);
    }

    private List<ProcessHandle> leftovers() {
        String marker = baseVarDir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }
}
