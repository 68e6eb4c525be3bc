package org.teledeploy.packages;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.ProtocolException;
import org.teledeploy.protocol.XmlNode;

/**
 * A package's {@code info} file (shared/ocs-protocol.md §4.5): what the agent fetches over HTTPS before anything
 * else. Written byte for byte in the OCS builder's layout and attribute order, with values escaped (OCS does not
 * escape); read back from OCS download directories on import, with the same hardened XML reader as agent
 * requests (no DTD, no entities).
 *
 * @param id the package ID (digits)
 * @param priority PRI
 * @param action ACT
 * @param digest lower-case hex over the whole archive, "" without payload
 * @param protocol PROTO
 * @param fragments FRAGS, 0 without payload
 * @param digestAlgorithm DIGEST_ALGO
 * @param actionParameter NAME / COMMAND / PATH
 * @param notification NOTIFY_* and NEED_DONE_ACTION*
 */
public record InfoFile(String id, int priority, PackageAction action, String digest, FragmentProtocol protocol,
                       int fragments, DigestAlgorithm digestAlgorithm, String actionParameter,
                       Notification notification) {

    /** The only encoding teledeploy writes, and the only one it imports (Base64 is rendered differently by agents). */
    public static final String DIGEST_ENCODE = "Hexa";

    /** The bytes of the file. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DOWNLOAD ");
        attribute(sb, "ID", id);
        attribute(sb, "PRI", Integer.toString(priority));
        attribute(sb, "ACT", action.name());
        attribute(sb, "DIGEST", digest);
        attribute(sb, "PROTO", protocol.name());
        attribute(sb, "FRAGS", Integer.toString(fragments));
        attribute(sb, "DIGEST_ALGO", digestAlgorithm.name());
        attribute(sb, "DIGEST_ENCODE", DIGEST_ENCODE);
        attribute(sb, action.infoAttribute(), actionParameter);
        attribute(sb, "NOTIFY_USER", notification.notifiesUser() ? "1" : "0");
        attribute(sb, "NOTIFY_TEXT", notification.text());
        attribute(sb, "NOTIFY_COUNTDOWN", notification.countdownSeconds().isPresent()
                ? Integer.toString(notification.countdownSeconds().getAsInt()) : "");
        attribute(sb, "NOTIFY_CAN_ABORT", notification.canAbort() ? "1" : "0");
        attribute(sb, "NOTIFY_CAN_DELAY", notification.canDelay() ? "1" : "0");
        attribute(sb, "NEED_DONE_ACTION", notification.doneText().isEmpty() ? "0" : "1");
        attribute(sb, "NEED_DONE_ACTION_TEXT", notification.doneText());
        attribute(sb, "GARDEFOU", "rien");
        sb.append("/>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void attribute(StringBuilder sb, String name, String value) {
        sb.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append("&#10;");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append("&#9;");
                default -> sb.append(ch);
            }
        }
        sb.append("\" ");
    }

    /**
     * Reads an info file written by OCS (or by teledeploy).
     *
     * @throws IllegalArgumentException saying what is wrong, in the shape {@code "PRI: x (expected: 0 to 10)"}
     */
    public static InfoFile parse(byte[] bytes) {
        XmlNode root;
        try {
            root = new AgentXmlReader(8).parse(bytes);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("info: " + e.getMessage(), e);
        }
        if (!root.name().equals("DOWNLOAD")) {
            throw new IllegalArgumentException("info: root element " + root.name() + " (expected: DOWNLOAD)");
        }
        Map<String, String> a = root.attributes();
        String id = required(a, "ID");
        if (!id.matches("[0-9]{1,19}")) {
            throw new IllegalArgumentException("ID: " + id + " (expected: digits only, agents skip other IDs)");
        }
        int priority = integer(a, "PRI", 0, 10);
        PackageAction action = PackageAction.fromInfo(required(a, "ACT"));
        int fragments = integer(a, "FRAGS", 0, Fragmentation.MAX_FRAGMENTS);
        String digest = a.getOrDefault("DIGEST", "");
        DigestAlgorithm algorithm = DigestAlgorithm.MD5;
        FragmentProtocol protocol = FragmentProtocol.HTTP;
        if (fragments > 0) {
            String algo = required(a, "DIGEST_ALGO");
            if (!algo.equals("MD5") && !algo.equals("SHA1")) {
                throw new IllegalArgumentException("DIGEST_ALGO: " + algo + " (expected: MD5 or SHA1, upper case)");
            }
            algorithm = DigestAlgorithm.valueOf(algo);
            String encode = a.getOrDefault("DIGEST_ENCODE", "");
            if (!encode.equalsIgnoreCase(DIGEST_ENCODE)) {
                throw new IllegalArgumentException("DIGEST_ENCODE: " + encode + " (expected: Hexa; Base64 digests are"
                        + " rendered differently by Unix and Windows agents)");
            }
            int hexLength = algorithm == DigestAlgorithm.MD5 ? 32 : 40;
            if (!digest.matches("[0-9a-f]{" + hexLength + "}")) {
                throw new IllegalArgumentException("DIGEST: " + digest + " (expected: " + hexLength
                        + " lower-case hex digits)");
            }
            protocol = FragmentProtocol.parse(required(a, "PROTO"));
        }
        String parameter = a.getOrDefault(action.infoAttribute(), "");
        String countdown = a.getOrDefault("NOTIFY_COUNTDOWN", "");
        Notification notification = new Notification(
                "1".equals(a.get("NOTIFY_USER")) ? a.getOrDefault("NOTIFY_TEXT", "") : "",
                countdown.isBlank() ? OptionalInt.empty() : OptionalInt.of(integer(a, "NOTIFY_COUNTDOWN", 0, 86_400)),
                "1".equals(a.get("NOTIFY_USER")) && "1".equals(a.get("NOTIFY_CAN_ABORT")),
                "1".equals(a.get("NOTIFY_USER")) && "1".equals(a.get("NOTIFY_CAN_DELAY")),
                "1".equals(a.get("NEED_DONE_ACTION")) ? a.getOrDefault("NEED_DONE_ACTION_TEXT", "") : "");
        return new InfoFile(id, priority, action, digest, protocol, fragments, algorithm, parameter, notification);
    }

    private static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + ": missing (expected: a value in the info file)");
        }
        return value;
    }

    private static int integer(Map<String, String> attributes, String name, int min, int max) {
        String value = required(attributes, name).trim();
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + " to " + max + ")");
    }
}
