package org.teledeploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.teledeploy.config.ConfigException;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.lifecycle.Signals;
import org.teledeploy.lifecycle.SystemdNotifier;
import org.teledeploy.logging.LogSetup;

/**
 * The {@code teledeployd} command: {@code [--config PATH] [--check-config] [--version] [--help]}. Exit codes:
 * 0 stopped normally (SIGTERM, SIGINT), 1 failed to start, 2 bad command line or configuration. SIGHUP reloads the
 * TLS certificate and {@code log.level}. Under systemd ({@code Type=notify}) it reports readiness once every
 * listener is bound and the state is open, and the start of a stop.
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
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Teledeployd.class);
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment(environment);
        TeledeployServer server;
        try {
            server = TeledeployServer.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            log.error("teledeployd failed to start: {}", e.getMessage(), e);
            systemd.close();
            LogSetup.close();
            return 1;
        }
        Stopper stopper = new Stopper(server, systemd);
        // SIGTERM (systemctl stop, docker stop, kill) and SIGINT (Ctrl-C) stop the server on the main thread, which
        // then exits 0. Without signal handlers (a JVM without sun.misc.Signal, or -Xrs) the JVM's default applies:
        // the shutdown hook below stops the server and the JVM exits 143 (the unit accepts it).
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signals.handle(signal, () -> {
                if (stopRequested.getCount() > 0) {
                    log.info("SIG{}: stopping", signal);
                    stopRequested.countDown();
                }
            });
        }
        Path file = configFile;
        Signals.handle("HUP", () -> reload(server, file, environment, log));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopper.stop();
            stopRequested.countDown();
        }, "teledeploy-shutdown"));
        systemd.ready("serving agents on " + listening(server));
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopper.stop();
        return 0;
    }

    /** SIGHUP: reads the configuration again and applies what can change without a restart. */
    private static void reload(TeledeployServer server, Path configFile, Map<String, String> environment,
                               org.slf4j.Logger log) {
        log.info("SIGHUP: reloading the TLS certificate and log.level{}",
                configFile == null ? "" : " from " + configFile);
        TeledeployConfig config;
        try {
            config = TeledeployConfig.load(configFile, environment);
        } catch (ConfigException e) {
            log.error("SIGHUP: configuration not reloaded, nothing changed: {}", String.join("; ", e.problems()));
            return;
        }
        server.reload(config);
    }

    private static String listening(TeledeployServer server) {
        List<String> parts = new java.util.ArrayList<>();
        if (server.httpPort() > 0) {
            parts.add("HTTP " + server.httpPort());
        }
        if (server.httpsPort() > 0) {
            parts.add("HTTPS " + server.httpsPort());
        }
        if (server.adminPort() > 0) {
            parts.add("admin " + server.adminPort());
        }
        return String.join(", ", parts);
    }

    /** Stops the server once, whoever asks first (the main thread or the shutdown hook); others wait for it. */
    private static final class Stopper {
        private final TeledeployServer server;
        private final SystemdNotifier systemd;
        private boolean stopped;

        Stopper(TeledeployServer server, SystemdNotifier systemd) {
            this.server = server;
            this.systemd = systemd;
        }

        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            systemd.stopping("stopping: finishing requests in progress, committing writes");
            server.close();
            systemd.close();
            LogSetup.close();
        }
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
