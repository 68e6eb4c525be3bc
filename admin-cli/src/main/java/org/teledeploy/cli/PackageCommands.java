package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teledeploy package ...}: build, list, show, edit, delete, activate, deactivate, import from OCS. */
@Command(name = "package", description = "Build and manage packages.",
        subcommands = {PackageCommands.Create.class, PackageCommands.ListPackages.class, PackageCommands.Show.class,
            PackageCommands.Edit.class, PackageCommands.Delete.class, PackageCommands.Activate.class,
            PackageCommands.Deactivate.class, PackageCommands.ImportOcs.class})
final class PackageCommands {

    private PackageCommands() {}

    /** Options that {@code create} and {@code edit} share: what the Windows agent shows, priority, post command. */
    static class Presentation {
        @Option(names = "--description", description = "Free text for admins.")
        String description;
        @Option(names = "--priority", paramLabel = "0-10", description = "PRI: lower downloads first (default 5).")
        Integer priority;
        @Option(names = "--notify-text", paramLabel = "TEXT", description = "Windows: message shown before the action.")
        String notifyText;
        @Option(names = "--notify-countdown", paramLabel = "SECONDS", description = "Windows: seconds before it runs.")
        Integer notifyCountdown;
        @Option(names = "--can-abort", description = "Windows: the user may cancel.")
        Boolean canAbort;
        @Option(names = "--can-delay", description = "Windows: the user may postpone.")
        Boolean canDelay;
        @Option(names = "--done-text", paramLabel = "TEXT", description = "Windows: message shown after the action.")
        String doneText;
        @Option(names = "--post-cmd", paramLabel = "none|reboot|shutdown", description = "Windows: after the action.")
        String postCmd;

        void into(ObjectNode body) {
            putIfSet(body, "description", description);
            if (priority != null) {
                body.put("priority", priority);
            }
            if (notifyText != null || notifyCountdown != null || canAbort != null || canDelay != null
                    || doneText != null) {
                ObjectNode n = body.putObject("notification");
                n.put("text", notifyText == null ? "" : notifyText);
                if (notifyCountdown != null) {
                    n.put("countdown", notifyCountdown);
                } else {
                    n.putNull("countdown");
                }
                n.put("canAbort", Boolean.TRUE.equals(canAbort));
                n.put("canDelay", Boolean.TRUE.equals(canDelay));
                n.put("doneText", doneText == null ? "" : doneText);
            }
            putIfSet(body, "postCmd", postCmd);
        }
    }

    static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /** Where the payload comes from: at most one. */
    static class Source {
        @Option(names = "--file", paramLabel = "ARCHIVE", description = "A zip or tar.gz here, uploaded.")
        Path file;
        @Option(names = "--dir", paramLabel = "DIR", description = "A directory on the server's machine; the server"
                + " archives it (tar.gz for linux/mac, zip for windows).")
        Path dir;
        @Option(names = "--server-file", paramLabel = "ARCHIVE", description = "An archive already on the server's"
                + " machine (no upload).")
        Path serverFile;
    }

    @Command(name = "create", description = "Build a package; prints its ID.")
    static final class Create extends ApiCommand {
        @Option(names = "--name", required = true, description = "What admins call it.")
        String name;
        @ArgGroup(exclusive = true)
        Source source;
        @Option(names = "--os", required = true, paramLabel = "linux|windows|mac", description = "Agent family.")
        String os;
        @Option(names = "--action", required = true, paramLabel = "launch|execute|store", description = "What the agent does.")
        String action;
        @Option(names = "--command", description = "LAUNCH: file to run; EXECUTE: command line.")
        String command;
        @Option(names = "--path", description = "STORE: destination directory.")
        String path;
        @Option(names = "--fragments", paramLabel = "N", description = "Cut into N fragments.")
        Integer fragments;
        @Option(names = "--fragment-size", paramLabel = "SIZE", description = "Cut into fragments of SIZE (e.g. 4m).")
        String fragmentSize;
        @Option(names = "--protocol", paramLabel = "http|https", description = "Scheme of the fragments (default http).")
        String protocol;
        @Option(names = "--digest", paramLabel = "md5|sha1", description = "Digest agents check (default md5).")
        String digest;
        @ArgGroup(exclusive = false)
        Presentation presentation = new Presentation();

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            body.put("name", name);
            body.put("os", os);
            body.put("action", action);
            putIfSet(body, "command", command);
            putIfSet(body, "path", path);
            if (fragments != null) {
                body.put("fragments", fragments);
            }
            putIfSet(body, "fragmentSize", fragmentSize);
            putIfSet(body, "protocol", protocol);
            putIfSet(body, "digest", digest);
            presentation.into(body);
            if (source != null && source.file != null) {
                if (!Files.isRegularFile(source.file)) {
                    throw new ApiException(ApiException.USAGE, "file: " + source.file + " (expected: an existing"
                            + " archive file)");
                }
                if (!Files.isReadable(source.file)) {
                    throw new ApiException(ApiException.USAGE, "file: " + source.file + " cannot be read");
                }
                body.put("upload", api().upload(source.file, progress()).get("upload").asText());
            } else if (source != null && source.dir != null) {
                body.put("dir", source.dir.toAbsolutePath().toString());
            } else if (source != null && source.serverFile != null) {
                body.put("file", source.serverFile.toAbsolutePath().toString());
            }
            JsonNode created;
            try (BuildTicker ticker = BuildTicker.start(progress())) {
                created = api().post("/api/v1/packages", body);
            }
            out().print(created, () -> out().line(created.get("id").asText()));
        }
    }

    @Command(name = "list", description = "List packages.")
    static final class ListPackages extends ApiCommand {
        @Override
        void run() {
            JsonNode packages = api().get("/api/v1/packages");
            out().print(packages, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode p : packages) {
                    rows.add(List.of(p.get("id").asText(), Output.text(p, "name"), Output.text(p, "os"),
                            Output.text(p, "action"), Output.text(p, "priority"), Output.text(p, "fragments"),
                            Output.size(p.path("archiveSize").asLong()), status(p)));
                }
                out().table(List.of("ID", "NAME", "OS", "ACTION", "PRI", "FRAGS", "SIZE", "STATUS"), rows);
            });
        }
    }

    static String status(JsonNode p) {
        if (p.hasNonNull("broken")) {
            return "broken: " + p.get("broken").asText();
        }
        JsonNode corrupt = p.path("corruptFragments");
        if (corrupt.isArray() && !corrupt.isEmpty()) {
            List<String> numbers = new ArrayList<>();
            corrupt.forEach(n -> numbers.add(n.asText()));
            return "broken: fragment" + (numbers.size() > 1 ? "s " : " ") + String.join(", ", numbers)
                    + " corrupt on disk (not served until restored)";
        }
        return p.hasNonNull("activation") ? "active" : "inactive";
    }

    @Command(name = "show", description = "Show one package.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run() {
            JsonNode p = api().get("/api/v1/packages/" + ApiClient.encode(id));
            out().print(p, () -> describe(out(), p));
        }
    }

    static void describe(Output out, JsonNode p) {
        List<String[]> rows = new ArrayList<>();
        for (String field : List.of("id", "name", "description", "os", "action", "command", "path", "priority",
                "protocol", "digestAlgorithm", "digest", "fragments", "origin", "createdAt", "updatedAt", "postCmd")) {
            if (p.hasNonNull(field) && !p.get(field).asText().isEmpty()) {
                rows.add(new String[] {field, p.get(field).asText()});
            }
        }
        rows.add(new String[] {"archiveSize", Output.size(p.path("archiveSize").asLong())});
        JsonNode a = p.get("activation");
        rows.add(new String[] {"status", status(p)});
        if (a != null && !a.isNull()) {
            rows.add(new String[] {"infoUrl", Output.text(a, "infoUrl")});
            rows.add(new String[] {"fragUrl", Output.text(a, "fragUrl")});
        }
        JsonNode n = p.path("notification");
        if (!Output.text(n, "text").isEmpty()) {
            rows.add(new String[] {"notifyText", Output.text(n, "text")});
        }
        out.fields(rows);
    }

    @Command(name = "edit", description = "Change name, description, priority, notification or post command.")
    static final class Edit extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--name")
        String name;
        @ArgGroup(exclusive = false)
        Presentation presentation = new Presentation();

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            putIfSet(body, "name", name);
            presentation.into(body);
            if (body.isEmpty()) {
                throw new ApiException(ApiException.USAGE, "edit: nothing to change (expected: --name, --priority,"
                        + " --description, --notify-text, ... )");
            }
            JsonNode p = api().patch("/api/v1/packages/" + ApiClient.encode(id), body);
            out().print(p, () -> describe(out(), p));
        }
    }

    @Command(name = "delete", description = "Deactivate, forget assignments, remove files (the ID is never reused).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run() {
            JsonNode p = api().delete("/api/v1/packages/" + ApiClient.encode(id));
            out().print(p, () -> out().line("deleted " + p.get("id").asText()));
        }
    }

    @Command(name = "activate", description = "Offer the package to the devices it is assigned to.")
    static final class Activate extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--info-url", paramLabel = "HOST/PATH", description = "INFO_LOC (default DOWNLOAD_URI_INFO).")
        String infoUrl;
        @Option(names = "--frag-url", paramLabel = "HOST/PATH", description = "PACK_LOC, e.g. a mirror.")
        String fragUrl;

        @Override
        void run() {
            ObjectNode body = ApiClient.object();
            putIfSet(body, "infoUrl", infoUrl);
            putIfSet(body, "fragUrl", fragUrl);
            JsonNode p = api().post("/api/v1/packages/" + ApiClient.encode(id) + "/activate", body);
            out().print(p, () -> out().line("activated " + p.get("id").asText() + ": info "
                    + Output.text(p.path("activation"), "infoUrl") + ", fragments "
                    + Output.text(p.path("activation"), "fragUrl")));
        }
    }

    @Command(name = "deactivate", description = "Stop offering the package.")
    static final class Deactivate extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run() {
            JsonNode p = api().post("/api/v1/packages/" + ApiClient.encode(id) + "/deactivate", ApiClient.object());
            out().print(p, () -> out().line("deactivated " + p.get("id").asText()));
        }
    }

    @Command(name = "import-ocs", description = "Import an OCS download directory (<DIR>/<ID>/info + fragments).")
    static final class ImportOcs extends ApiCommand {
        @Parameters(paramLabel = "DIR", description = "On the server's machine.")
        Path dir;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.object();
            body.put("dir", dir.toAbsolutePath().toString());
            JsonNode outcomes = api().post("/api/v1/packages/import", body);
            int failed = 0;
            for (JsonNode o : outcomes) {
                if (o.hasNonNull("error")) {
                    failed++;
                }
            }
            out().print(outcomes, () -> {
                for (JsonNode o : outcomes) {
                    out().line(o.get("id").asText() + "  " + (o.hasNonNull("error") ? "not imported: "
                            + o.get("error").asText() : "imported"));
                }
            });
            return failed == 0 ? 0 : ApiException.CONFLICT;
        }

        @Override
        void run() {
            throw new UnsupportedOperationException();
        }
    }
}
