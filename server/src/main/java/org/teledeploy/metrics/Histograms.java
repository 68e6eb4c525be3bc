package org.teledeploy.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The one bucket layout of every latency histogram, so that request and commit latencies can be read on the same
 * scale: Micrometer's percentile histogram bounded to 1 ms..10 s (what an agent request or a commit can
 * reasonably take; slower lands in +Inf), plus round service-level boundaries for alerts and SLO ratios.
 */
final class Histograms {

    static final Duration MIN = Duration.ofMillis(1);
    static final Duration MAX = Duration.ofSeconds(10);

    /** Boundaries an alert or an SLO would name. */
    static final Duration[] SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private Histograms() {}

    static Timer.Builder latency(Timer.Builder builder) {
        return builder.publishPercentileHistogram()
                .minimumExpectedValue(MIN)
                .maximumExpectedValue(MAX)
                .serviceLevelObjectives(SLOS);
    }
}
