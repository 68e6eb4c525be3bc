package org.teledeploy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.TeledeployServer;
import org.teledeploy.deploy.Parameter;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.registry.DeviceQueries;
import org.teledeploy.registry.DeviceSearch;

/**
 * The group calls of the admin API: static and dynamic groups, their members (added, excluded), their OCS
 * parameters, and the statistics of the packages deployed through them.
 */
final class GroupsApi {

    private final TeledeployServer server;
    private final DeviceQueries devices;
    private final DeployApi deploy;

    GroupsApi(TeledeployServer server, DeviceQueries devices, DeployApi deploy) {
        this.server = server;
        this.devices = devices;
        this.deploy = deploy;
    }

    CompletableFuture<ApiResponse> list(ApiRequest request) {
        return server.groups().summaries().thenApply(all -> {
            List<Map<String, Object>> out = new ArrayList<>(all.size());
            all.forEach(s -> out.add(Views.group(s)));
            return ApiResponse.ok(out);
        });
    }

    CompletableFuture<ApiResponse> create(ApiRequest request) {
        Requests.CreateGroup body = request.body(Requests.CreateGroup.class);
        Requests.required("name", body.name(), "the group's name, 1-255 characters");
        Optional<DeviceSearch> search = Optional.ofNullable(body.where()).map(DeviceSearch::parse);
        return server.groups().create(body.name(), search)
                .thenCompose(g -> server.groups().summary(g.name()))
                .thenApply(s -> ApiResponse.created(Views.group(s)));
    }

    CompletableFuture<ApiResponse> show(ApiRequest request) {
        String name = request.param("name");
        return server.groups().summary(name).thenCompose(summary -> server.settings().ofGroup(name)
                .thenCombine(server.queries().groupStatistics(name), (settings, statistics) -> {
                    Map<String, Object> m = Views.group(summary);
                    m.put("settings", Views.settings(settings));
                    Map<String, Object> packages = new java.util.TreeMap<>();
                    for (Map.Entry<String, PackageStatistics> e : statistics.entrySet()) {
                        packages.put(e.getKey(), Views.statistics(e.getValue()));
                    }
                    m.put("packages", packages);
                    return ApiResponse.ok(m);
                }));
    }

    CompletableFuture<ApiResponse> delete(ApiRequest request) {
        String name = request.param("name");
        return server.groups().delete(name).thenApply(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("no group named " + name);
            }
            return ApiResponse.ok(Views.object("deleted", true));
        });
    }

    CompletableFuture<ApiResponse> members(ApiRequest request) {
        return server.groups().members(request.param("name")).thenCompose(devices::rows)
                .thenApply(rows -> ApiResponse.ok(Views.devices(rows)));
    }

    CompletableFuture<ApiResponse> changeMembers(ApiRequest request) {
        String name = request.param("name");
        Requests.Members body = request.body(Requests.Members.class);
        if (body.devices() == null || body.devices().isEmpty()) {
            throw new IllegalArgumentException("devices: " + (body.devices() == null ? "missing" : "empty")
                    + " (expected: DEVICEIDs or names, at least one)");
        }
        boolean exclude = Requests.isTrue(body.exclude());
        return server.groups().summary(name)
                .thenCompose(group -> deploy.resolve(body.devices()))
                .thenCompose(ids -> exclude ? server.groups().exclude(name, ids) : server.groups().addMembers(name, ids))
                .thenApply(n -> ApiResponse.ok(Views.object("changed", n)));
    }

    CompletableFuture<ApiResponse> setSetting(ApiRequest request) {
        Parameter parameter = Parameter.parse(request.param("param"));
        int value = request.body(Requests.SettingValue.class).required();
        return settingChanged(request.param("name"), parameter, OptionalInt.of(value));
    }

    CompletableFuture<ApiResponse> clearSetting(ApiRequest request) {
        return settingChanged(request.param("name"), Parameter.parse(request.param("param")), OptionalInt.empty());
    }

    private CompletableFuture<ApiResponse> settingChanged(String name, Parameter parameter, OptionalInt value) {
        return server.settings().setGroup(name, parameter, value)
                .thenCompose(v -> server.settings().ofGroup(name))
                .thenApply(settings -> ApiResponse.ok(Views.object("settings", Views.settings(settings))));
    }
}
