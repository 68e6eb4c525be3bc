package org.teledeploy.deploy;

import java.util.concurrent.CompletableFuture;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.QueryHandler;
import org.teledeploy.protocol.ReplyXml;
import org.teledeploy.registry.DeviceRegistry;
import org.teledeploy.registry.InventoryReader;

/**
 * Accepts INVENTORY (shared/ocs-protocol.md §2.3): stores the device and answers {@code NO_ACCOUNT_UPDATE} after
 * the commit. An agent whose inventory is refused starts no download worker, so every well-formed inventory is
 * accepted, whatever sections it lacks.
 */
public final class InventoryService implements QueryHandler {

    private static final byte[] NO_ACCOUNT_UPDATE = ReplyXml.reply().element("RESPONSE", "NO_ACCOUNT_UPDATE").toBytes();

    private final DeviceRegistry registry;

    public InventoryService(DeviceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<AgentReply> handle(AgentRequest request) {
        return registry.storeInventory(request.deviceId(), request.userAgent(), InventoryReader.read(request.content()),
                        request.content())
                .thenApply(summary -> AgentReply.of(NO_ACCOUNT_UPDATE));
    }
}
