package org.teledeploy.packages;

import java.util.Locale;

/**
 * What the Windows agent does after the action (PACK {@code POSTCMD}, shared/ocs-protocol.md §4.6): nothing,
 * REBOOT or SHUTDOWN. "None" is sent as an empty value: the agent would try to run a command called NONE.
 */
public enum PostCommand {
    NONE(""),
    REBOOT("REBOOT"),
    SHUTDOWN("SHUTDOWN");

    private final String packValue;

    PostCommand(String packValue) {
        this.packValue = packValue;
    }

    /** The POSTCMD attribute: "", REBOOT or SHUTDOWN. */
    public String packValue() {
        return packValue;
    }

    public static PostCommand parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("postCommand: " + value + " (expected: none, reboot or shutdown)");
        }
    }

    static PostCommand fromPackValue(String value) {
        return value.isEmpty() ? NONE : valueOf(value);
    }
}
