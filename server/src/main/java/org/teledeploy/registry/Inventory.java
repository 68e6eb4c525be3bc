package org.teledeploy.registry;

import java.util.List;
import java.util.Optional;

/**
 * The facts teledeploy keeps from one INVENTORY message: what deployment targets on (name, OS, architecture,
 * addresses, user, domain, TAG), the software list and the agent's package history.
 */
public record Inventory(
        String name,
        String osName,
        String osVersion,
        String osComments,
        String arch,
        String ipAddress,
        String userId,
        String workgroup,
        String userDomain,
        String tag,
        String serial,
        String manufacturer,
        String model,
        String uuid,
        List<Network> networks,
        List<Software> software,
        List<String> downloadHistory,
        Optional<String> oldDeviceId) {

    /** One network interface (NETWORKS section). */
    public record Network(String description, String ipAddress, String ipMask, String ipSubnet, String ipGateway,
                          String macAddress, String status, String type) {}

    /** One installed software title (SOFTWARES section). */
    public record Software(String name, String version, String publisher, String arch) {}
}
