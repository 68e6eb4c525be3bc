package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teledeploy deploy | undeploy | reset}: OCS "affect", "unassign" and "affect again". */
final class DeployCommands {

    private DeployCommands() {}

    @Command(name = "deploy", description = "Assign a package to devices, a search or a group.")
    static final class Deploy extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @Option(names = "--force", description = "FORCE=1: install even where the agent has it already.")
        boolean force;
        @Option(names = "--at", paramLabel = "TIME", description = "Not before this time (ISO-8601, e.g."
                + " 2026-12-24T18:00:00Z).")
        String at;
        @Option(names = "--post-cmd", paramLabel = "none|reboot|shutdown", description = "Windows: after the action.")
        String postCmd;
        @Option(names = "--dry-run", description = "Only tell how many devices it would touch.")
        boolean dryRun;

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            target.into(body);
            body.put("force", force);
            PackageCommands.putIfSet(body, "at", at);
            PackageCommands.putIfSet(body, "postCmd", postCmd);
            body.put("dryRun", dryRun);
            JsonNode r = api().post("/api/v1/packages/" + ApiClient.encode(id) + "/deploy", body);
            out().print(r, () -> out().line((dryRun ? "would assign " : "assigned ") + r.path("created").asInt()
                    + " device(s); " + r.path("alreadyAssigned").asInt() + " already assigned"));
        }
    }

    /** Undeploy targets: the usual three, or every device not yet notified. */
    static final class UndeployTarget {
        @ArgGroup(exclusive = false)
        Target target;
        @Option(names = "--not-notified", description = "Every device still waiting: really stops new offers.")
        boolean notNotified;
    }

    @Command(name = "undeploy", description = "Remove assignments: the package is no longer offered to them.")
    static final class Undeploy extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @ArgGroup(exclusive = true, multiplicity = "1")
        UndeployTarget target;

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            if (target.notNotified) {
                body.put("notNotified", true);
            } else {
                target.target.into(body);
            }
            JsonNode r = api().post("/api/v1/packages/" + ApiClient.encode(id) + "/undeploy", body);
            out().print(r, () -> out().line("removed " + r.path("removed").asInt() + " assignment(s)"));
        }
    }

    /** Reset targets: the usual three, or every device whose state matches a pattern. */
    static final class ResetTarget {
        @ArgGroup(exclusive = false)
        Target target;
        @Option(names = "--status", paramLabel = "CODE_PATTERN", description = "States to reset, * as wildcard,"
                + " e.g. ERR_* or EXIT_CODE_*.")
        String status;
    }

    @Command(name = "reset", description = "Affect again: the package is offered again to those devices.")
    static final class Reset extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @ArgGroup(exclusive = true, multiplicity = "1")
        ResetTarget target;
        @Option(names = "--force", description = "FORCE=1: even where the agent has it installed.")
        boolean force;

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            if (target.status != null) {
                body.put("status", target.status);
            } else {
                target.target.into(body);
            }
            body.put("force", force);
            JsonNode r = api().post("/api/v1/packages/" + ApiClient.encode(id) + "/reset", body);
            out().print(r, () -> out().line("reset " + r.path("reset").asInt() + " assignment(s)"));
        }
    }
}
