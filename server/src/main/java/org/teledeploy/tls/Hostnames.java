package org.teledeploy.tls;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The host names the server certificate is issued for. Agents check the name they connect to against the
 * certificate's subjectAltName: an IP address needs an {@code IP} entry, a name a {@code DNS} entry, so each
 * entry is classified here and compared in a canonical form ({@code "IP:127.0.0.1"}, {@code "DNS:localhost"}).
 */
final class Hostnames {

    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
    private static final int MAX_DNS_LENGTH = 253;
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private Hostnames() {
    }

    /** Validates the configured names; returns them unchanged, in order. */
    static List<String> validate(List<String> hostnames) {
        if (hostnames == null || hostnames.isEmpty()) {
            throw new IllegalArgumentException(
                    "tls.hostnames: " + hostnames + " (expected: at least one DNS name or IP address)");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String name : hostnames) {
            if (!seen.add(canonical(name))) {
                throw new IllegalArgumentException(
                        "tls.hostnames: " + hostnames + " (expected: each name once, \"" + name + "\" is repeated)");
            }
        }
        return List.copyOf(hostnames);
    }

    /** The canonical SAN form of one configured name; throws IllegalArgumentException for a malformed one. */
    static String canonical(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "tls.hostnames: \"" + name + "\" (expected: a DNS name or an IP address, not blank)");
        }
        if (isIpLiteral(name)) {
            return "IP:" + canonicalIp(name);
        }
        if (name.length() > MAX_DNS_LENGTH || !DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tls.hostnames: \"" + name
                    + "\" (expected: a DNS name of letters, digits, '-', '.' or an IPv4/IPv6 address literal)");
        }
        return "DNS:" + name.toLowerCase(Locale.ROOT);
    }

    static boolean isIpLiteral(String name) {
        return NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name);
    }

    /** The subjectAltName extension value for validated names. */
    static GeneralNames subjectAltNames(List<String> hostnames) {
        GeneralName[] names = new GeneralName[hostnames.size()];
        for (int i = 0; i < names.length; i++) {
            String name = hostnames.get(i);
            names[i] = isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, canonicalIp(name))
                    : new GeneralName(GeneralName.dNSName, name);
        }
        return new GeneralNames(names);
    }

    /** The canonical set of the names requested. */
    static Set<String> canonicalSet(List<String> hostnames) {
        Set<String> set = new LinkedHashSet<>();
        for (String name : hostnames) {
            set.add(canonical(name));
        }
        return set;
    }

    /** The canonical set of the SAN entries of a certificate; unexpected entry kinds appear as {@code OTHER:n}. */
    static Set<String> canonicalSet(X509Certificate certificate) throws CertificateParsingException {
        Set<String> set = new LinkedHashSet<>();
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries == null) {
            return set;
        }
        for (List<?> entry : entries) {
            int type = (Integer) entry.get(0);
            Object value = entry.get(1);
            if (type == SAN_DNS && value instanceof String) {
                set.add("DNS:" + ((String) value).toLowerCase(Locale.ROOT));
            } else if (type == SAN_IP && value instanceof String && isIpLiteral((String) value)) {
                set.add("IP:" + canonicalIp((String) value));
            } else {
                set.add("OTHER:" + type + ":" + value);
            }
        }
        return set;
    }

    /** An IP literal in one spelling: {@code ::1} and {@code 0:0:0:0:0:0:0:1} compare equal. No DNS lookup. */
    private static String canonicalIp(String literal) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "tls.hostnames: \"" + literal + "\" (expected: a valid IPv4 or IPv6 address)");
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "tls.hostnames: \"" + literal + "\" (expected: a valid IPv4 or IPv6 address)", e);
        }
    }
}
