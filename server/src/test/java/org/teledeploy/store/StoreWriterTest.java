package org.teledeploy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.metrics.ServerMetrics;

/**
 * Pins {@link StoreWriter}: a future completes only after its transaction committed; writes waiting while the
 * writer is busy are committed together (group commit, at most {@code store.batch.size} per transaction); a
 * failing write fails alone (savepoints); a full or locked database fails the whole batch as unavailable; a full
 * queue fails at once; close() commits what was queued.
 *
 * <p>How transactions are counted, deterministically: the writer thread is held inside a first write (a latch),
 * the writes under test are queued meanwhile, then the latch is released. Each write records how many rows of
 * {@code t} an <em>observer</em> connection (a second, read-only connection) sees at that moment; the observer
 * sees committed rows only, so every write of one transaction records the same number, and each commit raises
 * it. The number of distinct recorded values is the number of transactions, and how many writes share a value
 * is the size of that batch. No sleeps, no timing: the queue content at release time fixes the batching.
 */
class StoreWriterTest {

    private static final long HANG_GUARD_SECONDS = 60;

    @TempDir
    Path dir;

    private Database database;
    private Connection observer;
    private StoreWriter writer;
    private final List<Gate> gates = new ArrayList<>();

    @BeforeEach
    void createDatabase() throws SQLException {
        database = Database.open(dir, false);
        try (Connection c = database.connect(false); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, seen INTEGER NOT NULL)");
        }
        observer = database.connect(true);
    }

    @AfterEach
    void closeEverything() throws SQLException {
        gates.forEach(Gate::release);
        if (writer != null) {
            writer.close();
        }
        observer.close();
    }

    @Test
    void futureCompletesOnlyAfterTheCommit() throws Exception {
        writer = StoreWriter.start(database, 100, 100);
        CompletableFuture<Integer> write = writer.submit(c -> {
            insert(c, "a", 0);
            return countCommitted("a"); // inside the open transaction: not visible to others yet
        });
        CompletableFuture<Integer> afterwards = write.thenApply(inside -> {
            try (Connection fresh = database.connect(true)) {
                return count(fresh, "a");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, await(write), "uncommitted while the write ran");
        assertEquals(1, await(afterwards), "committed when the future completed");
    }

    @Test
    void theWriteResultIsTheFutureValue() throws Exception {
        writer = StoreWriter.start(database, 100, 100);
        assertEquals("hello", await(writer.submit(c -> "hello")));
        assertNull(await(writer.submit(c -> null)));
    }

    @Test
    void writesQueuedWhileTheWriterIsBusyCommitInOneTransaction() throws Exception {
        writer = StoreWriter.start(database, 1000, 1000);
        Gate gate = hold(writer);
        List<CompletableFuture<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            writes.add(writer.submit(recordingInsert("w" + i)));
        }
        assertEquals(100, writer.queued());
        gate.release();
        Map<Integer, Integer> batches = batchSizes(writes);
        assertEquals(Map.of(1, 100), batches, "one transaction after the holding one (which committed 1 row)");
        assertEquals(101, countAll());
        assertEquals(0, writer.queued());
    }

    @Test
    void groupCommitOfManyWritersIsCappedAtTheBatchSize() throws Exception {
        int batchSize = 256;
        int threads = 4;
        int perThread = 500;
        writer = StoreWriter.start(database, 10_000, batchSize);
        Gate gate = hold(writer);
        List<List<CompletableFuture<Integer>>> perWriter = new ArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<Integer>> mine = new ArrayList<>();
            perWriter.add(mine);
            int id = t;
            submitters.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    mine.add(writer.submit(recordingInsert(id + "-" + i)));
                }
            }, "submitter-" + t));
        }
        submitters.forEach(Thread::start);
        for (Thread t : submitters) {
            t.join();
        }
        assertEquals(threads * perThread, writer.queued());
        gate.release();

        List<CompletableFuture<Integer>> all = new ArrayList<>();
        perWriter.forEach(all::addAll);
        Map<Integer, Integer> batches = batchSizes(all);
        // 2000 queued writes, 256 per transaction: 7 full batches and one of 208; each batch sees the rows of the
        // batches before it (plus the holding write's row).
        Map<Integer, Integer> expected = new TreeMap<>();
        int committed = 1;
        int left = threads * perThread;
        while (left > 0) {
            int size = Math.min(batchSize, left);
            expected.put(committed, size);
            committed += size;
            left -= size;
        }
        assertEquals(8, expected.size());
        assertEquals(expected, batches);
        assertTrue(batches.size() < all.size(), "fewer transactions than writes");
        assertEquals(1 + threads * perThread, countAll());
    }

    @Test
    void failingWriteFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        writer = StoreWriter.start(database, 100, 100);
        Gate gate = hold(writer);
        CompletableFuture<Integer> ok1 = writer.submit(recordingInsert("ok1"));
        CompletableFuture<Integer> noTable = writer.submit(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO missing VALUES (1)");
            }
            return 0;
        });
        CompletableFuture<Integer> halfDone = writer.submit(c -> {
            insert(c, "half", 0);
            insert(c, "ok1", 0); // UNIQUE violation: the first insert of this write must be undone too
            return 0;
        });
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Integer> throwing = writer.submit(c -> {
            insert(c, "thrown", 0);
            throw boom;
        });
        CompletableFuture<Integer> ok2 = writer.submit(recordingInsert("ok2"));
        gate.release();

        assertEquals(1, await(ok1));
        assertEquals(1, await(ok2), "same transaction as ok1");
        StoreException sqlFailure = failure(noTable, StoreException.class);
        assertInstanceOf(SQLException.class, sqlFailure.getCause());
        assertTrue(sqlFailure.getMessage().contains("no such table: missing"), sqlFailure.getMessage());
        StoreException constraint = failure(halfDone, StoreException.class);
        assertTrue(constraint.getMessage().contains("UNIQUE constraint failed: t.k"), constraint.getMessage());
        assertSame(boom, failure(throwing, IllegalStateException.class), "runtime exceptions are passed on as is");

        assertEquals(1, count(observer, "ok1"));
        assertEquals(1, count(observer, "ok2"));
        assertEquals(0, count(observer, "half"), "rolled back to its savepoint");
        assertEquals(0, count(observer, "thrown"));
        assertEquals(3, countAll(), "holding write + ok1 + ok2");
    }

    @Test
    void anErrorInAWriteFailsItsBatchButNotTheNextOne() throws Exception {
        writer = StoreWriter.start(database, 100, 100);
        Gate gate = hold(writer);
        CompletableFuture<Integer> before = writer.submit(recordingInsert("before"));
        Error error = new AssertionError("a write that throws an Error");
        CompletableFuture<Integer> erring = writer.submit(c -> {
            throw error;
        });
        gate.release();
        assertSame(error, failure(erring, AssertionError.class));
        assertSame(error, failure(before, AssertionError.class), "its transaction did not commit: not acknowledged");
        assertEquals(0, count(observer, "before"), "and nothing of that batch is in the database");

        // The writer must not be left inside the aborted transaction: the next, unrelated write commits.
        assertEquals(1, await(writer.submit(recordingInsert("after"))));
        assertEquals(1, count(observer, "after"));
    }

    @Test
    void fullQueueFailsTheFutureAtOnce() throws Exception {
        writer = StoreWriter.start(database, 2, 100);
        Gate gate = hold(writer); // taken off the queue: the queue is empty and the writer busy
        CompletableFuture<Integer> first = writer.submit(recordingInsert("q1"));
        CompletableFuture<Integer> second = writer.submit(recordingInsert("q2"));
        assertEquals(2, writer.queued());
        CompletableFuture<Integer> third = writer.submit(recordingInsert("q3"));
        assertTrue(third.isCompletedExceptionally(), "failed before submit() returned");
        StoreOverloadedException overloaded = failure(third, StoreOverloadedException.class);
        assertEquals("write queue full (store.queue.size = 2)", overloaded.getMessage());
        assertInstanceOf(StoreException.class, overloaded);
        gate.release();
        assertEquals(1, await(first));
        assertEquals(1, await(second));
        assertEquals(0, count(observer, "q3"));
    }

    @Test
    void closeCommitsWhatWasQueuedThenRefusesNewWrites() throws Exception {
        writer = StoreWriter.start(database, 100, 3);
        Gate gate = hold(writer);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(writer.submit(recordingInsert("c" + i)));
        }
        StoreWriter closing = writer;
        Thread closer = new Thread(closing::close, "closer");
        closer.start();
        // close() marks the writer closed, then waits for its thread (Thread.join: TIMED_WAITING). Once there,
        // the queued writes were accepted before the close; release the writer and let it drain.
        while (closer.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(closer.isAlive(), "close() returned while the writer was held");
            Thread.onSpinWait();
        }
        StoreException refused = failure(writer.submit(recordingInsert("late")), StoreException.class);
        assertEquals("store is closed", refused.getMessage());
        assertEquals(StoreException.class, refused.getClass());
        gate.release();
        closer.join();

        for (CompletableFuture<Integer> f : queued) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "committed before close() returned: " + f);
        }
        assertEquals(Map.of(1, 3, 4, 3, 7, 3, 10, 1), batchSizes(queued));
        assertEquals(11, countAll());
        assertEquals(0, count(observer, "late"));

        StoreException afterClose = failure(writer.submit(c -> 1), StoreException.class);
        assertEquals("store is closed", afterClose.getMessage());
        writer.close(); // a second close is harmless
    }

    @Test
    void theObserverConnectionSeesOnlyCommittedRows() throws Exception {
        writer = StoreWriter.start(database, 10, 10);
        assertFalse(observer.isClosed());
        assertEquals(0, countCommittedAll());
        await(writer.submit(recordingInsert("x")));
        assertEquals(1, countCommittedAll());
    }

    @Test
    void aFullDatabaseFailsTheWholeBatchAsUnavailableAndWritesResumeOnceThereIsRoom() throws Exception {
        try (ServerMetrics metrics = ServerMetrics.create()) {
            writer = StoreWriter.start(database, 100, 100, metrics.store());
            Gate gate = hold(writer);
            CompletableFuture<Integer> fits = writer.submit(c -> {
                insert(c, "small", 0);
                return 1;
            });
            CompletableFuture<Integer> overflows = writer.submit(c -> {
                try (Statement s = c.createStatement()) {
                    // SQLITE_FULL as on a full disk: the file may not grow past the pages it has.
                    s.execute("PRAGMA max_page_count = " + pageCount(c));
                }
                insert(c, "x".repeat(1 << 20), 0);
                return 2;
            });
            gate.release();
            StoreUnavailableException full = failure(overflows, StoreUnavailableException.class);
            assertEquals("full", full.reason());
            assertTrue(full.getMessage().startsWith("database full ("), full.getMessage());
            assertEquals("full", failure(fits, StoreUnavailableException.class).reason(),
                    "a write of the same batch that went through is not acknowledged either");
            assertEquals(0, countCommitted("small"), "nothing of the batch was committed");

            CompletableFuture<Integer> again = writer.submit(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA max_page_count = 1073741823"); // room again
                }
                insert(c, "small", 0);
                return 3;
            });
            assertEquals(3, await(again));
            assertEquals(1, countCommitted("small"));
            assertEquals(1.0, metrics.registry().get("teledeploy.store.batches.unavailable").tag("reason", "full")
                    .counter().count());
        }
    }

    @Test
    void aLockHeldByAnotherConnectionPastTheBusyTimeoutIsUnavailableThenWritesResume() throws Exception {
        Database shortWait = Database.open(dir, false, Duration.ofMillis(100));
        try (ServerMetrics metrics = ServerMetrics.create();
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + shortWait.file());
             Statement lock = other.createStatement()) {
            writer = StoreWriter.start(shortWait, 100, 100, metrics.store());
            lock.execute("BEGIN EXCLUSIVE");
            List<CompletableFuture<Integer>> refused = new ArrayList<>();
            for (String k : List.of("a", "b", "c")) {
                refused.add(writer.submit(c -> {
                    insert(c, k, 0);
                    return 0;
                }));
            }
            for (CompletableFuture<Integer> f : refused) {
                StoreUnavailableException e = failure(f, StoreUnavailableException.class);
                assertEquals("locked", e.reason());
                assertTrue(e.getMessage().startsWith("database locked by another connection for longer than the busy"
                        + " timeout"), e.getMessage());
            }
            lock.execute("ROLLBACK");
            assertEquals(0, countAll(), "nothing refused was stored");
            CompletableFuture<Integer> after = writer.submit(c -> {
                insert(c, "d", 0);
                return 7;
            });
            assertEquals(7, (int) await(after), "writes resume once the lock is released");
            assertEquals(1, countCommitted("d"));
            assertTrue(metrics.registry().get("teledeploy.store.batches.unavailable").tag("reason", "locked")
                    .counter().count() >= 1);
        }
    }

    private static long pageCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Holds the writer thread inside a write until released; returns once the writer is held. */
    private Gate hold(StoreWriter w) throws InterruptedException {
        Gate gate = new Gate();
        gates.add(gate);
        w.submit(c -> {
            insert(c, "holding", 0);
            gate.entered.countDown();
            try {
                if (!gate.release.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                    throw new SQLException("gate never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            }
            return 0;
        });
        assertTrue(gate.entered.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "the writer never ran the holding write");
        return gate;
    }

    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void release() {
            release.countDown();
        }
    }

    /** Inserts {@code k} recording how many rows were committed (seen by the observer) when it ran. */
    private SqlFunction<Integer> recordingInsert(String k) {
        return c -> {
            int seen = countCommittedAll();
            insert(c, k, seen);
            return seen;
        };
    }

    private static void insert(Connection c, String k, int seen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, seen) VALUES (?, ?)")) {
            ps.setString(1, k);
            ps.setInt(2, seen);
            ps.executeUpdate();
        }
    }

    private int countCommitted(String k) throws SQLException {
        return count(observer, k);
    }

    private int countCommittedAll() throws SQLException {
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    private int countAll() throws SQLException {
        try (Connection fresh = database.connect(true); Statement s = fresh.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    private static int count(Connection c, String k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t WHERE k = ?")) {
            ps.setString(1, k);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    /** committed-rows-seen value → how many writes recorded it, i.e. transaction → its size. */
    private static Map<Integer, Integer> batchSizes(List<CompletableFuture<Integer>> writes) throws Exception {
        Map<Integer, Integer> out = new TreeMap<>();
        for (CompletableFuture<Integer> f : writes) {
            out.merge(await(f), 1, Integer::sum);
        }
        return out;
    }

    private static <T> T await(CompletableFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    }

    private static <X extends Throwable> X failure(CompletableFuture<?> future, Class<X> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(future));
        return assertInstanceOf(type, e.getCause());
    }
}
