package org.teledeploy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins {@link Database#open} and {@link Migrations}: WAL mode, the schema version in {@code user_version}, a
 * reopen that keeps data and applies nothing again, a newer database refused, a failing migration rolled back
 * whole, and how a script is split into statements.
 */
class MigrationsTest {

    /** Created by V001; later scripts add theirs (see {@link #tablesCreatedByEveryScript()}). */
    private static final Set<String> V001_TABLES = new TreeSet<>(List.of("devices", "device_networks", "software",
            "device_software", "device_download_history", "download_reports", "device_merges"));

    @TempDir
    Path dir;

    @Test
    void newDatabaseIsInWalModeAtTheLatestVersionWithEveryTable() throws SQLException, IOException {
        Database db = Database.open(dir, true);
        assertEquals(dir.resolve("teledeploy.db"), db.file());
        assertTrue(Files.isRegularFile(db.file()));
        try (Connection c = db.connect(false)) {
            assertEquals("wal", query(c, "PRAGMA journal_mode"));
            assertEquals(Integer.toString(Migrations.latestVersion()), query(c, "PRAGMA user_version"));
            assertEquals(Migrations.latestVersion(), Migrations.currentVersion(c));
            assertEquals(tablesCreatedByEveryScript(), tables(c));
            assertTrue(tables(c).containsAll(V001_TABLES), tables(c).toString());
        }
        assertEquals(Migrations.SCRIPTS.size(), Migrations.latestVersion());
    }

    @Test
    void connectionsHaveForeignKeysBusyTimeoutAndTheChosenSynchronousMode() throws SQLException {
        Database full = Database.open(dir.resolve("full"), true);
        try (Connection c = full.connect(false)) {
            assertEquals("1", query(c, "PRAGMA foreign_keys"));
            assertEquals("5000", query(c, "PRAGMA busy_timeout"));
            assertEquals("2", query(c, "PRAGMA synchronous"), "FULL");
            assertEquals("0", query(c, "PRAGMA query_only"));
        }
        Database normal = Database.open(dir.resolve("normal"), false);
        try (Connection c = normal.connect(true)) {
            assertEquals("1", query(c, "PRAGMA synchronous"), "NORMAL");
            assertEquals("1", query(c, "PRAGMA query_only"));
        }
    }

    @Test
    void stateDirIsCreatedWhenMissing() {
        Path nested = dir.resolve("a/b/c");
        Database.open(nested, false);
        assertTrue(Files.isRegularFile(nested.resolve("teledeploy.db")));
    }

    @Test
    void reopeningKeepsDataAndAppliesNoMigrationAgain() throws SQLException {
        Database first = Database.open(dir, true);
        try (Connection c = first.connect(false); Statement s = c.createStatement()) {
            s.execute("INSERT INTO devices (deviceid, first_contact, last_contact) VALUES ('web01-2024-03-05-09-12-44', 1, 2)");
        }
        // Re-running V001 would fail on CREATE TABLE devices (no IF NOT EXISTS) and make open() throw.
        Database again = Database.open(dir, true);
        try (Connection c = again.connect(true)) {
            assertEquals("web01-2024-03-05-09-12-44", query(c, "SELECT deviceid FROM devices"));
            assertEquals(Migrations.latestVersion(), Migrations.currentVersion(c));
            assertEquals("wal", query(c, "PRAGMA journal_mode"));
        }
    }

    @Test
    void databaseNewerThanThisBuildIsRefused() throws SQLException {
        Database db = Database.open(dir, true);
        int newer = Migrations.latestVersion() + 1;
        try (Connection c = db.connect(false); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + newer);
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(dir, true));
        assertEquals("cannot open database " + dir.resolve("teledeploy.db") + ": database schema version " + newer
                + " is newer than this teledeployd (" + Migrations.latestVersion() + "); use a newer teledeployd",
                e.getMessage());
        try (Connection c = db.connect(true)) {
            assertEquals(newer, Migrations.currentVersion(c), "left untouched");
        }
    }

    @Test
    void failingMigrationIsRolledBackWhole() throws SQLException {
        // A table V001 creates last already exists: V001 fails after creating the others, which must vanish.
        Path file = dir.resolve("teledeploy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE device_merges (x INTEGER)");
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(dir, true));
        assertTrue(e.getMessage().startsWith("cannot open database " + file + ": migration V001__device_registry.sql "
                + "failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("table device_merges already exists"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(0, Migrations.currentVersion(c));
            assertEquals(Set.of("device_merges"), tables(c));
        }
    }

    @Test
    void statementsSplitOnLineEndingSemicolonsAndDropComments() {
        String script = "-- header comment; with a semicolon;\n"
                + "CREATE TABLE a (\n"
                + "    x INTEGER, -- trailing comments stay inside the statement\n"
                + "    y TEXT\n"
                + ");\n"
                + "\n"
                + "   -- indented comment\n"
                + "CREATE INDEX a_x ON a (x);\n"
                + "INSERT INTO a VALUES (1, 'a;b');\n"
                + "INSERT INTO a VALUES (2, 'no semicolon at the end')";
        assertEquals(List.of(
                "CREATE TABLE a (\n    x INTEGER, -- trailing comments stay inside the statement\n    y TEXT\n);",
                "CREATE INDEX a_x ON a (x);",
                "INSERT INTO a VALUES (1, 'a;b');",
                "INSERT INTO a VALUES (2, 'no semicolon at the end')"), Migrations.statements(script));
    }

    @Test
    void statementsOfWindowsLineEndsAndEmptyScripts() {
        assertEquals(List.of("CREATE TABLE a (x);", "CREATE TABLE b (y);"),
                Migrations.statements("CREATE TABLE a (x);\r\n-- c\r\nCREATE TABLE b (y);\r\n"));
        assertEquals(List.of(), Migrations.statements(""));
        assertEquals(List.of(), Migrations.statements("-- only\n\n   \n-- comments\n"));
    }

    @Test
    void statementsOfTheRealFirstMigration() throws IOException {
        List<String> statements = Migrations.statements(script("V001__device_registry.sql"));
        assertEquals(14, statements.size(), String.join("\n----\n", statements));
        assertTrue(statements.get(0).startsWith("CREATE TABLE devices ("), statements.get(0));
        assertTrue(statements.stream().noneMatch(s -> s.startsWith("--")));
        assertTrue(statements.stream().allMatch(s -> s.endsWith(";")));
    }

    /** Every table a CREATE TABLE of a migration script names: what a migrated database must hold. */
    private static Set<String> tablesCreatedByEveryScript() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String name : Migrations.SCRIPTS) {
            for (String statement : Migrations.statements(script(name))) {
                Matcher m = Pattern.compile("^CREATE TABLE (?:IF NOT EXISTS )?(\\w+)")
                        .matcher(statement);
                if (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static String script(String name) throws IOException {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
