package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teledeploy stats ID}: the deployment funnel of a package, as the OCS console groups it, and by code. */
@Command(name = "stats", description = "Statistics of a package: waiting, notified, success, error.")
final class StatsCommand extends ApiCommand {

    static final List<String> BUCKETS = List.of("waiting", "notified", "success", "error", "other");

    @Parameters(paramLabel = "ID")
    String id;
    @Option(names = "--by-code", description = "Also count each exact result code.")
    boolean byCode;
    @Option(names = "--group", paramLabel = "NAME", description = "Only the assignments made through this group.")
    String group;

    @Override
    void run() {
        JsonNode stats;
        if (group == null) {
            stats = api().get("/api/v1/packages/" + ApiClient.encode(id) + "/statistics");
        } else {
            stats = api().get("/api/v1/groups/" + ApiClient.encode(group)).path("packages").path(id);
            if (stats.isMissingNode()) {
                throw new ApiException(ApiException.NOT_FOUND, "package " + id + " is not assigned through group "
                        + group);
            }
        }
        JsonNode document = stats;
        out().print(document, () -> {
            List<List<String>> rows = new ArrayList<>();
            for (String bucket : BUCKETS) {
                rows.add(List.of(bucket, document.path(bucket).asText("0")));
            }
            rows.add(List.of("total", document.path("total").asText("0")));
            out().table(List.of("STATE", "DEVICES"), rows);
            if (byCode) {
                List<List<String>> codes = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = document.path("byState").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    codes.add(List.of(e.getKey().isEmpty() ? "(waiting)" : e.getKey(), e.getValue().asText()));
                }
                out().line("");
                out().table(List.of("CODE", "DEVICES"), codes);
            }
        });
    }
}
