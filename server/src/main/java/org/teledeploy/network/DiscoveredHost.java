package org.teledeploy.network;

import java.util.Optional;

/**
 * A machine an elected agent found on its network: what {@link NetworkDiscovery#hosts} lists. An unmanaged host
 * (no registered device has its MAC) is a machine without an agent, which no deployment will ever reach.
 *
 * @param subnet the subnet it was filed under, CIDR
 * @param ip its address when last seen
 * @param mac lower case, colons
 * @param mask the subnet's mask, dotted
 * @param name the name the agent resolved, "" if none
 * @param firstSeen epoch milliseconds of the first report
 * @param lastSeen epoch milliseconds of the last report
 * @param reportedBy DEVICEID of the last agent that reported it (empty if that device was removed)
 * @param device DEVICEID of the registered device with this MAC, empty for an unmanaged host
 */
public record DiscoveredHost(String subnet, String ip, String mac, String mask, String name, long firstSeen,
                             long lastSeen, Optional<String> reportedBy, Optional<String> device) {

    public boolean managed() {
        return device.isPresent();
    }
}
