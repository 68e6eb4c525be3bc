package org.teledeploy.admin.dashboard;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.TeledeployServer;
import org.teledeploy.network.DiscoveredHost;
import org.teledeploy.network.SubnetSummary;

/**
 * Network discovery (OCS IpDiscover): per subnet the hosts found with and without an agent, each with a small bar,
 * and the unmanaged hosts of a subnet, the machines no deployment reaches.
 */
final class NetworkPages {

    /** Hosts listed at most on one page. */
    static final int MAX_HOSTS = 1000;

    private final TeledeployServer server;

    NetworkPages(TeledeployServer server) {
        this.server = server;
    }

    CompletableFuture<String> subnets(String footer) {
        return server.network().subnets().thenApply(list -> render(list, footer));
    }

    private static String render(List<SubnetSummary> subnets, String footer) {
        Html h = Layout.open("Network", Layout.Section.NETWORK);
        int unmanaged = subnets.stream().mapToInt(SubnetSummary::unmanaged).sum();
        h.raw("<h1>Network</h1><p class=\"sub\">").text("What the elected agents (IpDiscover) found on their subnets: "
                + Format.count(subnets.size(), "subnet", "subnets") + ", " + Format.count(unmanaged, "unmanaged host",
                "unmanaged hosts") + ". An unmanaged host has no agent: no deployment reaches it.").raw("</p>");
        if (subnets.isEmpty()) {
            h.raw("<div class=\"empty\">No subnet known yet: subnets appear with the first inventories, discovered"
                    + " hosts once elected agents report them (IPDISCOVER).</div>");
            return Layout.close(h, footer);
        }
        h.raw("<ul class=\"legend\"><li><span class=\"sw managed\"></span>Managed (a registered device)</li><li>"
                + "<span class=\"sw unmanaged\"></span>Unmanaged (no agent)</li></ul>");
        h.raw("<table class=\"subnets\"><thead><tr><th>Subnet</th><th class=\"n\">Devices</th><th>Discovered by</th>"
                + "<th class=\"n\">Hosts found</th><th class=\"n\">Managed</th><th class=\"n\">Unmanaged</th>"
                + "<th>Hosts</th><th></th></tr></thead><tbody>");
        for (SubnetSummary s : subnets) {
            h.raw("<tr data-subnet=\"").text(s.cidr()).raw("\"><td class=\"mono nw\">").text(s.cidr())
                    .raw("</td><td class=\"n\">").text(s.devices()).raw("</td><td class=\"wrap small\">");
            if (s.elected().isEmpty()) {
                h.raw("<span class=\"muted\">nobody</span>");
            }
            for (int i = 0; i < s.elected().size(); i++) {
                SubnetSummary.ElectedDevice e = s.elected().get(i);
                h.raw(i == 0 ? "" : ", ").link(Urls.device(e.deviceId()), e.deviceId())
                        .raw(e.forced() ? " <span class=\"muted\">(forced)</span>" : "");
            }
            h.raw("</td><td class=\"n\">").text(s.hosts()).raw("</td><td class=\"n managed\">").text(s.managed())
                    .raw("</td><td class=\"n unmanaged\">").text(s.unmanaged()).raw("</td><td>");
            Charts.bar(h, List.of(
                    new Charts.Part("Managed", s.managed(), Palette.MANAGED, null),
                    new Charts.Part("Unmanaged", s.unmanaged(), Palette.UNMANAGED, Urls.unmanagedHosts(s.cidr()))),
                    160, 14, "no host discovered");
            h.raw("</td><td class=\"nw\">");
            if (s.unmanaged() > 0) {
                h.link(Urls.unmanagedHosts(s.cidr()), "unmanaged hosts →");
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        return Layout.close(h, footer);
    }

    CompletableFuture<String> unmanaged(String subnet, String footer) {
        return server.network().hosts(Optional.of(subnet), true, MAX_HOSTS + 1, 0)
                .thenApply(hosts -> renderHosts(subnet, hosts, footer));
    }

    private static String renderHosts(String subnet, List<DiscoveredHost> hosts, String footer) {
        Html h = Layout.open("Unmanaged hosts on " + subnet, Layout.Section.NETWORK);
        h.raw("<p class=\"crumbs\"><a href=\"" + Urls.NETWORK + "\">Network</a> › ").text(subnet).raw("</p>");
        h.raw("<h1>Unmanaged hosts on <span class=\"mono\">").text(subnet).raw("</span></h1><p class=\"sub\">")
                .text("Machines seen on the network whose MAC belongs to no registered device: install the agent on"
                        + " them to deploy to them.").raw("</p>");
        if (hosts.isEmpty()) {
            h.raw("<div class=\"empty\">No unmanaged host on this subnet.</div>");
            return Layout.close(h, footer);
        }
        h.raw("<table class=\"hosts\"><thead><tr><th>IP address</th><th>MAC</th><th>Name</th><th>First seen</th>"
                + "<th>Last seen</th><th>Reported by</th></tr></thead><tbody>");
        for (DiscoveredHost host : hosts.subList(0, Math.min(hosts.size(), MAX_HOSTS))) {
            h.raw("<tr><td class=\"mono\">").text(host.ip()).raw("</td><td class=\"mono\">").text(host.mac())
                    .raw("</td><td class=\"wrap\">").text(host.name()).raw("</td><td class=\"nw\">")
                    .text(Format.time(host.firstSeen())).raw("</td><td class=\"nw\">").text(Format.time(host.lastSeen()))
                    .raw("</td><td class=\"wrap small\">");
            if (host.reportedBy().isPresent()) {
                h.link(Urls.device(host.reportedBy().get()), host.reportedBy().get());
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (hosts.size() > MAX_HOSTS) {
            h.raw("<p class=\"note\">").text("The first " + MAX_HOSTS + " hosts, by address; the admin API and"
                    + " teledeploy network list them all.").raw("</p>");
        }
        return Layout.close(h, footer);
    }
}
