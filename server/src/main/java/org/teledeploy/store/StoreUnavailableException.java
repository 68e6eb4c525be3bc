package org.teledeploy.store;

/**
 * The database cannot take writes for now: the disk is full, another process holds its write lock past the busy
 * timeout, or the write queue is full. Nothing of the failed writes was committed; the request should be answered
 * 503 with {@code Retry-After} so that the agent sends it again later.
 */
public class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Why, in a word: {@code full}, {@code locked} or {@code overloaded}. */
    private final String reason;

    public StoreUnavailableException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Without a stack trace when {@code writableStackTrace} is false (frequent and always from the same place). */
    protected StoreUnavailableException(String reason, String message, boolean writableStackTrace) {
        super(message, writableStackTrace);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
