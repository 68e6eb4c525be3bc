package org.teledeploy.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Option;

/** Which devices a deployment command touches: named devices, a search, or a group (exactly one). */
final class Target {

    @Option(names = "--device", paramLabel = "DEVICEID", split = ",",
            description = "DEVICEIDs or names (repeat or separate with commas).")
    List<String> devices;

    @Option(names = "--where", paramLabel = "EXPR", description = "A search, e.g. os~windows,tag=PARIS.")
    String where;

    @Option(names = "--group", paramLabel = "NAME", description = "A static or dynamic group.")
    String group;

    void into(ObjectNode body) {
        if (devices != null) {
            ArrayNode list = body.putArray("devices");
            devices.forEach(list::add);
        }
        PackageCommands.putIfSet(body, "where", where);
        PackageCommands.putIfSet(body, "group", group);
    }
}
