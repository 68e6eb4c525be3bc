package org.teledeploy.protocol;

/**
 * What the endpoint answers to an accepted message: an XML document to encode like the request, or nothing
 * (200 with an empty body, as for DOWNLOAD, NOTIFY and SNMP).
 *
 * @param xml the reply document, or null for an empty 200
 * @param closeConnection answer with {@code Connection: close} and close the connection after the reply (OCS does
 *     so for a PROLOG that starts a network scan: the agent's next request comes minutes later, on a new
 *     connection)
 */
public record AgentReply(byte[] xml, boolean closeConnection) {

    private static final AgentReply EMPTY = new AgentReply(null, false);

    public static AgentReply empty() {
        return EMPTY;
    }

    public static AgentReply of(byte[] xml) {
        return new AgentReply(xml, false);
    }

    /** The same reply, closing the connection after it. */
    public AgentReply closingConnection() {
        return new AgentReply(xml, true);
    }

    public boolean hasBody() {
        return xml != null;
    }
}
