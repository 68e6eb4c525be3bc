package org.teledeploy.admin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.teledeploy.TeledeployServer;
import org.teledeploy.deploy.AssignOptions;
import org.teledeploy.deploy.Deployments;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.registry.DeviceQueries;
import org.teledeploy.registry.DeviceSearch;

/**
 * Deploy, undeploy and reset ("affect", "unassign", "affect again") a package on a target: devices by DEVICEID or
 * name, a search, or a group (a group assignment also reaches later members); undeploy every waiting device, reset
 * by result-code pattern. Unknown devices fail the whole call (404 naming them); a dry run says what a deployment
 * would do without doing it.
 */
final class DeployApi {

    private final TeledeployServer server;
    private final DeviceQueries devices;
    private final PackagesApi packages;

    DeployApi(TeledeployServer server, DeviceQueries devices, PackagesApi packages) {
        this.server = server;
        this.devices = devices;
        this.packages = packages;
    }

    /** Exactly one of devices, where, group. */
    private sealed interface Target {
        record Devices(List<String> entries) implements Target {}

        record Search(DeviceSearch search) implements Target {}

        record Group(String name) implements Target {}

        static Target of(List<String> devices, String where, String group) {
            int given = (devices != null ? 1 : 0) + (where != null ? 1 : 0) + (group != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("target: " + (given == 0 ? "none" : given) + " given (expected:"
                        + " exactly one of devices, where, group)");
            }
            if (devices != null) {
                if (devices.isEmpty() || devices.stream().anyMatch(d -> d == null || d.isBlank())) {
                    throw new IllegalArgumentException("devices: " + devices + " (expected: DEVICEIDs or names,"
                            + " at least one)");
                }
                return new Devices(devices);
            }
            if (where != null) {
                return new Search(DeviceSearch.parse(where));
            }
            return new Group(group);
        }
    }

    CompletableFuture<ApiResponse> deploy(ApiRequest request) {
        PackageRecord record = packages.require(request.param("id"));
        Requests.Deploy body = request.body(Requests.Deploy.class);
        Target target = Target.of(body.devices(), body.where(), body.group());
        String postCommand = body.postCmd() == null ? record.spec().postCommand().packValue()
                : Requests.postCommand(body.postCmd()).packValue();
        AssignOptions options = new AssignOptions(Requests.isTrue(body.force()), body.notBefore(), postCommand);
        boolean dryRun = Requests.isTrue(body.dryRun());
        CompletableFuture<Deployments.Assigned> assigned;
        if (target instanceof Target.Group group && !dryRun) {
            assigned = server.groups().assign(record.id(), group.name(), options);
        } else if (dryRun) {
            assigned = deviceIds(target).thenCompose(ids -> server.queries().dryRun(record.id(), ids));
        } else {
            String origin = target instanceof Target.Search s ? "search:" + s.search().expression() : "device";
            assigned = deviceIds(target).thenCompose(ids -> server.deployments().assign(record.id(), ids, options,
                    origin));
        }
        return assigned.thenApply(a -> ApiResponse.ok(Views.object("created", a.created(),
                "alreadyAssigned", a.alreadyAssigned(), "dryRun", dryRun)));
    }

    CompletableFuture<ApiResponse> undeploy(ApiRequest request) {
        PackageRecord record = packages.require(request.param("id"));
        Requests.Undeploy body = request.body(Requests.Undeploy.class);
        if (Requests.isTrue(body.notNotified())) {
            instead("notNotified", body.devices(), body.where(), body.group());
            return server.deployments().unassignAllWaiting(record.id())
                    .thenApply(n -> ApiResponse.ok(Views.object("removed", n)));
        }
        Target target = Target.of(body.devices(), body.where(), body.group());
        boolean onlyWaiting = Requests.isTrue(body.onlyWaiting());
        CompletableFuture<Integer> removed = target instanceof Target.Group group
                ? server.groups().unassign(record.id(), group.name(), onlyWaiting)
                : deviceIds(target).thenCompose(ids -> server.deployments().unassign(record.id(), ids, onlyWaiting));
        return removed.thenApply(n -> ApiResponse.ok(Views.object("removed", n)));
    }

    CompletableFuture<ApiResponse> reset(ApiRequest request) {
        PackageRecord record = packages.require(request.param("id"));
        Requests.Reset body = request.body(Requests.Reset.class);
        AssignOptions options = new AssignOptions(Requests.isTrue(body.force()), Optional.empty(),
                record.spec().postCommand().packValue());
        if (body.status() != null) {
            instead("status", body.devices(), body.where(), body.group());
            return server.deployments().affectAgainWhere(record.id(), body.status(), options)
                    .thenApply(n -> ApiResponse.ok(Views.object("reset", n)));
        }
        Target target = Target.of(body.devices(), body.where(), body.group());
        return deviceIds(target).thenCompose(ids -> server.deployments().affectAgain(record.id(), ids, options))
                .thenApply(n -> ApiResponse.ok(Views.object("reset", n)));
    }

    /** {@code field} replaces the target: giving both is refused. */
    private static void instead(String field, List<String> devices, String where, String group) {
        if (devices != null || where != null || group != null) {
            throw new IllegalArgumentException("target: " + field + " given with devices, where or group (expected:"
                    + " " + field + " instead of a target)");
        }
    }

    /** The device row ids of a target, now. */
    private CompletableFuture<List<Long>> deviceIds(Target target) {
        if (target instanceof Target.Search s) {
            return server.groups().select(s.search());
        }
        if (target instanceof Target.Group g) {
            return server.groups().members(g.name());
        }
        return resolve(((Target.Devices) target).entries());
    }

    /** DEVICEIDs or names to row ids: 404 naming the unknown ones, 422 for a name several devices have. */
    CompletableFuture<List<Long>> resolve(List<String> entries) {
        return devices.resolve(entries).thenApply(r -> {
            if (!r.unknown().isEmpty()) {
                throw ApiException.notFound("devices: unknown " + String.join(", ", r.unknown())
                        + " (expected: DEVICEIDs or names of registered devices)");
            }
            if (!r.ambiguous().isEmpty()) {
                throw ApiException.invalid("devices: " + r.ambiguous().entrySet().stream()
                        .map(e -> e.getKey() + " is the name of " + e.getValue().size() + " devices")
                        .collect(Collectors.joining(", ")) + " (expected: their DEVICEIDs: "
                        + r.ambiguous().values().stream().flatMap(List::stream).collect(Collectors.joining(", "))
                        + ")");
            }
            return r.ids();
        });
    }
}
