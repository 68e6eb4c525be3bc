package org.teledeploy.packages;

import java.util.OptionalInt;

/**
 * What the Windows agent shows the user around the action ({@code NOTIFY_*} and {@code NEED_DONE_ACTION*} of the
 * info file, shared/ocs-protocol.md §4.5); the Unix agent ignores it.
 *
 * @param text the message shown before the action; empty = no dialog (NOTIFY_USER="0")
 * @param countdownSeconds seconds before the default action; empty = the agent's default (120 s)
 * @param canAbort the user may cancel (result ERR_ABORTED)
 * @param canDelay the user may postpone
 * @param doneText the message shown after the action; empty = none (NEED_DONE_ACTION="0")
 */
public record Notification(String text, OptionalInt countdownSeconds, boolean canAbort, boolean canDelay,
                           String doneText) {

    /** No dialog at all. */
    public static final Notification NONE = new Notification("", OptionalInt.empty(), false, false, "");

    public Notification {
        PackageSpec.checkText("notifyText", text, 2000);
        PackageSpec.checkText("doneText", doneText, 2000);
        if (countdownSeconds.isPresent() && (countdownSeconds.getAsInt() < 0 || countdownSeconds.getAsInt() > 86_400)) {
            throw new IllegalArgumentException("notifyCountdown: " + countdownSeconds.getAsInt()
                    + " (expected: 0 to 86400 seconds)");
        }
        if (text.isEmpty() && (canAbort || canDelay || countdownSeconds.isPresent())) {
            throw new IllegalArgumentException("notifyText: empty (expected: a message when the user may abort,"
                    + " delay or sees a countdown)");
        }
    }

    /** NOTIFY_USER: a dialog is shown before the action. */
    public boolean notifiesUser() {
        return !text.isEmpty();
    }
}
