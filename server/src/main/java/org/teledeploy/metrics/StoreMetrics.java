package org.teledeploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The SQLite writer seen from outside: how many writes wait (and how many may), how long each group commit takes
 * and how many writes it carries, and how many writes were refused because the queue was full (each one a 503 or
 * a lost timeline event). A queue that grows while batches stay at {@code store.batch.size} means the disk cannot
 * keep up.
 */
public final class StoreMetrics {

    static final String QUEUE_SIZE = "teledeploy.store.write.queue.size";
    static final String QUEUE_CAPACITY = "teledeploy.store.write.queue.capacity";
    static final String BATCH_COMMIT = "teledeploy.store.batch.commit";
    static final String BATCH_SIZE = "teledeploy.store.batch.size";
    static final String REJECTED = "teledeploy.store.writes.rejected";
    static final String UNAVAILABLE = "teledeploy.store.batches.unavailable";

    private final MeterRegistry registry;
    private final Timer commit;
    private final DistributionSummary batchSize;
    private final Counter rejected;
    private final Counter full;
    private final Counter locked;

    StoreMetrics(MeterRegistry registry) {
        this.registry = registry;
        commit = Histograms.latency(Timer.builder(BATCH_COMMIT))
                .description("Group commits: BEGIN to COMMIT of one batch of writes")
                .register(registry);
        batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Writes per group commit")
                .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 500, 1000, 5000, 10000, 100000)
                .register(registry);
        rejected = Counter.builder(REJECTED)
                .description("Writes refused because the write queue was full (store.queue.size)")
                .register(registry);
        full = unavailableCounter(registry, "full");
        locked = unavailableCounter(registry, "locked");
    }

    private static Counter unavailableCounter(MeterRegistry registry, String reason) {
        return Counter.builder(UNAVAILABLE).tag("reason", reason)
                .description("Group commits refused because the database was full (no space left) or locked by"
                        + " another connection past store.busy.timeout; their writes were answered 503")
                .register(registry);
    }

    /** Meters that record nothing, for writers started without a server (unit tests). */
    public static StoreMetrics unregistered() {
        return new StoreMetrics(new CompositeMeterRegistry());
    }

    /** Exposes the queue of a started writer. */
    public void bindQueue(IntSupplier queued, int capacity) {
        Gauge.builder(QUEUE_SIZE, () -> queued.getAsInt())
                .description("Writes waiting for the store writer").register(registry);
        Gauge.builder(QUEUE_CAPACITY, () -> capacity)
                .description("Writes that may wait at most (store.queue.size)").register(registry);
    }

    /** One batch committed, on the writer thread. */
    public void committed(int writes, long nanos) {
        commit.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(writes);
    }

    /** One batch refused: the database was {@code full} or {@code locked}. */
    public void unavailable(String reason) {
        (reason.equals("full") ? full : locked).increment();
    }

    /** One write refused: the queue was full. */
    public void rejected() {
        rejected.increment();
    }
}
