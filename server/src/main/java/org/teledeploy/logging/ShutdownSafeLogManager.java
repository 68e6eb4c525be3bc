package org.teledeploy.logging;

import java.util.logging.LogManager;

/**
 * A LogManager that the JVM's own shutdown hook cannot reset: java.util.logging closes every handler in a
 * shutdown hook of its own, racing with teledeployd's, so the last lines of a stop ("teledeployd stopped") were
 * lost. {@link LogSetup} resets explicitly instead. Installed by {@code teledeployd}'s main through the
 * {@code java.util.logging.manager} system property, before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {

    /** Ignored: the JVM's cleaner calls it at shutdown; {@link LogSetup} uses {@link #resetNow()}. */
    @Override
    public void reset() {
        // deliberately nothing
    }

    void resetNow() {
        super.reset();
    }
}
