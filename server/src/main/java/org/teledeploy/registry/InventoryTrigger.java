package org.teledeploy.registry;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work that must happen in the same transaction as an inventory: a device that now matches a dynamic group gets
 * that group's packages at once, atomically with the facts that made it match.
 */
@FunctionalInterface
public interface InventoryTrigger {

    InventoryTrigger NONE = (c, deviceId, now) -> () -> { };

    /**
     * Runs in the inventory's transaction, on the store writer thread.
     *
     * @return what to do in memory once that transaction has committed
     */
    Runnable afterInventory(Connection connection, long deviceId, long now) throws SQLException;
}
