package org.teledeploy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins {@link StoreReader}: reads run on its own threads with a query_only connection (a write through it fails
 * and changes nothing), see what the writer committed, pass SQL failures on as {@link StoreException}, and are
 * refused once closed.
 */
class StoreReaderTest {

    @TempDir
    Path dir;

    private Database database;
    private StoreReader reader;

    @BeforeEach
    void open() throws SQLException {
        database = Database.open(dir, false);
        try (Connection c = database.connect(false); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k TEXT)");
            s.execute("INSERT INTO t VALUES ('a')");
        }
        reader = StoreReader.start(database, 2);
    }

    @AfterEach
    void close() {
        reader.close();
    }

    @Test
    void readsRunOnAReaderThreadNotTheCaller() throws Exception {
        String thread = get(reader.read(c -> Thread.currentThread().getName()));
        assertTrue(thread.startsWith("teledeploy-store-reader-"), thread);
        boolean daemon = get(reader.read(c -> Thread.currentThread().isDaemon()));
        assertTrue(daemon, "a reader thread never keeps the JVM alive");
    }

    @Test
    void readConnectionsAreQueryOnly() throws Exception {
        int queryOnly = get(reader.read(c -> intQuery(c, "PRAGMA query_only")));
        assertEquals(1, queryOnly);
        int rows = get(reader.read(c -> intQuery(c, "SELECT COUNT(*) FROM t")));
        assertEquals(1, rows);
    }

    @Test
    void aWriteThroughAReaderFailsAndChangesNothing() throws Exception {
        CompletableFuture<Integer> write = reader.read(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO t VALUES ('b')");
            }
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(write));
        StoreException failure = assertInstanceOf(StoreException.class, e.getCause());
        assertInstanceOf(SQLException.class, failure.getCause());
        assertTrue(failure.getMessage().contains("attempt to write a readonly database"), failure.getMessage());
        int rows = reader.readNow(c -> intQuery(c, "SELECT COUNT(*) FROM t"));
        assertEquals(1, rows);
    }

    @Test
    void readsSeeWhatTheWriterCommitted() throws Exception {
        try (StoreWriter writer = StoreWriter.start(database, 16, 16)) {
            writer.submit(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO t VALUES ('from-writer')");
                }
            }).get(60, TimeUnit.SECONDS);
        }
        int rows = reader.readNow(c -> intQuery(c, "SELECT COUNT(*) FROM t WHERE k = 'from-writer'"));
        assertEquals(1, rows);
    }

    @Test
    void readNowRethrowsRuntimeExceptionsAsIs() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> reader.readNow(c -> {
            throw boom;
        })));
        StoreException sql = assertThrows(StoreException.class, () -> reader.readNow(c -> intQuery(c, "SELECT nope FROM t")));
        assertTrue(sql.getMessage().contains("no such column: nope"), sql.getMessage());
    }

    @Test
    void readsAfterCloseAreRefused() throws Exception {
        reader.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(reader.read(c -> 1)));
        StoreException refused = assertInstanceOf(StoreException.class, e.getCause());
        assertEquals("read queue full or store closed", refused.getMessage());
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static int intQuery(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }
}
