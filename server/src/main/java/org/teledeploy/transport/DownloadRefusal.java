package org.teledeploy.transport;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why a {@code /download} request gets an error instead of a file: a status, a one-line message a person can act
 * on, and the few headers that status needs ({@code Allow} for 405, {@code Content-Range} for 416). Thrown by the
 * parsers and checks of {@link DownloadHandler}, which answers it with {@link HttpResponses#text}; it carries no
 * stack trace because it is an answer, not a fault.
 */
final class DownloadRefusal extends Exception {

    private final HttpResponseStatus status;
    private final HttpHeaders headers = new DefaultHttpHeaders();

    DownloadRefusal(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** Adds a header to the error response. */
    DownloadRefusal with(CharSequence name, Object value) {
        headers.set(name, value);
        return this;
    }

    HttpResponseStatus status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }
}
