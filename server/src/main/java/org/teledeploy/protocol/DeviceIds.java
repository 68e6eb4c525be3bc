package org.teledeploy.protocol;

import java.util.regex.Pattern;

/**
 * DEVICEID rules (shared/ocs-protocol.md §1.8): {@code <anything>-YYYY-MM-DD-hh-mm-ss}, as both agents build it
 * from the host name and the installation time. Devices are keyed on the exact string.
 */
public final class DeviceIds {

    /** Longer values are refused before the pattern runs; real ones are a host name plus 20 characters. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern PATTERN = Pattern.compile("^.+-\\d{4}(?:-\\d{2}){5}$");

    private DeviceIds() {}

    public static boolean isValid(String deviceId) {
        if (deviceId == null || deviceId.isEmpty() || deviceId.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < deviceId.length(); i++) {
            char c = deviceId.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return PATTERN.matcher(deviceId).matches();
    }

    /** A printable, bounded rendering of an untrusted value for logs and error messages. */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder("\"");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > limit) {
            sb.append("...(").append(value.length()).append(" chars)");
        }
        return sb.append('"').toString();
    }
}
