package org.teledeploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.teledeploy.config.ConfigException;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.logging.LogSetup;

/**
 * The {@code teledeployd} command: {@code [--config PATH] [--check-config] [--version] [--help]}. Exit codes:
 * 0 stopped normally, 1 failed to start, 2 bad command line or configuration.
 */
public final class Teledeployd {

    private static final String USAGE = String.join(System.lineSeparator(),
            "Usage: teledeployd [--config PATH] [--check-config] [--version] [--help]",
            "  --config PATH    properties file (default: built-in defaults); every key can also be set",
            "                   from the environment as TELEDEPLOY_<KEY> (upper case, dots as underscores)",
            "  --check-config   print the effective configuration and exit (2 if it is invalid)",
            "  --version        print the version and exit");

    private Teledeployd() {}

    public static void main(String[] args) {
        // Before anything touches java.util.logging: keep the log alive until our shutdown hook is done.
        System.setProperty("java.util.logging.manager", "org.teledeploy.logging.ShutdownSafeLogManager");
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit code (only after the server stopped, when it started one). */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Path configFile = null;
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config":
                    if (i + 1 >= args.length) {
                        err.println("--config: missing PATH");
                        err.println(USAGE);
                        return 2;
                    }
                    configFile = Path.of(args[++i]);
                    break;
                case "--check-config":
                    checkOnly = true;
                    break;
                case "--version":
                    out.println("teledeployd " + version());
                    return 0;
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                default:
                    err.println("unknown argument: " + args[i]);
                    err.println(USAGE);
                    return 2;
            }
        }
        TeledeployConfig config;
        try {
            config = TeledeployConfig.load(configFile, environment);
        } catch (ConfigException e) {
            err.println("teledeployd: invalid configuration:");
            e.problems().forEach(p -> err.println("  " + p));
            return 2;
        }
        if (checkOnly) {
            out.print(config.describe());
            return 0;
        }
        LogSetup.configure(config.logLevel(), config.accessLog());
        TeledeployServer server;
        try {
            server = TeledeployServer.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Teledeployd.class).error("teledeployd failed to start: {}", e.getMessage(), e);
            LogSetup.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            LogSetup.close();
            stopped.countDown();
        }, "teledeploy-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The version baked into the jar at build time. */
    public static String version() {
        try (InputStream in = Teledeployd.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
