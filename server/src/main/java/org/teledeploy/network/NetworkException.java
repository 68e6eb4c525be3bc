package org.teledeploy.network;

/**
 * A network discovery request that cannot be done, with the kind of failure so that the admin API and CLI map it
 * to a status and exit code without parsing text. Messages have the one shape {@code "field: value (expected: ...)"}.
 */
public final class NetworkException extends RuntimeException {

    /** Why it failed. */
    public enum Kind {
        /** The input is wrong (malformed subnet, a subnet the device is not on): 400, CLI exit 2. */
        INVALID,
        /** No such device: 404, exit 3. */
        NOT_FOUND
    }

    private final Kind kind;

    public NetworkException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static NetworkException unknownDevice(String deviceId) {
        return new NetworkException(Kind.NOT_FOUND, "deviceid: " + deviceId + " (expected: a registered DEVICEID)");
    }
}
