package org.teledeploy.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs an external tool (openssl) for the tests, with its output captured and a hard 10 s limit. */
final class Processes {

    static final long TIMEOUT_SECONDS = 10;

    /** The exit code and the merged stdout/stderr of one run. */
    record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(new byte[0], List.of(command));
    }

    static Result run(byte[] stdin, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            process.getOutputStream().write(stdin);
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(command + ": cannot read its output", e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
