package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teledeploy group ...}: static groups (a member list) and dynamic groups (a saved search). */
@Command(name = "group", description = "Static and dynamic groups.",
        subcommands = {GroupCommands.Create.class, GroupCommands.ListGroups.class, GroupCommands.Show.class,
            GroupCommands.Delete.class, GroupCommands.Add.class, GroupCommands.Exclude.class, GroupCommands.Set.class,
            GroupCommands.Unset.class})
final class GroupCommands {

    private GroupCommands() {}

    static String path(String name) {
        return "/api/v1/groups/" + ApiClient.encode(name);
    }

    /** Static members or a search. */
    static final class Definition {
        @Option(names = "--device", paramLabel = "DEVICEID", split = ",", description = "Static members.")
        List<String> devices;
        @Option(names = "--where", paramLabel = "EXPR", description = "Dynamic: every device matching, now and later.")
        String where;
    }

    @Command(name = "create", description = "Create a static (--device) or dynamic (--where) group.")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Definition definition;

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            body.put("name", name);
            PackageCommands.putIfSet(body, "where", definition.where);
            JsonNode group = api().post("/api/v1/groups", body);
            if (definition.devices != null) {
                members(api(), name, definition.devices, false);
                group = api().get(path(name));
            }
            JsonNode created = group;
            out().print(created, () -> out().line("created group " + name + " (" + created.path("members").asInt()
                    + " member(s))"));
        }
    }

    static JsonNode members(ApiClient api, String group, List<String> devices, boolean exclude) {
        ObjectNode body = ApiClient.object();
        ArrayNode list = body.putArray("devices");
        devices.forEach(list::add);
        body.put("exclude", exclude);
        return api.post(path(group) + "/members", body);
    }

    @Command(name = "list", description = "List groups.")
    static final class ListGroups extends ApiCommand {
        @Override
        void run() {
            JsonNode groups = api().get("/api/v1/groups");
            out().print(groups, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode g : groups) {
                    rows.add(List.of(Output.text(g, "name"), g.hasNonNull("where") ? "dynamic" : "static",
                            Output.text(g, "members"), Output.text(g, "where")));
                }
                out().table(List.of("NAME", "KIND", "MEMBERS", "WHERE"), rows);
            });
        }
    }

    @Command(name = "show", description = "A group: members, parameters, and its packages' statistics.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run() {
            JsonNode g = api().get(path(name));
            JsonNode members = api().get(path(name) + "/members");
            ObjectNode document = g.deepCopy();
            document.set("memberList", members);
            out().print(document, () -> {
                out().fields(List.of(new String[] {"name", Output.text(g, "name")},
                        new String[] {"where", g.hasNonNull("where") ? Output.text(g, "where") : "(static)"},
                        new String[] {"members", Output.text(g, "members")},
                        new String[] {"settings", g.path("settings").toString()}));
                List<List<String>> rows = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = g.path("packages").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    List<String> row = new ArrayList<>(List.of(e.getKey()));
                    StatsCommand.BUCKETS.forEach(b -> row.add(e.getValue().path(b).asText("0")));
                    rows.add(row);
                }
                out().line("");
                out().table(List.of("PACKAGE", "WAITING", "NOTIFIED", "SUCCESS", "ERROR", "OTHER"), rows);
                out().line("");
                out().table(List.of("DEVICEID", "NAME", "OS", "IP", "TAG", "LAST CONTACT"), DeviceCommands.rows(members));
            });
        }
    }

    @Command(name = "delete", description = "Delete a group (device assignments made through it keep their states).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run() {
            JsonNode r = api().delete(path(name));
            out().print(r, () -> out().line("deleted group " + name));
        }
    }

    /** Adds or excludes members: the same call with a flag. */
    abstract static class MemberChange extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--device", required = true, split = ",", paramLabel = "DEVICEID")
        List<String> devices;

        abstract boolean exclude();

        @Override
        void run() {
            JsonNode r = members(api(), name, devices, exclude());
            out().print(r, () -> out().line((exclude() ? "excluded " : "added ") + r.path("changed").asInt()
                    + " device(s) " + (exclude() ? "from " : "to ") + name));
        }
    }

    @Command(name = "add", description = "Add static members.")
    static final class Add extends MemberChange {
        @Override
        boolean exclude() {
            return false;
        }
    }

    @Command(name = "exclude", description = "Exclude devices (beats the group's search).")
    static final class Exclude extends MemberChange {
        @Override
        boolean exclude() {
            return true;
        }
    }

    @Command(name = "set", description = "Set an OCS parameter of a group (e.g. DOWNLOAD_FRAG_LATENCY 30).")
    static final class Set extends ParameterCommands.Set {
        @Override
        String ownerPath() {
            return path(owner);
        }
    }

    @Command(name = "unset", description = "Clear an OCS parameter of a group.")
    static final class Unset extends ParameterCommands.Unset {
        @Override
        String ownerPath() {
            return path(owner);
        }
    }
}
