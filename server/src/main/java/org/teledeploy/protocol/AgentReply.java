package org.teledeploy.protocol;

/**
 * What the endpoint answers to an accepted message: an XML document to encode like the request, or nothing
 * (200 with an empty body, as for DOWNLOAD, NOTIFY and SNMP).
 *
 * @param xml the reply document, or null for an empty 200
 */
public record AgentReply(byte[] xml) {

    private static final AgentReply EMPTY = new AgentReply(null);

    public static AgentReply empty() {
        return EMPTY;
    }

    public static AgentReply of(byte[] xml) {
        return new AgentReply(xml);
    }

    public boolean hasBody() {
        return xml != null;
    }
}
