package org.teledeploy.protocol;

import java.util.concurrent.CompletableFuture;

/**
 * Handles one QUERY type. May complete at once (PROLOG, from memory) or after a commit (INVENTORY, DOWNLOAD);
 * fails with {@link ProtocolException} for a refused request.
 */
@FunctionalInterface
public interface QueryHandler {
    CompletableFuture<AgentReply> handle(AgentRequest request);
}
