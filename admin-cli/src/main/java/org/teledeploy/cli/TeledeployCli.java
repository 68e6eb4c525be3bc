package org.teledeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code teledeploy} command: administers a teledeploy server through its admin API.
 *
 * <p>For now it only knows its version; the package lifecycle commands arrive with the admin API.
 */
@Command(
        name = "teledeploy",
        mixinStandardHelpOptions = true,
        versionProvider = TeledeployCli.VersionProvider.class,
        description = "Administer a teledeploy server (OCS Inventory NG compatible software deployment).")
public final class TeledeployCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        return new CommandLine(new TeledeployCli());
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
