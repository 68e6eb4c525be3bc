package org.teledeploy.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.metrics.DeploymentMetrics;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.DeviceIds;
import org.teledeploy.protocol.ProtocolException;
import org.teledeploy.protocol.QueryHandler;
import org.teledeploy.registry.DeviceRegistry;
import org.teledeploy.registry.DeviceSummary;
import org.teledeploy.store.StoreWriter;

/**
 * Stores DOWNLOAD result reports (shared/ocs-protocol.md §2.4) and answers 200 with an empty body only once the
 * report is committed: an ERR_* report is sent once by the Unix agent, so acknowledging it before it is durable
 * could lose it for good. Every well-formed report is kept, for known devices and packages or not.
 *
 * <p>In the same transaction the device's assignment takes the reported code as its state, whatever it was
 * (§3.9: the latest report wins, the state is final), and the timeline gets a result event; once committed the
 * assignment leaves the in-memory index, so it is never offered again.
 */
public final class DownloadReportService implements QueryHandler {

    private static final Logger log = LoggerFactory.getLogger(DownloadReportService.class);

    /** Longest result code stored verbatim (§5.1); longer ones are cut. */
    public static final int MAX_RESULT = 255;
    private static final int MAX_PACKAGE_ID = 32;

    private final StoreWriter writer;
    private final DeviceRegistry registry;
    private final DeploymentIndex index;
    private final Clock clock;
    private final DeploymentMetrics metrics;

    /** @param metrics told of each result once it is committed */
    public DownloadReportService(StoreWriter writer, DeviceRegistry registry, DeploymentIndex index, Clock clock,
                                 DeploymentMetrics metrics) {
        this.metrics = metrics;
        this.writer = writer;
        this.registry = registry;
        this.index = index;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<AgentReply> handle(AgentRequest request) {
        String packageId = request.root().value("ID").orElseThrow(
                () -> ProtocolException.badRequest("DOWNLOAD report without ID"));
        if (packageId.length() > MAX_PACKAGE_ID || !packageId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ProtocolException.badRequest("DOWNLOAD report ID " + DeviceIds.quote(packageId)
                    + " is not a package ID (expected: digits)");
        }
        String result = request.root().value("ERR").orElse("UNKNOWN_CODE");
        if (result.length() > MAX_RESULT) {
            log.warn("Result code of {} for package {} cut to {} characters", request.deviceId(), packageId, MAX_RESULT);
            result = result.substring(0, MAX_RESULT);
        }
        String code = result;
        long now = clock.millis();
        Optional<DeviceSummary> device = registry.find(request.deviceId());
        return writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO download_reports "
                    + "(deviceid, package_id, result, received_at, client_ip) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, request.deviceId());
                ps.setString(2, packageId);
                ps.setString(3, code);
                ps.setLong(4, now);
                ps.setString(5, request.clientIp());
                ps.executeUpdate();
            }
            if (device.isPresent() && updateAssignment(c, device.get().id(), packageId, code, now)) {
                DeploymentLog.event(c, device.get().id(), packageId, now, "result", code);
            }
            return AgentReply.empty();
        }).thenApply(reply -> {
            device.ifPresent(d -> index.removePending(d.id(), packageId));
            metrics.result(code);
            return reply;
        });
    }

    private static boolean updateAssignment(Connection c, long deviceId, String packageId, String code, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE assignments SET state = ?, state_at = ? WHERE device_id = ? AND package_id = ?")) {
            ps.setString(1, code);
            ps.setLong(2, now);
            ps.setLong(3, deviceId);
            ps.setString(4, packageId);
            return ps.executeUpdate() > 0;
        }
    }
}
