package org.teledeploy.transport;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One token bucket per client address for the agent endpoint ({@code limit.requests.per.client} tokens a second,
 * at most {@code limit.requests.burst} saved up), shared by the HTTP and HTTPS listeners. Time comes from the
 * server's clock, so tests move it instead of sleeping. A bucket that has refilled completely is the same as no
 * bucket: such entries are dropped now and then, so the map holds only the addresses that were recently busy.
 */
final class ClientRateLimits {

    /** Sweeps full buckets after this many acquisitions. */
    private static final int SWEEP_EVERY = 4096;

    private final double perSecond;
    private final int burst;
    private final Clock clock;
    private final ConcurrentMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong acquisitions = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    /** Tokens left and when they were counted; guarded by itself. */
    private static final class Bucket {
        double tokens;
        long atNanos;

        Bucket(double tokens, long atNanos) {
            this.tokens = tokens;
            this.atNanos = atNanos;
        }
    }

    /**
     * @param perSecond tokens added a second, greater than 0
     * @param burst most tokens a bucket holds (requests a quiet client may send at once), at least 1
     */
    ClientRateLimits(double perSecond, int burst, Clock clock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("limit.requests.per.client: " + perSecond + " (expected: > 0)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("limit.requests.burst: " + burst + " (expected: >= 1)");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    double perSecond() {
        return perSecond;
    }

    int burst() {
        return burst;
    }

    /**
     * Takes one token of {@code client}'s bucket.
     *
     * @return 0 when the request may go on, else the whole seconds until a token is there (its Retry-After)
     */
    long acquire(InetAddress client) {
        long now = nanos();
        if (acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        Bucket bucket = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }

    private void refill(Bucket bucket, long now) {
        if (now > bucket.atNanos) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.atNanos) / 1e9 * perSecond);
            bucket.atNanos = now;
        }
    }

    private void sweep(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                refill(b, now);
                return b.tokens >= burst;
            }
        });
    }

    /** Whether a refusal should be logged: at most one line a second over every connection. */
    boolean shouldWarn() {
        long now = clock.millis();
        long last = lastWarning.get();
        return (last == Long.MIN_VALUE || now - last >= 1000) && lastWarning.compareAndSet(last, now);
    }

    /** Addresses with a bucket that is not full (for tests). */
    int tracked() {
        sweep(nanos());
        return buckets.size();
    }

    private long nanos() {
        java.time.Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
