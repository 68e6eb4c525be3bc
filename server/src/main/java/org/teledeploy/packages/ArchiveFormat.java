package org.teledeploy.packages;

/** The two payload formats agents extract (shared/ocs-protocol.md §4.2), recognised by their first bytes. */
public enum ArchiveFormat {
    ZIP,
    TAR_GZ;

    /**
     * The format of a file from its first bytes: {@code PK\3\4} (or the empty-zip {@code PK\5\6}) is a zip,
     * {@code 1f 8b} a gzip stream; anything else is neither.
     */
    public static java.util.Optional<ArchiveFormat> sniff(byte[] head, int length) {
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6)) {
            return java.util.Optional.of(ZIP);
        }
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return java.util.Optional.of(TAR_GZ);
        }
        return java.util.Optional.empty();
    }
}
