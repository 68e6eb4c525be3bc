package org.teledeploy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.TeledeployServer;
import org.teledeploy.deploy.DeploymentQueries;
import org.teledeploy.deploy.Parameter;
import org.teledeploy.registry.DeviceQueries;
import org.teledeploy.registry.DeviceSearch;
import org.teledeploy.registry.DeviceSummary;

/**
 * The device calls of the admin API: list and search (paged, with the total), one device with its groups,
 * history, settings and deployment timeline, and its own OCS parameters.
 */
final class DevicesApi {

    private final TeledeployServer server;
    private final DeviceQueries devices;

    DevicesApi(TeledeployServer server, DeviceQueries devices) {
        this.server = server;
        this.devices = devices;
    }

    CompletableFuture<ApiResponse> list(ApiRequest request) {
        Optional<DeviceSearch> search = request.query("where").map(DeviceSearch::parse);
        int limit = request.intQuery("limit", 100, 1, DeviceQueries.MAX_LIMIT);
        int offset = request.intQuery("offset", 0, 0, Integer.MAX_VALUE);
        return devices.list(search, limit, offset).thenApply(page -> ApiResponse.ok(Views.object(
                "total", page.total(), "devices", Views.devices(page.devices()))));
    }

    CompletableFuture<ApiResponse> show(ApiRequest request) {
        DeviceSummary summary = require(request.param("deviceId"));
        CompletableFuture<List<String>> groups = server.groups().groupsOf(summary.id());
        CompletableFuture<List<DeploymentQueries.TimelineEntry>> timeline =
                server.queries().timeline(summary.deviceId());
        return devices.find(summary.deviceId()).thenCompose(row -> groups.thenCombine(timeline, (g, t) -> {
            Map<String, Object> m = Views.device(row.orElseThrow(() -> notFound(summary.deviceId())));
            m.put("software", row.get().softwareCount());
            m.put("history", summary.downloadHistory().stream().sorted().toList());
            m.put("groups", g);
            m.put("settings", Views.settings(server.settings().ofDevice(summary.id())));
            List<Map<String, Object>> entries = new ArrayList<>(t.size());
            t.forEach(e -> entries.add(Views.timelineEntry(e)));
            m.put("timeline", entries);
            return ApiResponse.ok(m);
        }));
    }

    CompletableFuture<ApiResponse> setSetting(ApiRequest request) {
        DeviceSummary device = require(request.param("deviceId"));
        Parameter parameter = Parameter.parse(request.param("param"));
        int value = request.body(Requests.SettingValue.class).required();
        return settingChanged(device, server.settings().setDevice(device.id(), parameter, OptionalInt.of(value)));
    }

    CompletableFuture<ApiResponse> clearSetting(ApiRequest request) {
        DeviceSummary device = require(request.param("deviceId"));
        Parameter parameter = Parameter.parse(request.param("param"));
        return settingChanged(device, server.settings().setDevice(device.id(), parameter, OptionalInt.empty()));
    }

    private CompletableFuture<ApiResponse> settingChanged(DeviceSummary device, CompletableFuture<Void> done) {
        return done.thenApply(v -> ApiResponse.ok(Views.object("settings",
                Views.settings(server.settings().ofDevice(device.id())))));
    }

    private DeviceSummary require(String deviceId) {
        return server.registry().find(deviceId).orElseThrow(() -> notFound(deviceId));
    }

    private static ApiException notFound(String deviceId) {
        return ApiException.notFound("no device " + deviceId + " (expected: a DEVICEID, as GET /api/v1/devices"
                + " lists them)");
    }
}
