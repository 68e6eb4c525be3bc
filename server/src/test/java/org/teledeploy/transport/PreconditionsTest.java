package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class PreconditionsTest {

    private static final String ETAG = "\"1-1-100-1709630000000\"";
    /** Tue, 05 Mar 2024 09:13:20.250 GMT: Last-Modified keeps the second only. */
    private static final long MODIFIED = 1_709_630_000_250L;

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void lastModifiedIsAnImfFixdate() {
        assertEquals("Tue, 05 Mar 2024 09:13:20 GMT", Preconditions.httpDate(MODIFIED));
    }

    @Test
    void ifNoneMatchComparesWeaklyAndTakesListsAndStar() {
        assertTrue(Preconditions.notModified(headers("If-None-Match", ETAG), ETAG, MODIFIED));
        assertTrue(Preconditions.notModified(headers("If-None-Match", "W/" + ETAG), ETAG, MODIFIED));
        assertTrue(Preconditions.notModified(headers("If-None-Match", "\"x\", " + ETAG + " ,\"y\""), ETAG, MODIFIED));
        assertTrue(Preconditions.notModified(headers("If-None-Match", "*"), ETAG, MODIFIED));
        assertFalse(Preconditions.notModified(headers("If-None-Match", "\"1-1-100-1\""), ETAG, MODIFIED));
        assertFalse(Preconditions.notModified(headers(), ETAG, MODIFIED));
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        assertFalse(Preconditions.notModified(headers("If-None-Match", "\"other\"",
                "If-Modified-Since", "Tue, 05 Mar 2024 09:13:20 GMT"), ETAG, MODIFIED));
    }

    @Test
    void ifModifiedSinceHasSecondPrecision() {
        assertTrue(Preconditions.notModified(headers("If-Modified-Since", "Tue, 05 Mar 2024 09:13:20 GMT"), ETAG, MODIFIED));
        assertTrue(Preconditions.notModified(headers("If-Modified-Since", "Wed, 06 Mar 2024 00:00:00 GMT"), ETAG, MODIFIED));
        assertFalse(Preconditions.notModified(headers("If-Modified-Since", "Tue, 05 Mar 2024 09:13:19 GMT"), ETAG, MODIFIED));
        assertFalse(Preconditions.notModified(headers("If-Modified-Since", "yesterday"), ETAG, MODIFIED));
    }

    @Test
    void ifRangeNeedsTheExactEtagOrDate() {
        assertTrue(Preconditions.rangeApplies(headers(), ETAG, MODIFIED));
        assertTrue(Preconditions.rangeApplies(headers("If-Range", ETAG), ETAG, MODIFIED));
        assertFalse(Preconditions.rangeApplies(headers("If-Range", "W/" + ETAG), ETAG, MODIFIED), "strong comparison");
        assertFalse(Preconditions.rangeApplies(headers("If-Range", "\"other\""), ETAG, MODIFIED));
        assertTrue(Preconditions.rangeApplies(headers("If-Range", "Tue, 05 Mar 2024 09:13:20 GMT"), ETAG, MODIFIED));
        assertFalse(Preconditions.rangeApplies(headers("If-Range", "Tue, 05 Mar 2024 09:13:21 GMT"), ETAG, MODIFIED));
        assertFalse(Preconditions.rangeApplies(headers("If-Range", "garbage"), ETAG, MODIFIED));
    }
}
