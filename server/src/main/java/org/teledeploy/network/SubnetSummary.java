package org.teledeploy.network;

import java.util.List;

/**
 * One subnet as the admin sees it: who is on it, who discovers it, and how many of the machines found there have
 * an agent. What {@link NetworkDiscovery#subnets()} returns, for the admin API, the CLI and the dashboard.
 *
 * @param cidr e.g. {@code 192.0.2.0/24}
 * @param devices registered devices on it (by their last inventory)
 * @param elected the devices that discover it now
 * @param hosts discovered hosts filed under it
 * @param managed hosts whose MAC is a registered device's
 * @param unmanaged hosts without an agent: {@code hosts - managed}
 */
public record SubnetSummary(String cidr, int devices, List<ElectedDevice> elected, int hosts, int managed,
                            int unmanaged) {

    public SubnetSummary {
        elected = List.copyOf(elected);
    }

    /**
     * @param deviceId the DEVICEID
     * @param forced elected by the admin rather than automatically
     */
    public record ElectedDevice(String deviceId, boolean forced) {}
}
