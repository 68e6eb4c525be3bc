package org.teledeploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.function.IntSupplier;

/**
 * The package tree on disk seen from outside: fragment files found corrupt before being served (their SHA-256 is
 * not the one recorded at build), counted once per corrupt state of a file, and how many are corrupt now (refused
 * to agents until restored). Either being non-zero means the disk or someone on the machine changed a package.
 */
public final class PackageMetrics {

    static final String CORRUPTIONS = "teledeploy.fragment.corruptions";
    static final String CORRUPT = "teledeploy.fragments.corrupt";

    private final MeterRegistry registry;
    private final Counter corruptions;

    PackageMetrics(MeterRegistry registry) {
        this.registry = registry;
        corruptions = Counter.builder(CORRUPTIONS)
                .description("Fragment files found corrupt on disk before being served (SHA-256 mismatch)")
                .register(registry);
    }

    /** Exposes how many fragment files are known corrupt now, as the package catalog counts them. */
    public void bindCorrupt(IntSupplier corruptNow) {
        Gauge.builder(CORRUPT, () -> corruptNow.getAsInt())
                .description("Fragment files known corrupt and not restored since (refused to agents)")
                .register(registry);
    }

    /** Meters that record nothing, for catalogs loaded without a server (unit tests). */
    public static PackageMetrics unregistered() {
        return new PackageMetrics(new CompositeMeterRegistry());
    }

    /** A fragment file was found corrupt (once per corrupt state of the file). */
    public void corrupt() {
        corruptions.increment();
    }
}
