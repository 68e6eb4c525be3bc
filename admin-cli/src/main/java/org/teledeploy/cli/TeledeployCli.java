package org.teledeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code teledeploy} command: the whole package lifecycle through the admin API (docs/admin-api.md), for a
 * person (tables) or a script ({@code --json}, exit codes 0 ok, 1 server or runtime error, 2 usage or invalid
 * input, 3 not found, 4 conflict or invalid state; errors on stderr in one line).
 */
@Command(
        name = "teledeploy",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = TeledeployCli.VersionProvider.class,
        description = "Administer a teledeploy server (OCS Inventory NG compatible software deployment).",
        subcommands = {
            PackageCommands.class,
            DeployCommands.Deploy.class,
            DeployCommands.Undeploy.class,
            DeployCommands.Reset.class,
            StatsCommand.class,
            DeviceCommands.class,
            GroupCommands.class,
            NetworkCommands.class,
            ConfigCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class TeledeployCli implements Runnable {

    @Mixin
    Connection connection;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;
    private ApiClient client;

    private TeledeployCli(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The configured command line, reading settings from {@code environment} (tests pass their own). */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new TeledeployCli(environment));
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ApiException api) {
                commandLine.getErr().println("teledeploy: " + api.getMessage());
                return api.exitCode();
            }
            commandLine.getErr().println("teledeploy: unexpected error: " + e);
            return ApiException.RUNTIME;
        });
        return cli;
    }

    /** The configured picocli command line for the process environment. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    ApiClient client() {
        if (client == null) {
            client = connection.client(environment);
        }
        return client;
    }

    @Override
    public void run() {
        // Without a subcommand, print the usage (as git does) and fail with the usage exit code.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    /** The version baked into the jar at build time. */
    public static String version() {
        try (InputStream in = TeledeployCli.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"teledeploy " + version()};
        }
    }
}
