package org.teledeploy.packages;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The digest over the whole archive that agents check (shared/ocs-protocol.md §4.4): MD5 (what OCS writes and the
 * default) or SHA1, written in upper case as {@code DIGEST_ALGO}, with the value in lower-case hex.
 */
public enum DigestAlgorithm {
    MD5("MD5"),
    SHA1("SHA-1");

    private final String jcaName;

    DigestAlgorithm(String jcaName) {
        this.jcaName = jcaName;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is missing from this JVM", e);
        }
    }

    public static DigestAlgorithm parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("digest: " + value + " (expected: md5 or sha1)");
        }
    }
}
