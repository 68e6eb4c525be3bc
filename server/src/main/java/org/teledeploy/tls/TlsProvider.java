package org.teledeploy.tls;

import java.util.Locale;

/**
 * Which TLS implementation the HTTPS listener uses. BoringSSL (netty-tcnative) is faster and is what the agents'
 * OpenSSL-based clients are most often tested against; the JDK's implementation is the portable fallback.
 */
public enum TlsProvider {
    /** BoringSSL when netty-tcnative loads on this platform, else the JDK (with a warning). */
    AUTO,
    /** BoringSSL via netty-tcnative; refuses to start without it. */
    OPENSSL,
    /** The JDK's own TLS implementation (SunJSSE). */
    JDK;

    /** Parses a configuration value such as {@code auto}, case-insensitively. */
    public static TlsProvider fromConfig(String value) {
        if (value != null) {
            for (TlsProvider provider : values()) {
                if (provider.name().equalsIgnoreCase(value.trim())) {
                    return provider;
                }
            }
        }
        throw new IllegalArgumentException("tls.provider: " + value + " (expected: one of "
                + AUTO.name().toLowerCase(Locale.ROOT) + ", " + OPENSSL.name().toLowerCase(Locale.ROOT) + ", "
                + JDK.name().toLowerCase(Locale.ROOT) + ")");
    }
}
