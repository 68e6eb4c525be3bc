package org.teledeploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * What the deployment services record: each PROLOG decision (inventory SEND or STOP), the packages each reply
 * offered, and each result stored, by {@link ResultClass}. Every counter exists from the start (a rate of 0 is
 * an answer, a missing series is a question); nothing here names a device or a package.
 */
public final class DeploymentMetrics {

    static final String PROLOG_DECISIONS = "teledeploy.prolog.decisions";
    static final String PACKAGES_OFFERED = "teledeploy.prolog.packages.offered";
    static final String RESULTS = "teledeploy.deployment.results";

    private final Counter send;
    private final Counter stop;
    private final Counter offered;
    private final Counter[] results = new Counter[ResultClass.values().length];

    DeploymentMetrics(MeterRegistry registry) {
        send = decision(registry, "send");
        stop = decision(registry, "stop");
        offered = Counter.builder(PACKAGES_OFFERED)
                .description("Packages offered in PROLOG replies (NOTIFIED packages are offered again until a result)")
                .register(registry);
        for (ResultClass c : ResultClass.values()) {
            results[c.ordinal()] = Counter.builder(RESULTS)
                    .description("Deployment results stored: DOWNLOAD reports once committed, and packages closed at"
                            + " PROLOG as already in the agent's history")
                    .tag("result", c.label()).register(registry);
        }
    }

    private static Counter decision(MeterRegistry registry, String decision) {
        return Counter.builder(PROLOG_DECISIONS)
                .description("PROLOG replies by inventory decision (send: the agent sends its inventory now)")
                .tag("decision", decision).register(registry);
    }

    /** Counters that count nothing, for services built without a server (unit tests). */
    public static DeploymentMetrics unregistered() {
        return new DeploymentMetrics(new CompositeMeterRegistry());
    }

    /** A PROLOG reply: inventory asked or not, and how many packages it offers. */
    public void prolog(boolean sendInventory, int packagesOffered) {
        (sendInventory ? send : stop).increment();
        if (packagesOffered > 0) {
            offered.increment(packagesOffered);
        }
    }

    /** A result code stored for an assignment (or a report of an unknown device or package). */
    public void result(String code) {
        results[ResultClass.of(code).ordinal()].increment();
    }
}
