package org.teledeploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Another connection (as another process would: its own connection to the same file) holds the database's write
 * lock with {@code BEGIN EXCLUSIVE}: a result report waits {@code store.busy.timeout}, then gets 503 with
 * {@code Retry-After} and is not stored, while PROLOG (answered from memory) goes on; once the lock is released the
 * agent's retry is stored, exactly once.
 */
class DatabaseLockedTest {

    private static final String DEVICE = "locked-2026-01-01-00-00-00";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("store.busy.timeout", "200ms");

    @Test
    void aReportWhileAnotherProcessHoldsTheLockIs503AndItsRetryIsStoredOnce() throws Exception {
        OcsClient client = server.client();
        String report = OcsClient.downloadReport(DEVICE, "1764000001", "SUCCESS");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:"
                + server.stateDir().resolve("teledeploy.db"));
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN EXCLUSIVE");
            for (int i = 0; i < 2; i++) {
                OcsClient.Response refused = client.post(report);
                assertEquals(503, refused.status());
                assertEquals("60", refused.header("Retry-After"));
                assertEquals("database locked by another process, nothing stored; retry later\n", refused.text());
            }
            assertEquals(200, client.post(OcsClient.prolog(DEVICE)).status(), "PROLOG needs no write lock");
            assertTrue(server.server().metrics().registry().get("teledeploy.store.batches.unavailable")
                    .tag("reason", "locked").counter().count() >= 2);
            lock.execute("ROLLBACK");
        }
        assertEquals(200, client.post(report).status(), "the agent's retry once the lock is released");
        assertEquals(1, reports(DEVICE), "stored once: the refused ones were not");
    }

    private int reports(String device) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.stateDir().resolve("teledeploy.db"));
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM download_reports WHERE deviceid = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
