package org.teledeploy.perf.fleet;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs many agents, at most {@code concurrency} at a time: each one that finishes starts the next, until
 * {@code count} agents have run or the deadline passed (then no new agent starts; those running finish).
 */
public final class Fleet {

    private Fleet() {}

    /**
     * @param agent starts agent number {@code k} (0-based within this run) and completes when it is done; never
     *     completes exceptionally (an agent counts its own failures)
     * @return completes when every started agent is done, with how many started
     */
    public static CompletableFuture<Integer> run(int count, int concurrency, long deadlineNanos,
                                                 IntFunction<CompletableFuture<Void>> agent) {
        if (concurrency <= 0) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: > 0)");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Integer> all = new CompletableFuture<>();
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            running.incrementAndGet(); // before claiming: "running == 0" then really means nothing is left
            int k = next.getAndIncrement();
            if (k >= count || System.nanoTime() - deadlineNanos > 0) {
                if (running.decrementAndGet() == 0) {
                    all.complete(started.get());
                }
                return;
            }
            started.incrementAndGet();
            agent.apply(k).whenComplete((v, e) -> {
                startNext[0].run();
                if (running.decrementAndGet() == 0) {
                    all.complete(started.get());
                }
            });
        };
        int first = Math.min(concurrency, count);
        if (first == 0) {
            all.complete(0);
        }
        for (int i = 0; i < first; i++) {
            startNext[0].run();
        }
        return all;
    }
}
