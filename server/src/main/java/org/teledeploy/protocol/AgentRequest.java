package org.teledeploy.protocol;

import java.util.Optional;

/**
 * One decoded, parsed agent message: what the query services receive.
 *
 * @param query the QUERY value (case-sensitive, e.g. {@code PROLOG})
 * @param deviceId the DEVICEID, validated (absent only for UPDATE)
 * @param root the document's root element (its name is ignored, as OCS does)
 * @param encoding how the body came, hence how the reply must go
 * @param userAgent the HTTP User-Agent, or ""
 * @param clientIp the peer address
 */
public record AgentRequest(
        String query, String deviceId, XmlNode root, BodyEncoding encoding, String userAgent, String clientIp) {

    /** The CONTENT element, if present and non-empty. */
    public Optional<XmlNode> content() {
        return root.child("CONTENT");
    }

    /**
     * Reads QUERY and DEVICEID from a parsed document (§1.6, §1.8): attributes or elements alike, DEVICEID also
     * from {@code CONTENT/DEVICEID}; the DEVICEID check comes before the QUERY check, and UPDATE needs none.
     *
     * @throws ProtocolException 400 for a missing or malformed DEVICEID, a missing QUERY
     */
    public static AgentRequest of(XmlNode root, BodyEncoding encoding, String userAgent, String clientIp) {
        Optional<String> query = root.value("QUERY");
        String deviceId = root.value("DEVICEID")
                .or(() -> root.child("CONTENT").flatMap(c -> c.value("DEVICEID")))
                .orElse(null);
        boolean update = query.isPresent() && query.get().equals("UPDATE");
        if (!update) {
            if (deviceId == null) {
                throw ProtocolException.badRequest("DEVICEID missing");
            }
            if (!DeviceIds.isValid(deviceId)) {
                throw ProtocolException.badRequest("DEVICEID " + DeviceIds.quote(deviceId)
                        + " is malformed (expected: <name>-YYYY-MM-DD-hh-mm-ss)");
            }
        }
        if (query.isEmpty()) {
            throw ProtocolException.badRequest("QUERY missing");
        }
        return new AgentRequest(query.get(), deviceId, root, encoding, userAgent == null ? "" : userAgent, clientIp);
    }
}
