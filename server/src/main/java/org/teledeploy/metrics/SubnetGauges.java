package org.teledeploy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Network discovery per subnet as gauges: hosts found and, above all, unmanaged hosts (machines without an agent,
 * which no deployment reaches). Read from the store at each scrape, like the {@link DeploymentFunnel}; the subnet
 * label is bounded by the subnets of the fleet, never a host or a device.
 */
public final class SubnetGauges {

    static final String HOSTS = "teledeploy.network.hosts";
    static final String UNMANAGED = "teledeploy.network.unmanaged.hosts";

    /** One subnet's counts. */
    public record Counts(String subnet, int hosts, int unmanaged) {}

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new HashMap<>();
    private volatile Map<String, Counts> current = Map.of();
    private volatile Supplier<? extends CompletableFuture<? extends Collection<Counts>>> source =
            () -> CompletableFuture.completedFuture(List.of());

    SubnetGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void source(Supplier<? extends CompletableFuture<? extends Collection<Counts>>> source) {
        this.source = source;
    }

    CompletableFuture<List<Counts>> read() {
        try {
            return source.get().thenApply(List::copyOf);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Makes {@code counts} what the gauges show: series for new subnets, none for subnets gone. */
    synchronized void apply(List<Counts> counts) {
        Map<String, Counts> next = new HashMap<>();
        counts.forEach(c -> next.put(c.subnet(), c));
        current = next;
        for (Iterator<Map.Entry<String, List<Meter>>> it = meters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Meter>> e = it.next();
            if (!next.containsKey(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
        for (String subnet : next.keySet()) {
            meters.computeIfAbsent(subnet, s -> List.of(
                    gauge(HOSTS, s, Counts::hosts, "Hosts the elected agents found on the subnet"),
                    gauge(UNMANAGED, s, Counts::unmanaged,
                            "Hosts found on the subnet whose MAC belongs to no registered device: no agent")));
        }
    }

    private Meter gauge(String name, String subnet, ToIntFunction<Counts> count, String description) {
        return Gauge.builder(name, () -> {
            Counts c = current.get(subnet);
            return c == null ? Double.NaN : count.applyAsInt(c);
        }).description(description).tag("subnet", subnet).register(registry);
    }
}
