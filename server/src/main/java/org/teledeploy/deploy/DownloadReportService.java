package org.teledeploy.deploy;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.DeviceIds;
import org.teledeploy.protocol.ProtocolException;
import org.teledeploy.protocol.QueryHandler;
import org.teledeploy.store.StoreWriter;

/**
 * Stores DOWNLOAD result reports (shared/ocs-protocol.md §2.4) and answers 200 with an empty body only once the
 * report is committed: an ERR_* report is sent once by the Unix agent, so acknowledging it before it is durable
 * could lose it for good. Every well-formed report is kept, for known devices and packages or not.
 */
public final class DownloadReportService implements QueryHandler {

    private static final Logger log = LoggerFactory.getLogger(DownloadReportService.class);

    /** Longest result code stored verbatim (§5.1); longer ones are cut. */
    public static final int MAX_RESULT = 255;
    private static final int MAX_PACKAGE_ID = 32;

    private final StoreWriter writer;
    private final Clock clock;

    public DownloadReportService(StoreWriter writer, Clock clock) {
        this.writer = writer;
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
            return AgentReply.empty();
        });
    }
}
