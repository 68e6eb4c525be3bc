package org.teledeploy.registry;

import java.util.List;

/**
 * Everything the registry stores about one device, read from the database for display and checks (admin API,
 * tests); the PROLOG path never loads it.
 *
 * @param summary the in-memory part
 * @param inventory the facts from the last inventory (oldDeviceId always empty)
 * @param softwareCount how many software entries the last inventory listed
 */
public record DeviceRecord(DeviceSummary summary, Inventory inventory, int softwareCount) {

    public String name() {
        return inventory.name();
    }

    public List<Inventory.Software> software() {
        return inventory.software();
    }
}
