package org.teledeploy.perf.fleet;

import java.net.URI;

/**
 * Where a request goes: scheme, host, port and a base path, parsed from a URL
 * ({@code http://127.0.0.1:8080/ocsinventory}) or from an OCS location without scheme ({@code INFO_LOC} and
 * {@code PACK_LOC} of a PROLOG reply: {@code host[:port]/path}).
 */
public record Endpoint(boolean tls, String host, int port, String path) {

    public static Endpoint parse(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " (expected: http[s]://host[:port][/path])");
        }
        boolean tls = switch (uri.getScheme()) {
            case "http" -> false;
            case "https" -> true;
            default -> throw new IllegalArgumentException("url: " + url + " (expected: http or https)");
        };
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new Endpoint(tls, uri.getHost(), port, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** An OCS location: {@code INFO_LOC} is fetched over HTTPS, {@code PACK_LOC} over HTTP (protocol §4). */
    public static Endpoint location(String location, boolean tls) {
        return parse((tls ? "https://" : "http://") + location);
    }

    /** The key of a connection: the same host and port share one. */
    public String authority() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }

    public String hostHeader() {
        return host + ":" + port;
    }
}
