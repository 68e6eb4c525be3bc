package org.teledeploy.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.teledeploy.protocol.XmlNode;

/**
 * Reads the hosts an agent discovered from its inventory: {@code CONTENT/IPDISCOVER/H}, one {@code H} per host
 * with {@code I} (IPv4 address), {@code M} (MAC) and {@code N} (name). Exists so that the wire format is pinned in
 * one place, and a hostile or broken section costs bounded work and never fails the inventory.
 *
 * <p>Where the format comes from (Unix agent 2.10): {@code Backend/IpDiscover/IpDiscover.pm} runs
 * {@code ipdiscover <iface> <IPDISC_LAT>}, whose output lines are {@code <H><I>%s</I><M>%02x:..:%02x</M><N>%s</N></H>}
 * ({@code /usr/bin/ipdiscover}; {@code N} is {@code -} when the host has no name), or {@code Nmap.pm} scans
 * {@code <subnet>/24}; both call {@code Common.pm addIpDiscoverEntry}, which stores {@code I}, {@code M}, {@code N}
 * as one-element arrays under {@code IPDISCOVER/H}; {@code XML/Inventory.pm} writes them with XML::Simple XMLout,
 * hence child elements in sorted order and {@code N} = {@code -} for a missing name. As everywhere in the protocol,
 * attributes and child elements mean the same ({@code <H I="…" M="…" N="…"/>} is read identically).
 *
 * <p>Validation is stricter than OCS's ({@code _ipdiscover_read_result} only checks {@code I} against
 * {@code \d{1,3}(\.\d{1,3}){3}} and {@code M} against {@code .{2}(:.{2}){5}}): an entry without a valid IPv4
 * address or MAC is skipped and counted, the rest of the section is still read.
 */
public final class DiscoverySection {

    /** Longest host name kept (OCS: varchar(255)). */
    static final int MAX_NAME = 255;

    /**
     * One discovered host.
     *
     * @param ip the address, canonical dotted form
     * @param ipNumber the same as an unsigned 32-bit value
     * @param mac lower case with colons, {@code 00:00:5e:00:53:01}
     * @param name the host name the agent resolved, "" for none (the agent's {@code -})
     */
    public record Host(String ip, long ipNumber, String mac, String name) {}

    /**
     * What one inventory carried.
     *
     * @param present the inventory had an IPDISCOVER section at all (an agent asked to scan that sends none could
     *     not scan, or found nothing)
     * @param hosts the valid entries, at most the cap given to {@link #read}
     * @param skipped malformed entries (bad or missing address or MAC)
     * @param overLimit valid-looking entries beyond the cap, not read
     */
    public record Parsed(boolean present, List<Host> hosts, int skipped, int overLimit) {
        static final Parsed ABSENT = new Parsed(false, List.of(), 0, 0);
    }

    private DiscoverySection() {}

    /**
     * @param content the inventory's CONTENT element
     * @param maxHosts hosts kept at most (limit.ipdiscover.hosts); entries past it are only counted
     */
    public static Parsed read(Optional<XmlNode> content, int maxHosts) {
        Optional<XmlNode> section = content.flatMap(c -> c.child("IPDISCOVER"));
        if (section.isEmpty()) {
            return Parsed.ABSENT;
        }
        List<Host> hosts = new ArrayList<>();
        int skipped = 0;
        int over = 0;
        for (XmlNode h : section.get().children()) {
            if (!h.name().equals("H") || h.isEmpty()) {
                continue;
            }
            if (hosts.size() >= maxHosts) {
                over++;
                continue;
            }
            Optional<Host> host = host(h);
            if (host.isPresent()) {
                hosts.add(host.get());
            } else {
                skipped++;
            }
        }
        return new Parsed(true, hosts, skipped, over);
    }

    private static Optional<Host> host(XmlNode h) {
        long ip = Subnet.parseIpv4(h.valueOrEmpty("I").strip());
        Optional<String> mac = normalizeMac(h.valueOrEmpty("M"));
        if (ip <= 0 || ip == 0xFFFFFFFFL || mac.isEmpty()) {
            return Optional.empty();
        }
        String name = h.valueOrEmpty("N").strip();
        if (name.equals("-")) {
            name = "";
        }
        if (name.length() > MAX_NAME) {
            name = name.substring(0, MAX_NAME);
        }
        return Optional.of(new Host(Subnet.ipv4(ip), ip, mac.get(), name));
    }

    /**
     * A MAC in the one form teledeploy stores and matches: six pairs of hex digits, lower case, colons. Accepts
     * upper case and dashes (Windows writes {@code 00-0C-29-…} in places); refuses the all-zero and broadcast
     * addresses, which no real host answers ARP with.
     */
    public static Optional<String> normalizeMac(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.length() != 17) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(17);
        for (int i = 0; i < 17; i++) {
            char c = s.charAt(i);
            if (i % 3 == 2) {
                if (c != ':' && c != '-') {
                    return Optional.empty();
                }
                out.append(':');
            } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
                out.append(c);
            } else if (c >= 'A' && c <= 'F') {
                out.append((char) (c + ('a' - 'A')));
            } else {
                return Optional.empty();
            }
        }
        String mac = out.toString();
        if (mac.equals("00:00:00:00:00:00") || mac.equals("ff:ff:ff:ff:ff:ff")) {
            return Optional.empty();
        }
        return Optional.of(mac);
    }
}
