package org.teledeploy.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One admin API call as a handler sees it: the path parameters of its route, its query parameters and its body,
 * already out of Netty (the body is a copy), so handlers are plain functions of it.
 *
 * @param method the HTTP method
 * @param path the decoded path, for messages
 * @param params path parameters by the names of the route pattern ({@code {id}} → {@code id})
 * @param query query parameters, each with its values
 * @param body the request body, empty when none
 */
record ApiRequest(String method, String path, Map<String, String> params, Map<String, List<String>> query,
                  byte[] body) {

    ApiRequest {
        params = Map.copyOf(params);
        query = Map.copyOf(query);
    }

    /** A path parameter of the route (always present when the route matched). */
    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    /** A query parameter given at most once. */
    Optional<String> query(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name + ": given " + values.size() + " times (expected: once)");
        }
        return Optional.of(values.get(0));
    }

    /** An integer query parameter within bounds, or its default. */
    int intQuery(String name, int defaultValue, int min, int max) {
        Optional<String> raw = query(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest(name + ": " + raw.get() + " (expected: an integer, " + min + " to " + max + ")");
    }

    /** The body as a request object; 400 when it is missing or does not fit. */
    <T> T body(Class<T> type) {
        return Json.read(body, type);
    }

    /** The body as a request object, or {@code empty} when there is no body (optional bodies). */
    <T> T bodyOr(Class<T> type, Supplier<T> empty) {
        return body.length == 0 ? empty.get() : Json.read(body, type);
    }
}
