package org.teledeploy.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code migrations/V<nnn>__<name>.sql} resources applied in order, each in its own
 * transaction, the schema version kept in SQLite's {@code PRAGMA user_version}. A database newer than this build
 * is refused rather than guessed at.
 */
final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** In order; append only, never edit a released one. */
    static final List<String> SCRIPTS = List.of(
            "V001__device_registry.sql",
            "V002__packages.sql",
            "V003__deployment.sql",
            "V004__settings.sql",
            "V005__ipdiscover.sql",
            "V006__fragment_digests.sql");

    private Migrations() {}

    static int latestVersion() {
        return SCRIPTS.size();
    }

    static void apply(Connection connection) throws SQLException {
        int current = currentVersion(connection);
        if (current > latestVersion()) {
            throw new SQLException("database schema version " + current + " is newer than this teledeployd ("
                    + latestVersion() + "); use a newer teledeployd");
        }
        for (int version = current + 1; version <= latestVersion(); version++) {
            String name = SCRIPTS.get(version - 1);
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements(read(name))) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + version);
                connection.commit();
                log.info("Database schema migrated to version {} ({})", version, name);
            } catch (SQLException e) {
                connection.rollback();
                throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a script on semicolons that end a line; comments ({@code --}) are dropped. */
    static List<String> statements(String script) {
        StringBuilder current = new StringBuilder();
        List<String> out = new java.util.ArrayList<>();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
