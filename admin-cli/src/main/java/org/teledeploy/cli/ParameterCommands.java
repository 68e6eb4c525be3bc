package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Parameters;

/**
 * {@code set OWNER PARAM VALUE} and {@code unset OWNER PARAM} for devices and groups alike: the OCS parameters
 * at {@code <owner path>/settings/<PARAM>}.
 */
final class ParameterCommands {

    private ParameterCommands() {}

    /** Sets one parameter of the owner at {@link #ownerPath()}. */
    abstract static class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "OWNER", description = "The DEVICEID or group name.")
        String owner;
        @Parameters(index = "1", paramLabel = "PARAM", description = "e.g. DOWNLOAD_SWITCH, DOWNLOAD_FRAG_LATENCY.")
        String parameter;
        @Parameters(index = "2", paramLabel = "VALUE")
        int value;

        abstract String ownerPath();

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            body.put("value", value);
            print(api().put(ownerPath() + "/settings/" + ApiClient.encode(parameter), body));
        }

        void print(JsonNode r) {
            out().print(r, () -> out().line(r.path("settings").toString()));
        }
    }

    /** Clears one parameter of the owner at {@link #ownerPath()}. */
    abstract static class Unset extends ApiCommand {
        @Parameters(index = "0", paramLabel = "OWNER", description = "The DEVICEID or group name.")
        String owner;
        @Parameters(index = "1", paramLabel = "PARAM")
        String parameter;

        abstract String ownerPath();

        @Override
        void run() {
            JsonNode r = api().delete(ownerPath() + "/settings/" + ApiClient.encode(parameter));
            out().print(r, () -> out().line(r.path("settings").toString()));
        }
    }
}
