package org.teledeploy.config;

import java.util.Optional;

/**
 * The OCS server options (shared/ocs-protocol.md §7.4), under their OCS names, as one immutable value that the
 * PROLOG code reads on every request.
 *
 * @param frequency FREQUENCY in days: 0 inventory at every contact, -1 never
 * @param prologFreq PROLOG_FREQ in hours
 * @param inventoryOnStartup INVENTORY_ON_STARTUP
 * @param download DOWNLOAD, the global deployment switch sent as CONF ON
 * @param fragLatency DOWNLOAD_FRAG_LATENCY in seconds
 * @param cycleLatency DOWNLOAD_CYCLE_LATENCY in seconds
 * @param periodLatency DOWNLOAD_PERIOD_LATENCY in seconds
 * @param periodLength DOWNLOAD_PERIOD_LENGTH in cycles
 * @param timeout DOWNLOAD_TIMEOUT in days
 * @param executionTimeout DOWNLOAD_EXECUTION_TIMEOUT in minutes
 * @param uriInfo DOWNLOAD_URI_INFO if set
 * @param uriFrag DOWNLOAD_URI_FRAG if set
 */
public record OcsOptions(
        int frequency,
        int prologFreq,
        boolean inventoryOnStartup,
        boolean download,
        int fragLatency,
        int cycleLatency,
        int periodLatency,
        int periodLength,
        int timeout,
        int executionTimeout,
        Optional<String> uriInfo,
        Optional<String> uriFrag) {
}
