package org.teledeploy.packages;

import java.util.Locale;

/**
 * The scheme agents use for a package's fragments ({@code PROTO} of the info file): plain HTTP (zero-copy
 * sendfile, the default) or HTTPS (the payload is confidential on the wire). The info file itself is always
 * fetched over HTTPS.
 */
public enum FragmentProtocol {
    HTTP,
    HTTPS;

    public static FragmentProtocol parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("protocol: " + value + " (expected: http or https)");
        }
    }
}
