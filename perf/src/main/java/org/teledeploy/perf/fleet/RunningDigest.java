package org.teledeploy.perf.fleet;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A package digest computed over its fragments as they arrive; a fragment download that fails half-way is
 * retried from the digest of the fragments before it ({@link #attempt} works on a copy, {@link #commit} keeps it).
 */
final class RunningDigest {

    private MessageDigest committed;

    RunningDigest(String ocsAlgorithm) {
        String jdk = "SHA1".equalsIgnoreCase(ocsAlgorithm) ? "SHA-1" : "MD5";
        try {
            committed = MessageDigest.getInstance(jdk);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdk + " is part of every JDK", e);
        }
    }

    MessageDigest attempt() {
        try {
            return (MessageDigest) committed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("MD5 and SHA-1 digests are cloneable in the JDK", e);
        }
    }

    void commit(MessageDigest attempt) {
        committed = attempt;
    }

    /** Whether the digest matches the info file's {@code DIGEST} ({@code Hexa} or {@code Base64}). */
    boolean matches(String expected, String encoding) {
        byte[] d = attempt().digest();
        String actual = "Base64".equalsIgnoreCase(encoding) ? Base64.getEncoder().encodeToString(d)
                : HexFormat.of().formatHex(d);
        return actual.equalsIgnoreCase(expected);
    }
}
