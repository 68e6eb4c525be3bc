package org.teledeploy.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.Function;

/**
 * SQL functions SQLite lacks, registered on every connection: {@code ip_in_cidr(ip, cidr)} is 1 when the IPv4
 * address {@code ip} lies in {@code cidr} (e.g. {@code 10.1.0.0/16}), else 0 (also for NULL or non-IPv4 values).
 */
public final class IpFunctions {

    private IpFunctions() {}

    static void register(Connection connection) throws SQLException {
        Function.create(connection, "ip_in_cidr", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String ip = value_text(0);
                String cidr = value_text(1);
                result(ip != null && cidr != null && contains(cidr, ip) ? 1 : 0);
            }
        }, 2, Function.FLAG_DETERMINISTIC);
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @return {network, mask} as unsigned 32-bit values in longs
     * @throws IllegalArgumentException {@code "cidr: x (expected: a.b.c.d/0-32)"}
     */
    public static long[] parseCidr(String cidr) {
        int slash = cidr.indexOf('/');
        long address = slash < 0 ? -1 : ipv4(cidr.substring(0, slash));
        int bits = -1;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
        }
        if (address < 0 || bits < 0 || bits > 32) {
            throw new IllegalArgumentException("cidr: " + cidr + " (expected: a.b.c.d/0-32)");
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return new long[] {address & mask, mask};
    }

    static boolean contains(String cidr, String ip) {
        long address = ipv4(ip.trim());
        if (address < 0) {
            return false;
        }
        try {
            long[] network = parseCidr(cidr);
            return (address & network[1]) == network[0];
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The address as an unsigned 32-bit value, or -1 when it is not a dotted IPv4 address. */
    static long ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return value;
    }
}
