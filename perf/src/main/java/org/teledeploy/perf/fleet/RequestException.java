package org.teledeploy.perf.fleet;

/**
 * A request that got no usable response, with the kind it is counted under ({@code connect}, {@code timeout},
 * {@code closed}, {@code tls} ...). No stack trace: these are expected under fault injection and counted by kind.
 */
public final class RequestException extends RuntimeException {

    private final String kind;

    public RequestException(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
