package org.teledeploy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The deployment funnel per package as gauges: assigned, the five statistics buckets (they add up to assigned)
 * and, inside notified, the devices already downloading. The numbers are read from the store when
 * {@code /metrics} is scraped, by the same query kind and bucket rules as the statistics API, so the two can
 * never disagree; they are never kept up to date by counting events. Package IDs are the only label values
 * (one set of series per package that has assignments or exists: bounded by the live packages, never per
 * device); a package that goes away loses its series at the next scrape.
 *
 * <p>Threads: {@link #read} runs the query on a store reader (concurrent scrapes share one query);
 * {@link #apply} and the gauges' reads run on the metrics render thread only.
 */
public final class DeploymentFunnel {

    static final String ASSIGNED = "teledeploy.deployment.assigned.devices";
    static final String DEVICES = "teledeploy.deployment.devices";
    static final String DOWNLOADING = "teledeploy.deployment.downloading.devices";

    /**
     * One package's numbers.
     *
     * @param downloading NOTIFIED devices that fetched the info file or a fragment since their notification
     */
    public record Counts(String packageId, int assigned, int waiting, int notified, int downloading, int success,
                         int error, int other) {}

    private final MeterRegistry registry;
    private final AtomicReference<CompletableFuture<List<Counts>>> inFlight = new AtomicReference<>();
    private volatile Supplier<? extends CompletableFuture<? extends Collection<Counts>>> source =
            () -> CompletableFuture.completedFuture(List.of());
    private volatile Map<String, Counts> current = Map.of();
    private final Map<String, List<Meter>> meters = new HashMap<>();

    DeploymentFunnel(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Where the numbers come from: a read that does not block its caller. */
    void source(Supplier<? extends CompletableFuture<? extends Collection<Counts>>> source) {
        this.source = source;
    }

    /** Reads the numbers now, or joins the read already running. */
    CompletableFuture<List<Counts>> read() {
        while (true) {
            CompletableFuture<List<Counts>> running = inFlight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<List<Counts>> mine = new CompletableFuture<>();
            if (!inFlight.compareAndSet(null, mine)) {
                continue;
            }
            CompletableFuture<? extends Collection<Counts>> query;
            try {
                query = source.get();
            } catch (RuntimeException e) {
                query = CompletableFuture.failedFuture(e);
            }
            query.whenComplete((counts, failure) -> {
                inFlight.compareAndSet(mine, null); // a later scrape reads again
                if (failure != null) {
                    mine.completeExceptionally(failure);
                } else {
                    mine.complete(List.copyOf(counts));
                }
            });
            return mine;
        }
    }

    /** Makes {@code counts} what the gauges show: series for new packages, none for packages gone. */
    void apply(List<Counts> counts) {
        Map<String, Counts> next = new HashMap<>();
        for (Counts c : counts) {
            next.put(c.packageId(), c);
        }
        current = next;
        for (Iterator<Map.Entry<String, List<Meter>>> it = meters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Meter>> e = it.next();
            if (!next.containsKey(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
        for (String packageId : next.keySet()) {
            meters.computeIfAbsent(packageId, this::register);
        }
    }

    private List<Meter> register(String packageId) {
        List<Meter> out = new ArrayList<>(7);
        out.add(Gauge.builder(ASSIGNED, () -> value(packageId, Counts::assigned))
                .description("Devices the package is assigned to (the sum of its buckets)")
                .tag("package", packageId).register(registry));
        out.add(bucket(packageId, "waiting", Counts::waiting));
        out.add(bucket(packageId, "notified", Counts::notified));
        out.add(bucket(packageId, "success", Counts::success));
        out.add(bucket(packageId, "error", Counts::error));
        out.add(bucket(packageId, "other", Counts::other));
        out.add(Gauge.builder(DOWNLOADING, () -> value(packageId, Counts::downloading))
                .description("NOTIFIED devices that fetched the info file or a fragment since they were notified")
                .tag("package", packageId).register(registry));
        return out;
    }

    private Meter bucket(String packageId, String bucket, ToIntFunction<Counts> count) {
        return Gauge.builder(DEVICES, () -> value(packageId, count))
                .description("Devices of the package per statistics bucket (GET /api/v1/packages/{id}/statistics)")
                .tags("package", packageId, "bucket", bucket).register(registry);
    }

    private double value(String packageId, ToIntFunction<Counts> count) {
        Counts c = current.get(packageId);
        return c == null ? Double.NaN : count.applyAsInt(c);
    }
}
