package org.teledeploy.config;

import java.time.Duration;

/**
 * The network discovery (OCS IpDiscover) options as one immutable value, so that the election and the PROLOG
 * option read them without going back to the configuration. The OCS keys keep their OCS names and defaults
 * (OCS {@code Apache/Ocsinventory/Server/System/Config.pm}).
 *
 * @param maxPerSubnet IPDISCOVER: devices elected per subnet, 0 = discovery off
 * @param latency IPDISCOVER_LATENCY in milliseconds, sent to agents as IPDISC_LAT
 * @param maxAliveDays IPDISCOVER_MAX_ALIVE: an elected device not inventoried for that long loses its seat
 * @param betterThresholdDays IPDISCOVER_BETTER_THRESHOLD: how much better (in average days between contacts) a
 *     device must be to replace an elected one
 * @param noPostpone IPDISCOVER_NO_POSTPONE: elect from the first inventory instead of after three contacts
 * @param hostRetention ipdiscover.host.retention: discovered hosts not seen for that long are forgotten
 * @param maxHostsPerInventory limit.ipdiscover.hosts: hosts kept from one inventory at most
 */
public record DiscoveryOptions(int maxPerSubnet, int latency, int maxAliveDays, double betterThresholdDays,
                               boolean noPostpone, Duration hostRetention, int maxHostsPerInventory) {

    /** Whether discovery is on at all (IPDISCOVER above 0). */
    public boolean enabled() {
        return maxPerSubnet > 0;
    }

    public long maxAliveMillis() {
        return maxAliveDays * 86_400_000L;
    }
}
