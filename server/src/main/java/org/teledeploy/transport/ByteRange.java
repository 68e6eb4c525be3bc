package org.teledeploy.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * One satisfiable byte range of a file, from a {@code Range} header: {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-suffix} (RFC 9110 §14.1.2). Agents never send Range, but download tools and CDNs in front of the
 * server do; a single range keeps responses simple (no multipart/byteranges), and every other form is refused
 * with 416 and the rule it broke, rather than silently served whole.
 *
 * @param first offset of the first byte
 * @param last offset of the last byte (inclusive, at most size - 1)
 */
record ByteRange(long first, long last) {

    private static final String FORMS = "expected bytes=<first>-<last>, bytes=<first>- or bytes=-<suffix>";

    /**
     * Resolves {@code header} against a file of {@code size} bytes; a last byte past the end is clamped.
     *
     * @throws DownloadRefusal 416 with {@code Content-Range: bytes *}{@code /size}
     */
    static ByteRange parse(String header, long size) throws DownloadRefusal {
        String value = header.trim();
        int equals = value.indexOf('=');
        if (equals < 0) {
            throw unsatisfiable("malformed, " + FORMS, size);
        }
        String unit = value.substring(0, equals).trim();
        if (unit.isEmpty()) {
            throw unsatisfiable("malformed, " + FORMS, size);
        }
        if (!unit.equalsIgnoreCase("bytes")) {
            throw unsatisfiable("unit " + AccessLog.safe(unit, 16) + " is not supported, only bytes", size);
        }
        String spec = value.substring(equals + 1).trim();
        if (spec.indexOf(',') >= 0) {
            throw unsatisfiable("only one range is supported", size);
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || dash != spec.lastIndexOf('-')) {
            throw unsatisfiable("malformed, " + FORMS, size);
        }
        String from = spec.substring(0, dash);
        String to = spec.substring(dash + 1);
        if (from.isEmpty()) {
            return suffix(number(to, size), size);
        }
        long first = number(from, size);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to, size);
        if (first > last) {
            throw unsatisfiable("first byte " + first + " is after last byte " + last, size);
        }
        if (first >= size) {
            throw unsatisfiable("first byte " + first + " is at or past the end", size);
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }

    private static ByteRange suffix(long length, long size) throws DownloadRefusal {
        if (length == 0) {
            throw unsatisfiable("a suffix of 0 bytes selects nothing", size);
        }
        if (size == 0) {
            throw unsatisfiable("the file is empty", size);
        }
        return new ByteRange(Math.max(0, size - length), size - 1);
    }

    private static long number(String digits, long size) throws DownloadRefusal {
        if (digits.isEmpty()) {
            throw unsatisfiable("malformed, " + FORMS, size);
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw unsatisfiable("malformed, " + FORMS, size);
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw unsatisfiable("number " + AccessLog.safe(digits, 24) + " is too large", size);
        }
    }

    private static DownloadRefusal unsatisfiable(String rule, long size) {
        return new DownloadRefusal(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                "Range not satisfiable: " + rule + " (the file has " + size + " bytes)")
                .with(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
    }

    /** Number of bytes in the range. */
    long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} of a 206 for a file of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
