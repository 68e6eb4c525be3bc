package org.teledeploy.deploy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.store.StoreWriter;

/**
 * Writes what happens to assignments during agent traffic: the state transitions decided in memory at PROLOG
 * time (NOTIFIED, SUCCESS_ALREADY_IN_HISTORY) and the timeline events (info fetched, fragment k of N). These
 * are queued, not awaited: the agent's reply never waits for them, and memory is already up to date.
 */
public final class DeploymentLog {

    private static final Logger log = LoggerFactory.getLogger(DeploymentLog.class);

    /** Written by the server itself, never by agents (§5.1). */
    public static final String NOTIFIED = "NOTIFIED";
    public static final String ALREADY_IN_HISTORY = "SUCCESS_ALREADY_IN_HISTORY";

    /**
     * The same download event of the same device and package within this window is recorded once: an agent
     * that fetches a file again and again (a retry loop, or many machines behind one NAT address) must not turn
     * the timeline, and the store writer, into a request log.
     */
    static final long REPEAT_WINDOW_MILLIS = 60_000;

    private final StoreWriter writer;
    private final Cache<DownloadEvent, Long> recentDownloads = Caffeine.newBuilder().maximumSize(100_000).build();

    public DeploymentLog(StoreWriter writer) {
        this.writer = writer;
    }

    /** A timeline event of the download listeners, as deduplicated. */
    private record DownloadEvent(long deviceId, String packageId, String event, String detail) {}

    void notified(long deviceId, String packageId, long at) {
        background(c -> {
            setState(c, deviceId, packageId, NOTIFIED, at, "state IS NULL");
            event(c, deviceId, packageId, at, "notified", "");
            return null;
        });
    }

    void closeAsInHistory(long deviceId, String packageId, long at) {
        background(c -> {
            setState(c, deviceId, packageId, ALREADY_IN_HISTORY, at, "(state IS NULL OR state = 'NOTIFIED')");
            event(c, deviceId, packageId, at, "result", ALREADY_IN_HISTORY + " (in the agent's reported history)");
            return null;
        });
    }

    /**
     * A timeline event seen on the download listeners ({@code info}, {@code fragment}); a repeat of the same event
     * within {@link #REPEAT_WINDOW_MILLIS} of the last one recorded is dropped.
     */
    public void download(long deviceId, String packageId, long at, String event, String detail) {
        boolean[] fresh = {false};
        recentDownloads.asMap().compute(new DownloadEvent(deviceId, packageId, event, detail), (k, last) -> {
            if (last != null && at >= last && at - last < REPEAT_WINDOW_MILLIS) {
                return last;
            }
            fresh[0] = true;
            return at;
        });
        if (!fresh[0]) {
            return;
        }
        background(c -> {
            event(c, deviceId, packageId, at, event, detail);
            return null;
        });
    }

    private void background(org.teledeploy.store.SqlFunction<Void> work) {
        CompletableFuture<Void> done = writer.submit(work);
        done.exceptionally(e -> {
            log.debug("Deployment event not recorded: {}", e.getMessage());
            return null;
        });
    }

    static void setState(Connection c, long deviceId, String packageId, String state, long at, String condition)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE assignments SET state = ?, state_at = ? "
                + "WHERE device_id = ? AND package_id = ? AND " + condition)) {
            ps.setString(1, state);
            ps.setLong(2, at);
            ps.setLong(3, deviceId);
            ps.setString(4, packageId);
            ps.executeUpdate();
        }
    }

    static void event(Connection c, long deviceId, String packageId, long at, String event, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployment_events "
                + "(device_id, package_id, at, event, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, deviceId);
            ps.setString(2, packageId);
            ps.setLong(3, at);
            ps.setString(4, event);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }
}
