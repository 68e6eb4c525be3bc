package org.teledeploy.protocol;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the agent endpoint refuses, with the HTTP status and the one-line reason sent to the client and
 * logged. Thrown by decoding and validation; never carries a stack trace to the client.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    public ProtocolException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ProtocolException badRequest(String message) {
        return new ProtocolException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public HttpResponseStatus status() {
        return status;
    }
}
