package org.teledeploy.packages;

import java.util.Arrays;

/**
 * The bytes of a package's {@code info} file as served, with their validators.
 *
 * @param bytes the file, exactly as on disk
 * @param etag strong ETag (quoted), derived from the bytes
 * @param modifiedAt epoch milliseconds of the last (re)write, for Last-Modified
 */
public record InfoDocument(byte[] bytes, String etag, long modifiedAt) {

    public InfoDocument {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The length without copying. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoDocument d && Arrays.equals(bytes, d.bytes) && etag.equals(d.etag)
                && modifiedAt == d.modifiedAt;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
