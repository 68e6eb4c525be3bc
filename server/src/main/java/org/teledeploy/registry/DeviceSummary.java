package org.teledeploy.registry;

import java.util.Set;

/**
 * What the PROLOG path needs to know about a device, held in memory for every registered device so that no
 * PROLOG reads the database. Immutable; replaced as a whole when the device changes.
 *
 * @param id the database row id
 * @param deviceId the agent's DEVICEID
 * @param firstContact epoch milliseconds of the first inventory
 * @param lastContact epoch milliseconds of the last PROLOG or INVENTORY
 * @param lastInventory epoch milliseconds of the last inventory, 0 if none
 * @param userAgent the last User-Agent seen
 * @param downloadHistory package IDs the agent reported as installed in its last inventory (§2.3)
 */
public record DeviceSummary(long id, String deviceId, long firstContact, long lastContact, long lastInventory,
                            String userAgent, Set<String> downloadHistory) {

    public DeviceSummary {
        userAgent = SharedStrings.USER_AGENTS.of(userAgent);
        downloadHistory = downloadHistory.isEmpty() ? Set.of() : Set.copyOf(downloadHistory);
    }

    DeviceSummary contacted(long now, String agent) {
        return new DeviceSummary(id, deviceId, firstContact, now, lastInventory, agent, downloadHistory);
    }

    /** The Unix agent needs packages held back while its download worker may be busy (§6.1). */
    public boolean isUnixAgent() {
        return userAgent.startsWith("OCS-NG_unified_unix_agent");
    }
}
