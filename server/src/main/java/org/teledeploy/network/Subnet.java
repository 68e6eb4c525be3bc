package org.teledeploy.network;

import java.util.Optional;

/**
 * An IPv4 subnet, the unit of network discovery: OCS elects agents per subnet and files what they find under it.
 * Always canonical (host bits zero), so two interfaces of one LAN give equal values; written as CIDR
 * ({@code 192.0.2.0/24}) everywhere in teledeploy, and as the bare network address in the PROLOG (what agents
 * expect, see {@link #address()}).
 *
 * @param network the network address as an unsigned 32-bit value
 * @param prefix the prefix length, 0-32
 */
public record Subnet(long network, int prefix) implements Comparable<Subnet> {

    public Subnet {
        if (prefix < 0 || prefix > 32 || network < 0 || network > 0xFFFFFFFFL || (network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("subnet: " + ipv4(network & 0xFFFFFFFFL) + "/" + prefix
                    + " (expected: a network address and a prefix 0-32)");
        }
    }

    /** The subnet of {@code address} with {@code prefix} bits (host bits cleared). */
    public static Subnet of(long address, int prefix) {
        return new Subnet(address & mask(prefix), prefix);
    }

    /**
     * Parses {@code a.b.c.d/n}; host bits are cleared ({@code 192.0.2.7/24} is {@code 192.0.2.0/24}).
     *
     * @throws IllegalArgumentException {@code "subnet: x (expected: a.b.c.d/n with n 0-32)"}
     */
    public static Subnet parse(String cidr) {
        String s = cidr == null ? "" : cidr.strip();
        int slash = s.indexOf('/');
        long address = slash < 0 ? -1 : parseIpv4(s.substring(0, slash));
        int prefix = slash < 0 ? -1 : parsePrefix(s.substring(slash + 1));
        if (address < 0 || prefix < 0) {
            throw new IllegalArgumentException("subnet: " + (cidr == null || cidr.isEmpty() ? "\"\"" : cidr)
                    + " (expected: a.b.c.d/n with n 0-32)");
        }
        return of(address, prefix);
    }

    public boolean contains(long address) {
        return (address & mask(prefix)) == network;
    }

    /** {@code 192.0.2.0/24}. */
    public String cidr() {
        return address() + "/" + prefix;
    }

    /** The network address alone, {@code 192.0.2.0}: the IPDISCOVER PARAM text (OCS TVALUE). */
    public String address() {
        return ipv4(network);
    }

    /** The mask in dotted form, {@code 255.255.255.0}. */
    public String mask() {
        return ipv4(mask(prefix));
    }

    /** The broadcast address (all host bits set). */
    public long broadcast() {
        return network | (~mask(prefix) & 0xFFFFFFFFL);
    }

    @Override
    public int compareTo(Subnet other) {
        int c = Long.compare(network, other.network);
        return c != 0 ? c : Integer.compare(prefix, other.prefix);
    }

    @Override
    public String toString() {
        return cidr();
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /**
     * A dotted IPv4 address as an unsigned 32-bit value, or -1: exactly four decimal parts of 1-3 ASCII digits,
     * each at most 255 (no other digits, signs or spaces: a hostile inventory cannot make it mean something else).
     */
    static long parseIpv4(String text) {
        if (text == null) {
            return -1;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return -1;
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /**
     * A netmask as a prefix length: dotted ({@code 255.255.255.0}) or hexadecimal as BSD and macOS agents write it
     * ({@code 0xffffff00}); empty when it is not a contiguous mask.
     */
    static Optional<Integer> parseMask(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        long mask;
        if (s.length() == 10 && (s.startsWith("0x") || s.startsWith("0X"))) {
            try {
                mask = Long.parseLong(s.substring(2), 16);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        } else {
            mask = parseIpv4(s);
        }
        if (mask < 0) {
            return Optional.empty();
        }
        int prefix = Long.bitCount(mask);
        return mask(prefix) == mask ? Optional.of(prefix) : Optional.empty();
    }

    static String ipv4(long value) {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + (value & 0xFF);
    }

    private static int parsePrefix(String text) {
        if (text.isEmpty() || text.length() > 2 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int prefix = Integer.parseInt(text);
        return prefix <= 32 ? prefix : -1;
    }
}
