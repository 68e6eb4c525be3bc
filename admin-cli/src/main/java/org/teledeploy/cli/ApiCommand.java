package org.teledeploy.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the admin API: it gets the client and the output from the root command. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private TeledeployCli root() {
        return (TeledeployCli) spec.root().userObject();
    }

    ApiClient api() {
        return root().client();
    }

    Output out() {
        return new Output(spec.commandLine().getOut(), root().connection.json);
    }

    /** Where progress bars go: stderr, only when it is a terminal (and never with --json). */
    PrintStream progress() {
        return System.console() != null && !root().connection.json ? System.err : null;
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    abstract void run();
}
