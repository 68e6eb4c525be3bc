package org.teledeploy.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Configures java.util.logging, where everything ends up (Netty and sqlite-jdbc log through SLF4J, bridged by
 * slf4j-jdk14): readable one-line application logs on stdout, and the access log on stdout, in a file or off.
 * Both are written by background threads so that an event loop never blocks on a slow terminal or disk.
 */
public final class LogSetup {

    /** The logger the access log writes to; it does not propagate to the application log. */
    public static final String ACCESS_LOGGER = "teledeploy.access";

    private static Handler applicationHandler;
    private static Handler accessHandler;
    // java.util.logging keeps loggers weakly: without these references a configured logger can be collected
    // and silently replaced by a fresh one with default settings.
    private static Logger nettyLogger;
    private static Logger accessLogger;

    private LogSetup() {}

    /**
     * @param level error, warn, info, debug or trace
     * @param access stdout, off, or a file path
     */
    public static synchronized void configure(String level, String access) {
        close();
        if (LogManager.getLogManager() instanceof ShutdownSafeLogManager manager) {
            manager.resetNow();
        } else {
            LogManager.getLogManager().reset();
        }
        Logger root = Logger.getLogger("");
        Level julLevel = toJul(level);
        root.setLevel(julLevel);
        applicationHandler = new AsyncLineHandler(System.out, new OneLineFormatter(), "teledeploy-log-writer");
        applicationHandler.setLevel(julLevel);
        root.addHandler(applicationHandler);
        // Netty is chatty at debug level about its internals; keep it at info unless tracing.
        if (julLevel.intValue() > Level.FINEST.intValue()) {
            nettyLogger = Logger.getLogger("io.netty");
            nettyLogger.setLevel(Level.INFO);
        }

        accessLogger = Logger.getLogger(ACCESS_LOGGER);
        accessLogger.setUseParentHandlers(false);
        if (access.equalsIgnoreCase("off")) {
            accessLogger.setLevel(Level.OFF);
            return;
        }
        accessLogger.setLevel(Level.INFO);
        PrintStream stream = access.equalsIgnoreCase("stdout") ? System.out : openAppend(Path.of(access));
        accessHandler = new AsyncLineHandler(stream, new AccessLineFormatter(), "teledeploy-access-writer");
        accessLogger.addHandler(accessHandler);
    }

    /** Changes the application log level of a configured log (a reload), leaving the access log as it is. */
    public static synchronized void setLevel(String level) {
        Level julLevel = toJul(level);
        Logger.getLogger("").setLevel(julLevel);
        if (applicationHandler != null) {
            applicationHandler.setLevel(julLevel);
        }
        if (julLevel.intValue() <= Level.FINEST.intValue()) {
            if (nettyLogger != null) {
                nettyLogger.setLevel(null); // tracing: Netty's internals too, as configure does
            }
        } else {
            nettyLogger = Logger.getLogger("io.netty");
            nettyLogger.setLevel(Level.INFO);
        }
    }

    /** Flushes and stops the writer threads (at shutdown). */
    public static synchronized void close() {
        if (applicationHandler != null) {
            applicationHandler.close();
            applicationHandler = null;
        }
        if (accessHandler != null) {
            accessHandler.close();
            accessHandler = null;
        }
    }

    private static PrintStream openAppend(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new PrintStream(out, false, "UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("log.access: " + file + " (expected: a writable file)", e);
        }
    }

    static Level toJul(String level) {
        switch (level.toLowerCase(Locale.ROOT)) {
            case "error": return Level.SEVERE;
            case "warn": return Level.WARNING;
            case "debug": return Level.FINE;
            case "trace": return Level.FINEST;
            default: return Level.INFO;
        }
    }
}
