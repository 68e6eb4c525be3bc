package org.teledeploy.store;

/** A database operation failed; the caller must not acknowledge the data it was writing. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /** Without a stack trace, for failures whose place is always the same and which may come by the thousand. */
    protected StoreException(String message, boolean writableStackTrace) {
        super(message, null, true, writableStackTrace);
    }
}
