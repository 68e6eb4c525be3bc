package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code teledeploy config show}: the server's effective configuration. */
@Command(name = "config", description = "The server's configuration.", subcommands = ConfigCommand.Show.class)
final class ConfigCommand {

    private ConfigCommand() {}

    @Command(name = "show", description = "Print the effective configuration.")
    static final class Show extends ApiCommand {
        @Override
        void run() {
            JsonNode config = api().get("/api/v1/config");
            out().print(config, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    rows.add(List.of(e.getKey(), e.getValue().asText()));
                }
                out().table(List.of("KEY", "VALUE"), rows);
            });
        }
    }
}
