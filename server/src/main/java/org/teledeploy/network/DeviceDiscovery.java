package org.teledeploy.network;

import java.util.List;
import java.util.Optional;

/**
 * One device's part in network discovery: the admin's policy, the subnet it discovers now, and the subnets it is
 * on. What {@link NetworkDiscovery#elect}, {@link NetworkDiscovery#forbid} and {@link NetworkDiscovery#clear}
 * answer with, so the caller sees the outcome of the election at once.
 *
 * @param deviceId the DEVICEID
 * @param policy automatic, forced or forbidden
 * @param forcedSubnet the subnet it is forced for (CIDR), when forced
 * @param electedSubnet the subnet it discovers now (CIDR), if any; empty while IPDISCOVER=0
 * @param subnets the subnets its last inventory puts it on, primary (default route) first
 * @param unableSince epoch milliseconds when it was asked to scan and sent no result, 0 if never
 */
public record DeviceDiscovery(String deviceId, Election.Policy policy, Optional<String> forcedSubnet,
                              Optional<String> electedSubnet, List<String> subnets, long unableSince) {

    public DeviceDiscovery {
        subnets = List.copyOf(subnets);
    }
}
