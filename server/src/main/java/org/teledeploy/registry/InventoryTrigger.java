package org.teledeploy.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.teledeploy.protocol.XmlNode;

/**
 * Work that must happen in the same transaction as an inventory: a device that now matches a dynamic group gets
 * that group's packages at once, atomically with the facts that made it match; the hosts an elected agent
 * discovered are stored with the inventory that carried them.
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

    /**
     * The same, with the inventory's CONTENT element, for triggers that read sections the registry does not keep
     * (IPDISCOVER). By default the CONTENT is not needed.
     */
    default Runnable afterInventory(Connection connection, long deviceId, Optional<XmlNode> content, long now)
            throws SQLException {
        return afterInventory(connection, deviceId, now);
    }

    /** Runs each trigger in order, in the same transaction; their after-commit work runs in the same order. */
    static InventoryTrigger all(InventoryTrigger... triggers) {
        List<InventoryTrigger> list = List.of(triggers);
        return new InventoryTrigger() {
            @Override
            public Runnable afterInventory(Connection connection, long deviceId, long now) throws SQLException {
                return afterInventory(connection, deviceId, Optional.empty(), now);
            }

            @Override
            public Runnable afterInventory(Connection connection, long deviceId, Optional<XmlNode> content, long now)
                    throws SQLException {
                List<Runnable> after = new ArrayList<>(list.size());
                for (InventoryTrigger t : list) {
                    after.add(t.afterInventory(connection, deviceId, content, now));
                }
                return () -> after.forEach(Runnable::run);
            }
        };
    }
}
