package org.teledeploy.protocol;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Routes a parsed request by its QUERY (shared/ocs-protocol.md §2.1). PROLOG, INVENTORY and DOWNLOAD go to the
 * services given; NOTIFY and SNMP are acknowledged with an empty 200 (also for unknown devices), UPDATE gets
 * {@code NO_UPDATE}; a missing QUERY was refused earlier and anything else is a 400.
 */
public final class QueryDispatcher {

    private static final byte[] NO_UPDATE = ReplyXml.reply().element("RESPONSE", "NO_UPDATE").toBytes();

    private final Map<String, QueryHandler> handlers;

    public QueryDispatcher(QueryHandler prolog, QueryHandler inventory, QueryHandler download) {
        QueryHandler empty = request -> CompletableFuture.completedFuture(AgentReply.empty());
        this.handlers = Map.of(
                "PROLOG", prolog,
                "INVENTORY", inventory,
                "DOWNLOAD", download,
                "NOTIFY", empty,
                "SNMP", empty,
                "UPDATE", request -> CompletableFuture.completedFuture(AgentReply.of(NO_UPDATE)));
    }

    public CompletableFuture<AgentReply> dispatch(AgentRequest request) {
        QueryHandler handler = handlers.get(request.query());
        if (handler == null) {
            return CompletableFuture.failedFuture(ProtocolException.badRequest(
                    "unknown QUERY " + DeviceIds.quote(request.query())
                            + " (expected: PROLOG, INVENTORY, DOWNLOAD, NOTIFY, SNMP or UPDATE)"));
        }
        try {
            return handler.handle(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
