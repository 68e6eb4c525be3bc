package org.teledeploy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one Micrometer registry (Prometheus) and every meter, grouped by who records them:
 * {@link #http()} for the listeners, {@link #deployment()} for PROLOG and results, {@link #store()} for the
 * writer, the {@link DeploymentFunnel} read from the store at each scrape, gauges bound to the components'
 * own counters, and the JVM, process and Netty allocator binders. Created first by the composition root, so
 * that every component gets its meters at construction.
 *
 * <p>{@link #scrape()} never runs on the caller's thread: the funnel is read on a store reader, then the text is
 * rendered on this class's own thread, so a scrape costs an event loop nothing.
 */
public final class ServerMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerMetrics.class);

    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static final String CONNECTIONS_OPEN = "teledeploy.connections.open";
    static final String CONNECTIONS_REFUSED = "teledeploy.connections.refused";
    static final String CERTIFICATE_NOT_AFTER = "teledeploy.tls.certificate.not.after";
    static final String DEVICES = "teledeploy.devices";
    static final String BUILD_INFO = "teledeploy.build.info";

    private final PrometheusMeterRegistry registry;
    private final HttpMetrics http;
    private final DeploymentMetrics deployment;
    private final StoreMetrics store;
    private final PackageMetrics packages;
    private final DeploymentFunnel funnel;
    private final SubnetGauges subnets;
    private final JvmGcMetrics gc;
    private final ExecutorService render;

    private ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        NettyMemoryMetrics.bind(registry, ByteBufAllocator.DEFAULT);
        http = new HttpMetrics(registry);
        deployment = new DeploymentMetrics(registry);
        store = new StoreMetrics(registry);
        packages = new PackageMetrics(registry);
        funnel = new DeploymentFunnel(registry);
        subnets = new SubnetGauges(registry);
        render = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "teledeploy-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** A registry with the JVM, process and Netty meters and every teledeploy meter of the components. */
    public static ServerMetrics create() {
        return new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public HttpMetrics http() {
        return http;
    }

    public DeploymentMetrics deployment() {
        return deployment;
    }

    public StoreMetrics store() {
        return store;
    }

    /** Fragment files found corrupt on disk. */
    public PackageMetrics packages() {
        return packages;
    }

    /** The registry itself, for tests and binders. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Open agent connections, and those refused past {@code limit.connections} or
     * {@code limit.connections.per.client}, as the listeners count them.
     */
    public void bindConnections(IntSupplier open, LongSupplier refused) {
        Gauge.builder(CONNECTIONS_OPEN, () -> open.getAsInt())
                .description("Open connections over the agent listeners (HTTP and HTTPS)").register(registry);
        FunctionCounter.builder(CONNECTIONS_REFUSED, refused, LongSupplier::getAsLong)
                .description("Agent connections closed at once: limit.connections or limit.connections.per.client reached")
                .register(registry);
    }

    /** The end of validity of the certificate the HTTPS listener presents. */
    public void bindCertificate(Supplier<Instant> notAfter) {
        Gauge.builder(CERTIFICATE_NOT_AFTER, () -> notAfter.get().getEpochSecond()).baseUnit("seconds")
                .description("notAfter of the HTTPS server certificate (leaf), in seconds since the epoch")
                .register(registry);
    }

    /** Devices in the registry. */
    public void bindDevices(IntSupplier devices) {
        Gauge.builder(DEVICES, () -> devices.getAsInt())
                .description("Devices in the registry (every DEVICEID that sent an inventory)").register(registry);
    }

    /** The running version, as a label of a gauge that is always 1. */
    public void bindBuildInfo(String version) {
        Gauge.builder(BUILD_INFO, () -> 1).description("The teledeployd version running")
                .tag("version", version).register(registry);
    }

    /** Where the funnel gauges read their numbers at each scrape (a store read that does not block). */
    public void bindFunnel(Supplier<? extends CompletableFuture<? extends Collection<DeploymentFunnel.Counts>>> source) {
        funnel.source(source);
    }

    /**
     * Where the network discovery gauges read their numbers at each scrape: per subnet (CIDR), hosts found and
     * unmanaged hosts.
     */
    public void bindSubnets(Supplier<? extends CompletableFuture<? extends Collection<SubnetGauges.Counts>>> source) {
        subnets.source(source);
    }

    /**
     * The Prometheus text of every meter, UTF-8, after reading the funnel afresh. Completes on the metrics
     * thread; when the funnel cannot be read (store busy or closing), its previous numbers are shown.
     */
    public CompletableFuture<byte[]> scrape() {
        CompletableFuture<List<SubnetGauges.Counts>> network = subnets.read();
        return funnel.read().handleAsync((counts, failure) -> {
            if (failure == null) {
                funnel.apply(counts);
            } else {
                log.warn("Deployment funnel not refreshed for this scrape: {}", String.valueOf(failure.getMessage()));
            }
            return null;
        }, render).thenCombineAsync(network.handle((counts, failure) -> {
            if (failure == null) {
                subnets.apply(counts);
            } else {
                log.warn("Network gauges not refreshed for this scrape: {}", String.valueOf(failure.getMessage()));
            }
            return null;
        }), (a, b) -> registry.scrape().getBytes(StandardCharsets.UTF_8), render);
    }

    @Override
    public void close() {
        render.shutdown();
        gc.close();
        registry.close();
    }
}
