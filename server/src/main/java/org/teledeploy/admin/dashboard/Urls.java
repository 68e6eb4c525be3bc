package org.teledeploy.admin.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.teledeploy.deploy.PackageStatistics.Bucket;

/**
 * The dashboard's URLs, built in one place: path segments and query values percent-encoded (a DEVICEID or a result
 * code becomes one segment or value whatever it holds), never a token.
 */
final class Urls {

    static final String LOGIN = "/login";
    static final String LOGOUT = "/logout";
    static final String HOME = "/dashboard";
    static final String NETWORK = "/dashboard/network";

    private Urls() {}

    static String pkg(String packageId) {
        return HOME + "/packages/" + segment(packageId);
    }

    static String bucket(String packageId, Bucket bucket) {
        return pkg(packageId) + "/devices?bucket=" + bucket.name().toLowerCase(Locale.ROOT);
    }

    /** The devices of one exact result code; waiting ("") has no code and is the waiting bucket. */
    static String code(String packageId, String state) {
        return state.isEmpty() ? bucket(packageId, Bucket.WAITING) : pkg(packageId) + "/devices?code=" + segment(state);
    }

    static String device(String deviceId) {
        return HOME + "/devices/" + segment(deviceId);
    }

    static String unmanagedHosts(String subnet) {
        return NETWORK + "/hosts?subnet=" + segment(subnet);
    }

    /** Percent-encodes everything but the unreserved characters of RFC 3986. */
    static String segment(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
