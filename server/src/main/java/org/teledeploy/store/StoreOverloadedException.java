package org.teledeploy.store;

/**
 * The write queue is full ({@code store.queue.size}); the request should be answered 503 and retried later.
 * Carries no stack trace (it always comes from {@code StoreWriter.submit}): an overloaded writer refuses one
 * background write per PROLOG, and filling in a trace each time took a tenth of the PROLOG decision (perf/JMH.md).
 */
public final class StoreOverloadedException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    public StoreOverloadedException(int capacity) {
        super("overloaded", "write queue full (store.queue.size = " + capacity + ")", false);
    }
}
