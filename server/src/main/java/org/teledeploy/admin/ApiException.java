package org.teledeploy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * An admin API call that fails, as the client sees it: a status, a short code and one line a person can act on
 * ({@code {"error": "...", "detail": "..."}}), plus the headers some statuses need. Every failure, whatever threw
 * it, becomes one of these ({@link ApiErrors}) before it is written, so there is one error shape.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpResponseStatus status;
    private final String code;
    private final transient Map<String, String> headers;

    ApiException(HttpResponseStatus status, String code, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", detail, Map.of());
    }

    /** Says nothing of what was wrong (missing, malformed or wrong token). */
    static ApiException unauthorized() {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "a valid bearer token is required",
                Map.of("WWW-Authenticate", "Bearer"));
    }

    static ApiException notFound(String detail) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", detail, Map.of());
    }

    static ApiException methodNotAllowed(String method, String path, String allow) {
        return new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                "method " + method + " not allowed on " + path + " (expected: " + allow + ")", Map.of("Allow", allow));
    }

    static ApiException conflict(String detail) {
        return new ApiException(HttpResponseStatus.CONFLICT, "conflict", detail, Map.of());
    }

    static ApiException tooLarge(String detail) {
        return new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", detail, Map.of());
    }

    static ApiException invalid(String detail) {
        return new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "invalid", detail, Map.of());
    }

    static ApiException internal(String detail) {
        return new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", detail, Map.of());
    }

    /** Too many at once from this API (e.g. uploads in progress): retry once one has finished. */
    static ApiException tooMany(String detail) {
        return new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "too_many", detail, Map.of("Retry-After", "5"));
    }

    static ApiException busy(String detail) {
        return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy", detail, Map.of("Retry-After", "60"));
    }
}
