package org.teledeploy.perf.fleet;

/** Entry point of the fleet simulator (perf/README.md). */
public final class FleetMain {

    private FleetMain() {}

    public static void main(String[] args) {
        System.err.println("fleet simulator: not yet");
        System.exit(2);
    }
}
