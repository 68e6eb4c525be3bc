package org.teledeploy.registry;

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
 */
public record DeviceSummary(long id, String deviceId, long firstContact, long lastContact, long lastInventory,
                            String userAgent) {

    DeviceSummary contacted(long now, String agent) {
        return new DeviceSummary(id, deviceId, firstContact, now, lastInventory, agent);
    }
}
