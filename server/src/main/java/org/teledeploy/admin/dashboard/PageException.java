package org.teledeploy.admin.dashboard;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** A dashboard request that fails with a status and one sentence for the person at the browser. */
final class PageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpResponseStatus status;
    private final transient Map<String, String> headers;

    PageException(HttpResponseStatus status, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    HttpResponseStatus status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    static PageException badRequest(String message) {
        return new PageException(HttpResponseStatus.BAD_REQUEST, message, Map.of());
    }

    static PageException notFound(String message) {
        return new PageException(HttpResponseStatus.NOT_FOUND, message, Map.of());
    }

    static PageException methodNotAllowed(String method, String allow) {
        return new PageException(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed here"
                + " (expected: " + allow + ").", Map.of("Allow", allow));
    }

    static PageException forbidden(String message) {
        return new PageException(HttpResponseStatus.FORBIDDEN, message, Map.of());
    }

    static PageException unavailable(String message) {
        return new PageException(HttpResponseStatus.SERVICE_UNAVAILABLE, message, Map.of("Retry-After", "5"));
    }
}
