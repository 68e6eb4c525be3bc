package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.store.Database;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

class DeploymentLogTest {

    @TempDir
    Path dir;

    private StoreWriter writer;
    private StoreReader reader;
    private DeploymentLog deploymentLog;

    @BeforeEach
    void open() {
        Database database = Database.open(dir, false);
        writer = StoreWriter.start(database, 100, 10);
        reader = StoreReader.start(database, 1);
        deploymentLog = new DeploymentLog(writer);
        writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (id, deviceid, first_contact, last_contact) VALUES (?, ?, 0, 0)")) {
                for (int id : new int[] {7, 8}) {
                    ps.setInt(1, id);
                    ps.setString(2, "pc" + id + "-2026-01-01-00-00-00");
                    ps.executeUpdate();
                }
            }
            return null;
        }).join();
    }

    @AfterEach
    void close() {
        writer.close();
        reader.close();
    }

    @Test
    void aDownloadRepeatedWithinTheWindowIsRecordedOnce() {
        long t = 1_700_000_000_000L;
        deploymentLog.download(7, "1764000000", t, "info", "");
        deploymentLog.download(7, "1764000000", t + 1000, "info", "");            // a retry loop: dropped
        deploymentLog.download(7, "1764000000", t + 2000, "fragment", "1/2");     // another event: kept
        deploymentLog.download(8, "1764000000", t + 2000, "info", "");            // another device: kept
        deploymentLog.download(7, "1764000001", t + 2000, "info", "");            // another package: kept
        deploymentLog.download(7, "1764000000", t + DeploymentLog.REPEAT_WINDOW_MILLIS, "info", ""); // later: kept
        assertEquals(List.of("7 1764000000 info  0", "7 1764000000 fragment 1/2 2000", "8 1764000000 info  2000",
                "7 1764000001 info  2000", "7 1764000000 info  " + DeploymentLog.REPEAT_WINDOW_MILLIS), events(t));
    }

    private List<String> events(long t0) {
        writer.submit(c -> null).join();
        return reader.readNow(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT device_id, package_id, event, detail, at FROM deployment_events ORDER BY rowid");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4)
                            + " " + (rs.getLong(5) - t0));
                }
            }
            return out;
        });
    }
}
