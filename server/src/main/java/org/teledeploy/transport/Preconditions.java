package org.teledeploy.transport;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;

/**
 * The conditional request headers downloads honour (RFC 9110 §13), evaluated against a file's validators: a
 * CDN or proxy revalidating a cached info file or fragment gets a 304 instead of the bytes again, and
 * {@code If-Range} keeps a resumed download from mixing two versions of a file.
 */
final class Preconditions {

    private Preconditions() {}

    /**
     * Whether a GET or HEAD should be answered 304: {@code If-None-Match} when present (weak comparison,
     * {@code *} or a list), else {@code If-Modified-Since} not older than Last-Modified (second precision).
     */
    static boolean notModified(HttpHeaders request, String etag, long lastModifiedMillis) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return matchesAny(ifNoneMatch, etag);
        }
        Date since = date(request.get(HttpHeaderNames.IF_MODIFIED_SINCE));
        return since != null && seconds(lastModifiedMillis) <= seconds(since.getTime());
    }

    /**
     * Whether the request's Range applies: always without {@code If-Range}; with it, only when it is exactly the
     * (strong) ETag or the Last-Modified date. Otherwise the whole file is sent.
     */
    static boolean rangeApplies(HttpHeaders request, String etag, long lastModifiedMillis) {
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        Date date = date(value);
        return date != null && seconds(date.getTime()) == seconds(lastModifiedMillis);
    }

    /** An HTTP date (IMF-fixdate) for Last-Modified. */
    static String httpDate(long millis) {
        return DateFormatter.format(new Date(millis));
    }

    private static boolean matchesAny(String list, String etag) {
        String wanted = opaque(etag);
        for (String candidate : list.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The entity tag without its weakness prefix, for weak comparison. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static Date date(String value) {
        return value == null ? null : DateFormatter.parseHttpDate(value);
    }

    private static long seconds(long millis) {
        return Math.floorDiv(millis, 1000L);
    }
}
