package org.teledeploy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.TeledeployServer;
import org.teledeploy.network.DeviceDiscovery;
import org.teledeploy.network.DiscoveredHost;
import org.teledeploy.network.NetworkDiscovery;
import org.teledeploy.network.NetworkException;
import org.teledeploy.network.SubnetSummary;

/**
 * The network discovery calls of the admin API (OCS IpDiscover): subnets with their managed and unmanaged counts,
 * the hosts found (the unmanaged ones are machines no deployment will reach), and the admin's say in the
 * election of the agents that scan.
 */
final class NetworkApi {

    /** Hosts answered at most per call. */
    static final int MAX_HOSTS = 10_000;

    private final NetworkDiscovery network;

    NetworkApi(TeledeployServer server) {
        this.network = server.network();
    }

    CompletableFuture<ApiResponse> subnets(ApiRequest request) {
        return network.subnets().thenApply(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            list.forEach(s -> out.add(subnet(s)));
            return ApiResponse.ok(out);
        });
    }

    CompletableFuture<ApiResponse> hosts(ApiRequest request) {
        Optional<String> subnet = request.query("subnet");
        boolean unmanaged = request.query("unmanaged").map(NetworkApi::bool).orElse(false);
        int limit = request.intQuery("limit", 1000, 1, MAX_HOSTS);
        int offset = request.intQuery("offset", 0, 0, Integer.MAX_VALUE);
        return mapped(network.hosts(subnet, unmanaged, limit, offset)).thenApply(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            list.forEach(h -> out.add(host(h)));
            return ApiResponse.ok(out);
        });
    }

    CompletableFuture<ApiResponse> device(ApiRequest request) {
        return answer(network.device(request.param("deviceId")));
    }

    CompletableFuture<ApiResponse> elect(ApiRequest request) {
        Requests.Elect body = request.bodyOr(Requests.Elect.class, () -> new Requests.Elect(null));
        String deviceId = request.param("deviceId");
        return answer(body.subnet() == null ? network.elect(deviceId) : network.elect(deviceId, body.subnet()));
    }

    CompletableFuture<ApiResponse> forbid(ApiRequest request) {
        return answer(network.forbid(request.param("deviceId")));
    }

    CompletableFuture<ApiResponse> clear(ApiRequest request) {
        return answer(network.clear(request.param("deviceId")));
    }

    private static CompletableFuture<ApiResponse> answer(CompletableFuture<DeviceDiscovery> result) {
        return mapped(result).thenApply(d -> ApiResponse.ok(Views.object("deviceId", d.deviceId(),
                "policy", Views.lower(d.policy()), "forcedSubnet", d.forcedSubnet().orElse(null),
                "electedSubnet", d.electedSubnet().orElse(null), "subnets", d.subnets(),
                "unableSince", Views.time(d.unableSince()))));
    }

    /** NetworkException kinds as API statuses: INVALID → 422, NOT_FOUND → 404. */
    private static <T> CompletableFuture<T> mapped(CompletableFuture<T> future) {
        return future.exceptionallyCompose(e -> {
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (t instanceof NetworkException ne) {
                return CompletableFuture.failedFuture(ne.kind() == NetworkException.Kind.NOT_FOUND
                        ? ApiException.notFound(ne.getMessage()) : ApiException.invalid(ne.getMessage()));
            }
            return CompletableFuture.failedFuture(t);
        });
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("unmanaged: " + value + " (expected: true or false)");
        };
    }

    private static Map<String, Object> subnet(SubnetSummary s) {
        List<Map<String, Object>> elected = new ArrayList<>();
        s.elected().forEach(e -> elected.add(Views.object("deviceId", e.deviceId(), "forced", e.forced())));
        return Views.object("subnet", s.cidr(), "devices", s.devices(), "elected", elected, "hosts", s.hosts(),
                "managed", s.managed(), "unmanaged", s.unmanaged());
    }

    private static Map<String, Object> host(DiscoveredHost h) {
        return Views.object("subnet", h.subnet(), "ip", h.ip(), "mac", h.mac(), "mask", h.mask(), "name", h.name(),
                "firstSeen", Views.time(h.firstSeen()), "lastSeen", Views.time(h.lastSeen()),
                "reportedBy", h.reportedBy().orElse(null), "device", h.device().orElse(null),
                "managed", h.managed());
    }
}
