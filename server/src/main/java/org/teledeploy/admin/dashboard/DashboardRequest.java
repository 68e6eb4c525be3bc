package org.teledeploy.admin.dashboard;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A dashboard request as the pages see it, copied out of Netty's buffers (which are released at once): the
 * decoded path segments and query, the few headers the dashboard reads, the form body, the client and whether
 * the connection is TLS.
 *
 * @param path the raw path, without the query
 */
record DashboardRequest(String method, String path, Map<String, List<String>> query,
                        String cookie, String contentType, String origin, String host, String forwardedHost,
                        byte[] body, String client, boolean secure) {

    /**
     * @param tls whether this connection is TLS; a request a reverse proxy received over TLS
     *     ({@code X-Forwarded-Proto: https}) counts as secure too (that only ever adds {@code Secure} to the cookie)
     */
    static DashboardRequest of(FullHttpRequest request, String client, boolean tls) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        var headers = request.headers();
        boolean secure = tls || "https".equalsIgnoreCase(headers.get("X-Forwarded-Proto", "").strip());
        return new DashboardRequest(request.method().name(), path,
                new QueryStringDecoder(uri).parameters(), headers.get(HttpHeaderNames.COOKIE),
                headers.get(HttpHeaderNames.CONTENT_TYPE), headers.get(HttpHeaderNames.ORIGIN),
                headers.get(HttpHeaderNames.HOST), headers.get("X-Forwarded-Host"),
                ByteBufUtil.getBytes(request.content()), client, secure);
    }

    /**
     * The percent-decoded path segments ({@code /dashboard/devices/a%2Fb} → dashboard, devices, a/b); a malformed
     * percent-encoding is a 400.
     */
    List<String> segments() {
        List<String> out = new ArrayList<>();
        for (String raw : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
            try {
                out.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw PageException.badRequest("The address has a malformed percent-encoding.");
            }
        }
        return out;
    }

    /** One query value (the first, when repeated). */
    Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Refuses (400) any query parameter but {@code allowed}, so that a typo in a URL does not silently show all. */
    void onlyParams(Set<String> allowed) {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw PageException.badRequest("Unknown query parameter \"" + name + "\""
                        + (allowed.isEmpty() ? " (this page takes none)." : " (expected: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")."));
            }
        }
    }

    /** The fields of a form-encoded body ({@code application/x-www-form-urlencoded}). */
    Map<String, List<String>> form() {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip();
        if (!type.equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw PageException.badRequest("Expected a form (application/x-www-form-urlencoded).");
        }
        return new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                .parameters();
    }
}
