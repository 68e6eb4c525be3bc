package org.teledeploy.deploy;

/**
 * A device's assignment that may still be offered: waiting for notification ({@code notified == false}) or
 * NOTIFIED (re-offered at every PROLOG until a result arrives, §3.8). Assignments holding a result are final and
 * are not kept in memory.
 *
 * @param deviceId the device's row id
 * @param packageId numeric package ID
 * @param notified NOTIFIED (true) or waiting (false)
 * @param notifiedAt epoch milliseconds of the first offer, 0 if none yet
 * @param force FORCE="1": offered even if the agent has it in its history
 * @param notBefore epoch milliseconds before which it is not offered (schedule), 0 = at once
 * @param postCommand POSTCMD ("", REBOOT, SHUTDOWN or a command)
 */
public record PendingAssignment(long deviceId, String packageId, boolean notified, long notifiedAt, boolean force,
                                long notBefore, String postCommand) {

    PendingAssignment notify(long now) {
        return new PendingAssignment(deviceId, packageId, true, now, force, notBefore, postCommand);
    }
}
