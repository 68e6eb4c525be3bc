package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teledeploy device ...}: the registry, a device's timeline, its OCS parameters. */
@Command(name = "device", description = "Devices known to the server.",
        subcommands = {DeviceCommands.ListDevices.class, DeviceCommands.Show.class, DeviceCommands.Set.class,
            DeviceCommands.Unset.class})
final class DeviceCommands {

    private DeviceCommands() {}

    @Command(name = "list", description = "List devices, optionally matching a search.")
    static final class ListDevices extends ApiCommand {
        @Option(names = "--where", paramLabel = "EXPR", description = "e.g. os~linux,tag=PARIS")
        String where;
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
        int limit;
        @Option(names = "--offset", defaultValue = "0", description = "Skip this many.")
        int offset;

        @Override
        void run() {
            String query = "?limit=" + limit + "&offset=" + offset
                    + (where == null ? "" : "&where=" + ApiClient.encode(where));
            JsonNode page = api().get("/api/v1/devices" + query);
            out().print(page, () -> {
                out().table(List.of("DEVICEID", "NAME", "OS", "IP", "TAG", "LAST CONTACT"), rows(page.path("devices")));
                out().line(page.path("devices").size() + " of " + page.path("total").asText() + " device(s)");
            });
        }
    }

    static List<List<String>> rows(JsonNode devices) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode d : devices) {
            rows.add(List.of(Output.text(d, "deviceId"), Output.text(d, "name"), Output.text(d, "os"),
                    Output.text(d, "ip"), Output.text(d, "tag"), Output.text(d, "lastContact")));
        }
        return rows;
    }

    @Command(name = "show", description = "One device, with its deployment timeline.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "DEVICEID")
        String deviceId;

        @Override
        void run() {
            JsonNode d = api().get("/api/v1/devices/" + ApiClient.encode(deviceId));
            out().print(d, () -> {
                List<String[]> fields = new ArrayList<>();
                for (String f : List.of("deviceId", "name", "os", "osVersion", "ip", "tag", "userAgent",
                        "firstContact", "lastContact", "lastInventory", "software")) {
                    fields.add(new String[] {f, Output.text(d, f)});
                }
                fields.add(new String[] {"groups", join(d.path("groups"))});
                fields.add(new String[] {"settings", d.path("settings").toString()});
                out().fields(fields);
                List<List<String>> timeline = new ArrayList<>();
                for (JsonNode e : d.path("timeline")) {
                    timeline.add(List.of(Output.text(e, "at"), Output.text(e, "packageId"), Output.text(e, "event"),
                            Output.text(e, "detail")));
                }
                out().line("");
                out().table(List.of("AT", "PACKAGE", "EVENT", "DETAIL"), timeline);
            });
        }
    }

    static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(n -> items.add(n.isObject() ? Output.text(n, "name") : n.asText()));
        return String.join(", ", items);
    }

    @Command(name = "set", description = "Set an OCS parameter of a device (e.g. DOWNLOAD_SWITCH 0).")
    static final class Set extends ParameterCommands.Set {
        @Override
        String ownerPath() {
            return "/api/v1/devices/" + ApiClient.encode(owner);
        }
    }

    @Command(name = "unset", description = "Clear an OCS parameter of a device.")
    static final class Unset extends ParameterCommands.Unset {
        @Override
        String ownerPath() {
            return "/api/v1/devices/" + ApiClient.encode(owner);
        }
    }
}
