package org.teledeploy.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.teledeploy.registry.Inventory;

/**
 * Which subnets a device can discover, from the NETWORKS of its inventory. A pure function, so every rule has a
 * test. OCS ({@code Server/Capacities/Ipdiscover.pm}, {@code _ipdiscover_find_iface}) takes an interface that is
 * not {@code ppp}, whose STATUS says up, whose mask starts with {@code 255.255.} and whose IPSUBNET is dotted IPv4.
 * teledeploy keeps those rules and computes the network from IPADDRESS and IPMASK itself (the agent's IPSUBNET
 * is only a fallback), and also drops:
 * <ul>
 *   <li>interfaces without a usable mask (missing, not contiguous), IPv6 entries, loopback (127/8), link-local
 *       (169.254/16), 0/8 and multicast or reserved addresses (224/3);</li>
 *   <li>prefixes longer than /30: a /31 or /32 (VPN tunnels, cloud interfaces) has no neighbour to discover.</li>
 * </ul>
 * A missing STATUS is accepted (OCS would skip the interface; every agent sends it, so this only matters for
 * synthetic inventories).
 *
 * <p>The <em>primary</em> subnet is the one the device's default route leaves by: the one that holds
 * HARDWARE/DEFAULTGATEWAY, else the first whose interface has an IPGATEWAY inside it, else the first. It matters
 * because the Unix agent 2.10 always scans the interface of its default route, whatever subnet the PROLOG names
 * ({@code Backend/IpDiscover/IpDiscover.pm} assigns instead of comparing: {@code if ($network = $1)}).
 */
public final class InterfaceSubnets {

    /** OCS elects only on masks of at least 255.255.0.0; an ARP sweep of a /8 would be 16 million requests. */
    public static final int MIN_PREFIX = 16;
    public static final int MAX_PREFIX = 30;

    private InterfaceSubnets() {}

    /**
     * @param networks the inventory's NETWORKS, in document order
     * @param defaultGateway HARDWARE/DEFAULTGATEWAY, or ""
     * @return the distinct subnets, the primary one first, then in interface order
     */
    public static List<Subnet> derive(List<Inventory.Network> networks, String defaultGateway) {
        List<Subnet> subnets = new ArrayList<>();
        int withGateway = -1;
        for (Inventory.Network n : networks) {
            Optional<Subnet> subnet = of(n);
            if (subnet.isEmpty()) {
                continue;
            }
            int index = subnets.indexOf(subnet.get());
            if (index < 0) {
                subnets.add(subnet.get());
                index = subnets.size() - 1;
            }
            long gateway = Subnet.parseIpv4(n.ipGateway().strip());
            if (withGateway < 0 && gateway > 0 && subnet.get().contains(gateway)) {
                withGateway = index;
            }
        }
        long gateway = Subnet.parseIpv4(defaultGateway == null ? "" : defaultGateway.strip());
        int primary = -1;
        if (gateway > 0) {
            for (int i = 0; i < subnets.size() && primary < 0; i++) {
                if (subnets.get(i).contains(gateway)) {
                    primary = i;
                }
            }
        }
        if (primary < 0) {
            primary = withGateway;
        }
        if (primary > 0) {
            subnets.add(0, subnets.remove(primary));
        }
        return subnets;
    }

    /** The subnet of one interface, if it is one that can be discovered. */
    static Optional<Subnet> of(Inventory.Network n) {
        if (n.description().toLowerCase(Locale.ROOT).contains("ppp")) {
            return Optional.empty();
        }
        String status = n.status().strip();
        if (!status.isEmpty() && !status.toLowerCase(Locale.ROOT).contains("up")) {
            return Optional.empty();
        }
        long address = Subnet.parseIpv4(n.ipAddress().strip());
        if (address < 0) {
            address = Subnet.parseIpv4(n.ipSubnet().strip());
        }
        Optional<Integer> prefix = Subnet.parseMask(n.ipMask());
        if (address < 0 || prefix.isEmpty() || prefix.get() < MIN_PREFIX || prefix.get() > MAX_PREFIX) {
            return Optional.empty();
        }
        int first = (int) (address >>> 24);
        boolean linkLocal = (address >>> 16) == ((169L << 8) | 254);
        if (first == 0 || first == 127 || first >= 224 || linkLocal) {
            return Optional.empty();
        }
        return Optional.of(Subnet.of(address, prefix.get()));
    }
}
