package org.teledeploy.perf.fleet;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The fleet simulator: a Netty client that plays OCS agents against teledeployd (perf/README.md). Commands:
 * {@code register} (fill the registry, inventory throughput), {@code cycle} (the whole deployment cycle with an
 * audit of the results, optionally a fault-injecting soak), {@code idle} (many idle keep-alive connections).
 * Prints one JSON document; exit code 0 only when nothing was lost.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        subcommands = {RegisterCommand.class, CycleCommand.class, IdleCommand.class},
        description = "Plays OCS agents against a teledeploy server")
public final class FleetMain {

    private FleetMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new FleetMain());
        if (args.length == 0) {
            cli.usage(System.err);
            return 2;
        }
        return cli.execute(args);
    }
}
