package org.teledeploy.protocol;

/**
 * How an agent encoded its request body, detected from its first bytes (shared/ocs-protocol.md §1.2). The reply
 * is always written in the same encoding: every current agent sends zlib and can read only zlib.
 */
public enum BodyEncoding {
    /** RFC 1950 zlib stream ({@code 78 9C}): what both agents send. */
    ZLIB,
    /** RFC 1952 gzip ({@code 1F 8B}): a Unix agent without Compress::Zlib. */
    GZIP,
    /** Uncompressed XML: a Unix agent with neither zlib nor gzip. */
    PLAIN;

    /** The encoding of {@code body}, or null when it is none of the three. */
    public static BodyEncoding detect(byte[] body, int length) {
        if (length >= 2) {
            int b0 = body[0] & 0xFF;
            int b1 = body[1] & 0xFF;
            if (b0 == 0x1F && b1 == 0x8B) {
                return GZIP;
            }
            // RFC 1950: CM = 8 (deflate), CINFO <= 7, and CMF*256 + FLG a multiple of 31.
            if ((b0 & 0x0F) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0) {
                return ZLIB;
            }
        }
        return startsLikeXml(body, length) ? PLAIN : null;
    }

    /**
     * {@code <?xml} (any case) as OCS requires, or any {@code <} start: the Unix agent's result reports have no
     * declaration, so a plain one would too.
     */
    private static boolean startsLikeXml(byte[] body, int length) {
        int i = 0;
        if (length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        return i < length && body[i] == '<';
    }
}
