package org.teledeploy.deploy;

import java.time.Instant;
import java.util.Optional;

/**
 * Options of an assignment (OCS DOWNLOAD_FORCE / DOWNLOAD_SCHEDULE / DOWNLOAD_POSTCMD).
 *
 * @param force offer even if the agent has the package in its history (FORCE="1")
 * @param notBefore do not offer before this instant. teledeploy holds the offer back itself instead of relying on
 *     the PACK SCHEDULE attribute, which only the Windows agent reads, in the agent's local time
 * @param postCommand POSTCMD: "", REBOOT, SHUTDOWN or a command line (never "NONE", §4.6)
 */
public record AssignOptions(boolean force, Optional<Instant> notBefore, String postCommand) {

    public static final AssignOptions DEFAULT = new AssignOptions(false, Optional.empty(), "");

    public AssignOptions {
        if (postCommand.equalsIgnoreCase("NONE")) {
            throw new IllegalArgumentException("postCommand: NONE (expected: empty, REBOOT, SHUTDOWN or a command;"
                    + " the Windows agent would try to run \"NONE\")");
        }
    }

    long notBeforeMillis() {
        return notBefore.map(Instant::toEpochMilli).orElse(0L);
    }
}
