package org.teledeploy.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The routing table of the admin API, explicit and small: a method and a path pattern
 * ({@code /api/v1/packages/{id}/deploy}) per handler, with the query parameters the handler reads. A path that
 * matches no pattern is a 404; one that matches with another method is a 405 that lists the methods allowed.
 * A literal segment beats a parameter ({@code POST /packages/import} is not the package "import").
 */
final class Router {

    /** What answers one route; runs on the event loop and must not block (services return futures). */
    @FunctionalInterface
    interface Handler {
        CompletableFuture<ApiResponse> handle(ApiRequest request);
    }

    /** The route a request found, with its path parameters. */
    record Match(Handler handler, Map<String, String> params, Set<String> queryNames) {}

    private record Route(String method, String[] segments, Handler handler, Set<String> queryNames) {}

    private final List<Route> routes = new ArrayList<>();

    /**
     * Adds a route.
     *
     * @param pattern segments separated by '/', {@code {name}} for a parameter
     * @param queryNames the query parameters the handler accepts; any other is a 400
     */
    Router add(String method, String pattern, Handler handler, String... queryNames) {
        routes.add(new Route(method, pattern.substring(1).split("/"), handler, Set.of(queryNames)));
        return this;
    }

    /**
     * The route of {@code method} on {@code segments} (decoded path segments).
     *
     * @throws ApiException 404 when no pattern matches the path, 405 when none with this method does
     */
    Match match(String method, String path, List<String> segments) {
        Route best = null;
        Map<String, String> bestParams = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = new HashMap<>();
            int literals = bind(route, segments, params);
            if (literals < 0) {
                continue;
            }
            allowed.add(route.method());
            if (route.method().equals(method) && literals > bestLiterals) {
                best = route;
                bestParams = params;
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return new Match(best.handler(), bestParams, best.queryNames());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no such path: " + path + " (see docs/admin-api.md)");
        }
        throw ApiException.methodNotAllowed(method, path, String.join(", ", allowed));
    }

    /** How many literal segments matched, or -1 when the route does not match the path. */
    private static int bind(Route route, List<String> segments, Map<String, String> params) {
        if (route.segments().length != segments.size()) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < segments.size(); i++) {
            String pattern = route.segments()[i];
            String segment = segments.get(i);
            if (pattern.startsWith("{") && pattern.endsWith("}")) {
                if (segment.isEmpty()) {
                    return -1;
                }
                params.put(pattern.substring(1, pattern.length() - 1), segment);
            } else if (pattern.equals(segment)) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }
}
