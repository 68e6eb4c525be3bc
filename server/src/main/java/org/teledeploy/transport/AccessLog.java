package org.teledeploy.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.teledeploy.logging.LogSetup;

/**
 * Writes one access-log line per request:
 * {@code <time> <client ip> <listener> <method> <path> <status> <bytes> <ms>ms <deviceid> <query>}, with "-" for
 * what is not known. Untrusted values are made printable and bounded first.
 */
final class AccessLog {

    private static final Logger logger = Logger.getLogger(LogSetup.ACCESS_LOGGER);

    private AccessLog() {}

    static boolean enabled() {
        return logger.isLoggable(Level.INFO);
    }

    static void log(SocketAddress remote, String listener, String method, String path, int status, long bytes,
                    long millis, String deviceId, String query) {
        if (!enabled()) {
            return;
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append(clientIp(remote)).append(' ').append(listener).append(' ')
                .append(safe(method, 16)).append(' ').append(safe(path, 256)).append(' ')
                .append(status).append(' ').append(bytes < 0 ? "-" : Long.toString(bytes)).append(' ')
                .append(millis).append("ms ").append(safe(deviceId, 255)).append(' ').append(safe(query, 32));
        logger.info(sb.toString());
    }

    static String clientIp(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return remote == null ? "-" : remote.toString();
    }

    /** Printable ASCII only (others as %XX), no spaces, at most {@code max} characters. */
    static String safe(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), max) + 8);
        for (int i = 0; i < value.length() && sb.length() < max; i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '%') {
                sb.append(String.format("%%%02X", (int) c & 0xFF));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= max && value.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }
}
