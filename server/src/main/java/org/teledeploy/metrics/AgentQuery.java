package org.teledeploy.metrics;

/**
 * The OCS QUERY of an agent request, as the {@code query} label says it: the three that drive deployment by name,
 * everything else (NOTIFY, SNMP, UPDATE, unknown or unreadable) as {@link #OTHER}, and {@link #NONE} for requests
 * that are not agent messages, so that every series of the request metric has the same labels.
 */
public enum AgentQuery {
    PROLOG("prolog"),
    INVENTORY("inventory"),
    DOWNLOAD("download"),
    OTHER("other"),
    NONE("none");

    private final String label;

    AgentQuery(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The label of a request to {@code endpoint} whose QUERY was {@code query} (null when not parsed). */
    public static AgentQuery of(Endpoint endpoint, String query) {
        if (endpoint != Endpoint.AGENT) {
            return NONE;
        }
        if (query == null) {
            return OTHER;
        }
        return switch (query) {
            case "PROLOG" -> PROLOG;
            case "INVENTORY" -> INVENTORY;
            case "DOWNLOAD" -> DOWNLOAD;
            default -> OTHER;
        };
    }
}
