package org.teledeploy.transport;

import io.netty.channel.ChannelHandler;

/**
 * The admin API as the admin listener's pipeline sees it (implemented by {@code org.teledeploy.admin}), so that
 * this package stays free of what the API does. Per connection it gives the body aggregator, which collects
 * small JSON bodies and lets streamed uploads through chunk by chunk, the web dashboard's handler, and the handler
 * that answers every other request but {@code GET /health}. {@link Listeners} owns it once started and closes it after the event loops stop.
 */
public interface AdminEndpoint extends AutoCloseable {

    /** Installed as {@link PipelineNames#AGGREGATOR} of a new admin connection. */
    ChannelHandler newAggregator();

    /**
     * Installed as {@link PipelineNames#DASHBOARD}, after the {@code /health} handler: answers the web dashboard's
     * requests and passes every other message on.
     */
    ChannelHandler newDashboardHandler();

    /** Installed as {@link PipelineNames#ADMIN_API}, after the dashboard handler. */
    ChannelHandler newHandler();

    /**
     * Whether an {@code Authorization} header value (null when absent) carries the admin token: {@code /metrics}
     * on this listener asks it too.
     */
    boolean authorizes(String authorization);

    /** Stops background work (upload writes, clean-ups); called once, after the listeners closed. */
    @Override
    void close();
}
