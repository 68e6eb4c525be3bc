package org.teledeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code teledeploy network ...}: what network discovery (OCS IpDiscover) found, above all the unmanaged hosts
 * (machines without an agent, which no deployment reaches), and the admin's say in which agents scan.
 */
@Command(name = "network", description = "Network discovery: subnets, hosts without an agent, scanning agents.",
        subcommands = {NetworkCommands.Subnets.class, NetworkCommands.Hosts.class, NetworkCommands.Elect.class})
final class NetworkCommands {

    private NetworkCommands() {}

    @Command(name = "subnets", description = "Subnets with their managed / unmanaged host counts.")
    static final class Subnets extends ApiCommand {
        @Override
        void run() {
            JsonNode subnets = api().get("/api/v1/network/subnets");
            out().print(subnets, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode s : subnets) {
                    List<String> elected = new ArrayList<>();
                    s.path("elected").forEach(e -> elected.add(Output.text(e, "deviceId")
                            + (e.path("forced").asBoolean() ? " (forced)" : "")));
                    rows.add(List.of(Output.text(s, "subnet"), Output.text(s, "devices"), Output.text(s, "hosts"),
                            Output.text(s, "managed"), Output.text(s, "unmanaged"), String.join(", ", elected)));
                }
                out().table(List.of("SUBNET", "DEVICES", "HOSTS", "MANAGED", "UNMANAGED", "SCANNED BY"), rows);
            });
        }
    }

    @Command(name = "hosts", description = "Hosts found by the scanning agents.")
    static final class Hosts extends ApiCommand {
        @Option(names = "--subnet", paramLabel = "CIDR", description = "Only this subnet, e.g. 10.1.0.0/24.")
        String subnet;
        @Option(names = "--unmanaged", description = "Only hosts without an agent.")
        boolean unmanaged;
        @Option(names = "--limit", defaultValue = "1000", description = "At most this many (default 1000).")
        int limit;

        @Override
        void run() {
            String query = "?limit=" + limit + (unmanaged ? "&unmanaged=true" : "")
                    + (subnet == null ? "" : "&subnet=" + ApiClient.encode(subnet));
            JsonNode hosts = api().get("/api/v1/network/hosts" + query);
            out().print(hosts, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode h : hosts) {
                    rows.add(List.of(Output.text(h, "ip"), Output.text(h, "mac"), Output.text(h, "name"),
                            Output.text(h, "subnet"), h.hasNonNull("device") ? Output.text(h, "device") : "(no agent)",
                            Output.text(h, "lastSeen")));
                }
                out().table(List.of("IP", "MAC", "NAME", "SUBNET", "DEVICE", "LAST SEEN"), rows);
            });
        }
    }

    @Command(name = "elect", description = "Force a device to scan its subnet (--forbid: never; --clear: automatic).")
    static final class Elect extends ApiCommand {
        @Parameters(paramLabel = "DEVICEID")
        String deviceId;
        @Option(names = "--subnet", paramLabel = "CIDR", description = "Which of its subnets (default its primary).")
        String subnet;
        @Option(names = "--forbid", description = "Never elect this device.")
        boolean forbid;
        @Option(names = "--clear", description = "Back to the automatic election.")
        boolean clear;

        @Override
        void run() {
            if (forbid && clear) {
                throw new ApiException(ApiException.USAGE, "elect: --forbid and --clear together (expected: one)");
            }
            String base = "/api/v1/network/devices/" + ApiClient.encode(deviceId);
            JsonNode r;
            if (forbid) {
                r = api().post(base + "/forbid", ApiClient.object());
            } else if (clear) {
                r = api().post(base + "/clear", ApiClient.object());
            } else {
                ObjectNode body = ApiClient.object();
                PackageCommands.putIfSet(body, "subnet", subnet);
                r = api().post(base + "/elect", body);
            }
            JsonNode answer = r;
            out().print(answer, () -> out().line(deviceId + ": " + Output.text(answer, "policy")
                    + (answer.hasNonNull("electedSubnet") ? ", scans " + Output.text(answer, "electedSubnet")
                    : ", scans nothing")));
        }
    }
}
