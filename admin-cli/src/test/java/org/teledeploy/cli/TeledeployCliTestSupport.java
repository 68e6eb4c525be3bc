package org.teledeploy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.teledeploy.testing.TeledeployServerExtension;

/** Runs the CLI in-process with an explicit server or token, for the failure cases. */
final class TeledeployCliTestSupport {

    private TeledeployCliTestSupport() {}

    /** Runs the CLI against {@code server} with its token file. */
    static CliLifecycleTest.Result cli(TeledeployServerExtension server, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", "http://127.0.0.1:" + server.server().adminPort(),
                "--token-file", server.stateDir().resolve("admin.token").toString()));
        all.addAll(List.of(args));
        return run(all);
    }

    static CliLifecycleTest.Result withToken(TeledeployServerExtension server, String token, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", "http://127.0.0.1:" + server.server().adminPort(),
                "--token", token));
        all.addAll(List.of(args));
        return run(all);
    }

    static CliLifecycleTest.Result against(String url, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", url, "--token", "x"));
        all.addAll(List.of(args));
        return run(all);
    }

    private static CliLifecycleTest.Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = TeledeployCli.commandLine(Map.of());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));
        return new CliLifecycleTest.Result(exit, out.toString(), err.toString());
    }
}
