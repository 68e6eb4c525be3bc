package org.teledeploy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.store.Database;
import org.teledeploy.store.StoreWriter;

/**
 * The writer's meters, deterministically: the writer thread is held inside a first write while two writes fill a
 * queue of two and a third is refused; released, it commits a batch of one, then one of two.
 */
class StoreMetricsTest {

    @TempDir
    Path dir;

    @Test
    void queueRejectionsAndBatchesAreCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StoreMetrics metrics = new StoreMetrics(registry);
        try (StoreWriter writer = StoreWriter.start(Database.open(dir, false), 2, 100, metrics)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> held = writer.submit(c -> {
                running.countDown();
                try {
                    assertTrue(release.await(60, TimeUnit.SECONDS), "hang guard");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertTrue(running.await(60, TimeUnit.SECONDS), "hang guard");
            CompletableFuture<Object> first = writer.submit(c -> null);
            CompletableFuture<Object> second = writer.submit(c -> null);
            assertTrue(writer.submit(c -> null).isCompletedExceptionally(), "queue of 2 is full");
            assertEquals(2, registry.get(StoreMetrics.QUEUE_SIZE).gauge().value());
            assertEquals(2, registry.get(StoreMetrics.QUEUE_CAPACITY).gauge().value());
            assertEquals(1, registry.get(StoreMetrics.REJECTED).counter().count());
            release.countDown();
            held.get(60, TimeUnit.SECONDS);
            first.get(60, TimeUnit.SECONDS);
            second.get(60, TimeUnit.SECONDS);
            assertEquals(0, registry.get(StoreMetrics.QUEUE_SIZE).gauge().value());
            assertEquals(2, registry.get(StoreMetrics.BATCH_COMMIT).timer().count(), "two group commits");
            assertEquals(2, registry.get(StoreMetrics.BATCH_SIZE).summary().count());
            assertEquals(3, registry.get(StoreMetrics.BATCH_SIZE).summary().totalAmount(), "1 + 2 writes");
            assertEquals(2, registry.get(StoreMetrics.BATCH_SIZE).summary().max());
        }
    }
}
