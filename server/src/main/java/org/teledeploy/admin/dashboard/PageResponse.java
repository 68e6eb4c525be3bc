package org.teledeploy.admin.dashboard;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dashboard answer before it is written: a status, an HTML page (empty for a redirect) and the headers it needs
 * besides those every page has (Location, Set-Cookie, Allow, Retry-After).
 */
record PageResponse(HttpResponseStatus status, String html, Map<String, String> headers) {

    PageResponse {
        headers = Map.copyOf(headers);
    }

    static PageResponse ok(String html) {
        return new PageResponse(HttpResponseStatus.OK, html, Map.of());
    }

    static PageResponse of(HttpResponseStatus status, String html) {
        return new PageResponse(status, html, Map.of());
    }

    /** 303 See Other: after a form, and to the login page. */
    static PageResponse redirect(String location) {
        return new PageResponse(HttpResponseStatus.SEE_OTHER, "", Map.of("Location", location));
    }

    PageResponse with(String header, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(header, value);
        return new PageResponse(status, html, all);
    }
}
