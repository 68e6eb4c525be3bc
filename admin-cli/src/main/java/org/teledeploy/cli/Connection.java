package org.teledeploy.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the server is and how to authenticate, from options, the environment, or the defaults: a local server
 * ({@code http://127.0.0.1:8081}) and the token file it wrote ({@code var/admin.token} when run from the
 * directory the server was started in, else {@code /var/lib/teledeploy/admin.token}).
 */
final class Connection {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8081";
    static final List<Path> DEFAULT_TOKEN_FILES = List.of(Path.of("var", "admin.token"),
            Path.of("/var/lib/teledeploy/admin.token"));

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Admin API of the server (default: $TELEDEPLOY_SERVER, else " + DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Admin token (default: $TELEDEPLOY_TOKEN, else the token file).")
    String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "File holding the admin token (default: $TELEDEPLOY_TOKEN_FILE, else var/admin.token, "
                    + "else /var/lib/teledeploy/admin.token).")
    Path tokenFile;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print exactly one JSON document instead of tables.")
    boolean json;

    /** The client for these settings, read in {@code environment}. */
    ApiClient client(Map<String, String> environment) {
        String url = server != null ? server : environment.getOrDefault("TELEDEPLOY_SERVER", DEFAULT_SERVER);
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
            if (base.getScheme() == null || base.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiException.USAGE, "server: " + url + " (expected: a URL such as "
                    + DEFAULT_SERVER + ")");
        }
        return new ApiClient(base, token(environment));
    }

    private String token(Map<String, String> environment) {
        if (token != null) {
            return token.strip();
        }
        if (environment.containsKey("TELEDEPLOY_TOKEN")) {
            return environment.get("TELEDEPLOY_TOKEN").strip();
        }
        Path file = tokenFile != null ? tokenFile
                : environment.containsKey("TELEDEPLOY_TOKEN_FILE") ? Path.of(environment.get("TELEDEPLOY_TOKEN_FILE"))
                : DEFAULT_TOKEN_FILES.stream().filter(Files::isReadable).findFirst().orElse(null);
        if (file == null) {
            throw new ApiException(ApiException.RUNTIME, "no admin token: give --token, TELEDEPLOY_TOKEN or"
                    + " --token-file (the server writes <state.dir>/admin.token at its first start)");
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new ApiException(ApiException.RUNTIME, "token file: " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
