package org.teledeploy.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A listener address from the configuration: a literal host (or wildcard) and a port, 0 meaning ephemeral. */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /** Parses {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces). */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("missing ':port'");
        }
        String host = text.substring(0, colon).trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number");
        }
        return new HostPort(host, port);
    }

    /** True for addresses only this machine reaches: 127.0.0.0/8, ::1 and {@code localhost}. */
    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    /** True for 0.0.0.0 and ::, which bind every interface. */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
