package org.teledeploy.perf.fleet;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run counts, per request kind ({@code prolog}, {@code inventory}, {@code info}, {@code fragment},
 * {@code result} ...): requests answered and their statuses, latency, bytes, and failures by kind. Shared by every
 * event loop; printed once as JSON at the end.
 */
public final class FleetStats {

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** One request kind's figures. */
    public static final class Kind {
        final LatencyHistogram latency = new LatencyHistogram();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final LongAdder bytes = new LongAdder();
    }

    private Kind kind(String name) {
        return kinds.computeIfAbsent(name, k -> new Kind());
    }

    public void answered(String kind, int status, long micros, long bytes) {
        Kind k = kind(kind);
        k.latency.record(micros);
        k.statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        k.bytes.add(bytes);
    }

    public void failed(String kind, String error) {
        kind(kind).errors.computeIfAbsent(error, e -> new LongAdder()).increment();
    }

    public void count(String counter) {
        add(counter, 1);
    }

    public void add(String counter, long n) {
        counters.computeIfAbsent(counter, c -> new LongAdder()).add(n);
    }

    public long counter(String counter) {
        LongAdder a = counters.get(counter);
        return a == null ? 0 : a.sum();
    }

    /** Requests answered in all kinds. */
    public long answered() {
        return kinds.values().stream().mapToLong(k -> k.latency.count()).sum();
    }

    public long errors() {
        return kinds.values().stream().flatMap(k -> k.errors.values().stream()).mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Object> toMap(double seconds) {
        Map<String, Object> out = new TreeMap<>();
        kinds.forEach((name, k) -> {
            Map<String, Object> m = new TreeMap<>();
            long n = k.latency.count();
            m.put("answered", n);
            m.put("per_s", round(n / Math.max(seconds, 1e-9)));
            m.put("mib_s", round(k.bytes.sum() / 1048576.0 / Math.max(seconds, 1e-9)));
            m.put("bytes", k.bytes.sum());
            m.put("p50_ms", k.latency.percentile(50) / 1000.0);
            m.put("p90_ms", k.latency.percentile(90) / 1000.0);
            m.put("p99_ms", k.latency.percentile(99) / 1000.0);
            m.put("max_ms", k.latency.percentile(100) / 1000.0);
            m.put("statuses", sums(k.statuses));
            m.put("errors", sums(k.errors));
            out.put(name, m);
        });
        return out;
    }

    public Map<String, Long> counters() {
        return sums(counters);
    }

    private static <K> Map<K, Long> sums(Map<K, LongAdder> m) {
        Map<K, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
