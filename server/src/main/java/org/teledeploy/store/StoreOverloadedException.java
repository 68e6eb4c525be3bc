package org.teledeploy.store;

/** The write queue is full ({@code store.queue.size}); the request should be answered 503 and retried later. */
public final class StoreOverloadedException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    public StoreOverloadedException(int capacity) {
        super("overloaded", "write queue full (store.queue.size = " + capacity + ")", null);
    }
}
