package org.teledeploy.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite database file of one teledeployd: opens connections with the right pragmas (WAL, foreign keys,
 * busy timeout) and brings the schema up to date. Connections are handed to exactly one owner each: the
 * {@link StoreWriter} thread or a {@link StoreReader} thread; no event loop ever holds one.
 */
public final class Database {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** The default of {@code store.busy.timeout}. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    private final Path file;
    private final boolean synchronousFull;
    private final Duration busyTimeout;

    private Database(Path file, boolean synchronousFull, Duration busyTimeout) {
        this.file = file;
        this.synchronousFull = synchronousFull;
        this.busyTimeout = busyTimeout;
    }

    /** {@link #open(Path, boolean, Duration)} with the default busy timeout. */
    public static Database open(Path stateDir, boolean synchronousFull) {
        return open(stateDir, synchronousFull, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating if needed) {@code <stateDir>/teledeploy.db} and migrates its schema.
     *
     * @param busyTimeout how long a connection waits for a lock another connection holds before SQLITE_BUSY
     *     ({@code store.busy.timeout})
     */
    public static Database open(Path stateDir, boolean synchronousFull, Duration busyTimeout) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("state.dir: " + stateDir + " (expected: a writable directory)", e);
        }
        Database database = new Database(stateDir.resolve("teledeploy.db"), synchronousFull, busyTimeout);
        try (Connection connection = database.connect(false)) {
            String mode = database.pragma(connection, "journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("could not switch " + database.file + " to WAL (journal_mode=" + mode + ")");
            }
            Migrations.apply(connection);
        } catch (SQLException e) {
            throw new StoreException("cannot open database " + database.file + ": " + e.getMessage(), e);
        }
        log.info("Database {} ready (WAL, synchronous={}, schema version {})",
                database.file, synchronousFull ? "FULL" : "NORMAL", Migrations.latestVersion());
        return database;
    }

    public Path file() {
        return file;
    }

    /** A new connection; {@code readOnly} ones refuse writes (query_only), so a read path cannot write by mistake. */
    Connection connect(boolean readOnly) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
            statement.execute("PRAGMA synchronous = " + (synchronousFull ? "FULL" : "NORMAL"));
            statement.execute("PRAGMA temp_store = MEMORY");
            if (readOnly) {
                statement.execute("PRAGMA query_only = ON");
            }
        }
        IpFunctions.register(connection);
        return connection;
    }

    private String pragma(Connection connection, String pragma) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rs = statement.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
