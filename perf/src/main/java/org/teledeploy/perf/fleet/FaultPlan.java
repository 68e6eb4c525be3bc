package org.teledeploy.perf.fleet;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Which faults the simulated agents inject, as probabilities per request: {@code cutRate} sends only a part of the
 * request then closes the connection (the agent then retries, as a real one does at its next try);
 * {@code garbageRate} sends one of a few kinds of garbage on a separate connection before the real request.
 */
public record FaultPlan(double cutRate, double garbageRate) {

    public static final FaultPlan NONE = new FaultPlan(0, 0);

    public FaultPlan {
        if (cutRate < 0 || cutRate > 1) {
            throw new IllegalArgumentException("cutRate: " + cutRate + " (expected: 0..1)");
        }
        if (garbageRate < 0 || garbageRate > 1) {
            throw new IllegalArgumentException("garbageRate: " + garbageRate + " (expected: 0..1)");
        }
    }

    boolean cut() {
        return cutRate > 0 && ThreadLocalRandom.current().nextDouble() < cutRate;
    }

    boolean garbage() {
        return garbageRate > 0 && ThreadLocalRandom.current().nextDouble() < garbageRate;
    }
}
