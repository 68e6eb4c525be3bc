package org.teledeploy.perf.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every simulator command shares: where the server is, who the agents are, where results go. */
public final class CommonOptions {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--server", defaultValue = "http://127.0.0.1:8080/ocsinventory",
            description = "Agent endpoint URL (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--prefix", defaultValue = "bench", description = "DEVICEID prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--from", defaultValue = "0", description = "First device index (default: ${DEFAULT-VALUE})")
    int from;

    @Option(names = "--threads", defaultValue = "2", description = "Event-loop threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Per request (default: ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Option(names = "--ca", description = "CA file to verify the server certificate with (default: trust any)")
    File ca;

    @Option(names = "--admin", description = "Admin URL, e.g. http://127.0.0.1:8081")
    URI admin;

    @Option(names = "--token-file", description = "Admin token file")
    File tokenFile;

    @Option(names = "--server-pid", defaultValue = "0", description = "Server PID, for RSS and open files")
    long serverPid;

    @Option(names = "--out", description = "Also write the JSON result to this file")
    File out;

    AdminClient adminClient() throws IOException {
        if (admin == null) {
            return null;
        }
        if (tokenFile == null) {
            throw new IllegalArgumentException("--token-file: missing (expected: with --admin)");
        }
        return new AdminClient(admin, Files.readString(tokenFile.toPath()).trim());
    }

    FleetTransport transport() throws IOException {
        return new FleetTransport(threads, ca, (int) Math.min(timeoutMillis, 10_000));
    }

    void emit(Map<String, Object> result) throws IOException {
        String text = JSON.writeValueAsString(result);
        System.out.println(text);
        if (out != null) {
            Files.writeString(out.toPath(), text + "\n");
        }
    }
}
