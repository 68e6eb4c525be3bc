package org.teledeploy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.metrics.StoreMetrics;

/**
 * The only thread that writes to SQLite. Callers enqueue {@link SqlFunction}s and get a future that completes
 * <em>after the transaction holding their write has committed</em>, so a reply that acknowledges data can be
 * sent from the future's completion (architecture invariant 3).
 *
 * <p>Group commit: the thread takes every write waiting in the queue (up to {@code store.batch.size}) and runs
 * them in one transaction, each under its own savepoint so that one failing write fails alone. Under load this
 * turns thousands of fsyncs into a few; when idle a write commits at once (no added delay).
 *
 * <p>A full disk ({@code SQLITE_FULL}) or a lock held by another process past the busy timeout
 * ({@code SQLITE_BUSY}, {@code SQLITE_LOCKED}) is not one write's fault: the whole batch fails with
 * {@link StoreUnavailableException} (none of it acknowledged, the requests get 503 + Retry-After), logged once per
 * streak, and the next batch tries again.
 */
public final class StoreWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    /** Compiled statements kept for the writer connection: every distinct SQL of the server fits. */
    private static final int STATEMENT_CACHE_SIZE = 512;

    private final BlockingQueue<Write<?>> queue;
    private final int capacity;
    private final int batchSize;
    private final Connection connection;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StoreMetrics metrics;
    /** Batches refused in a row because the database was full or locked (writer thread only). */
    private int unavailableBatches;

    private StoreWriter(Connection connection, int capacity, int batchSize, StoreMetrics metrics) {
        this.connection = connection;
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "teledeploy-store-writer");
        this.thread.setDaemon(false);
    }

    /** Starts the writer thread on a new connection to {@code database}, without metrics. */
    public static StoreWriter start(Database database, int queueCapacity, int batchSize) {
        return start(database, queueCapacity, batchSize, StoreMetrics.unregistered());
    }

    /** Starts the writer thread on a new connection to {@code database}; its queue and commits go to {@code metrics}. */
    public static StoreWriter start(Database database, int queueCapacity, int batchSize, StoreMetrics metrics) {
        try {
            Connection connection = StatementCache.wrap(database.connect(false), STATEMENT_CACHE_SIZE);
            connection.setAutoCommit(true);
            StoreWriter writer = new StoreWriter(connection, queueCapacity, batchSize, metrics);
            metrics.bindQueue(writer::queued, queueCapacity);
            writer.thread.start();
            return writer;
        } catch (SQLException e) {
            throw new StoreException("cannot open the write connection: " + e.getMessage(), e);
        }
    }

    /**
     * Queues a write. Never blocks: when the queue is full the future fails at once with
     * {@link StoreOverloadedException}.
     */
    public <T> CompletableFuture<T> submit(SqlFunction<T> work) {
        Write<T> write = new Write<>(work);
        if (closed.get()) {
            write.future.completeExceptionally(new StoreException("store is closed"));
        } else if (!queue.offer(write)) {
            metrics.rejected();
            write.future.completeExceptionally(new StoreOverloadedException(capacity));
        } else if (closed.get() && !thread.isAlive() && queue.remove(write)) {
            // close() ran between the check above and the offer, and the writer thread is gone: nobody would run it.
            write.future.completeExceptionally(new StoreException("store is closed"));
        }
        return write.future;
    }

    /** Writes waiting to be committed. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Write<?>> batch = new ArrayList<>(batchSize);
        while (true) {
            try {
                Write<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed.get() && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Thrown out of commit() (an Error in a write): its transaction is still open. Undo it, or every
                // later batch fails on "cannot start a transaction within a transaction".
                rollbackQuietly();
                log.error("Store writer failed on a batch of {}", batch.size(), e);
                batch.forEach(w -> w.future.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write<?>> batch) {
        long started = System.nanoTime();
        List<Object> results = new ArrayList<>(batch.size());
        try {
            execute("BEGIN IMMEDIATE");
            for (Write<?> write : batch) {
                execute("SAVEPOINT w");
                try {
                    results.add(write.work.apply(connection));
                    execute("RELEASE w");
                } catch (SQLException | RuntimeException e) {
                    if (e instanceof SQLException sql && unavailable(sql) != null) {
                        throw sql; // the whole transaction is lost (or will be): fail the batch, acknowledge nothing
                    }
                    execute("ROLLBACK TO w");
                    execute("RELEASE w");
                    results.add(new Failure(e));
                }
            }
            execute("COMMIT");
            metrics.committed(batch.size(), System.nanoTime() - started);
        } catch (SQLException e) {
            rollbackQuietly();
            String reason = unavailable(e);
            StoreException failure;
            if (reason != null) {
                failure = new StoreUnavailableException(reason, "database " + (reason.equals("full")
                        ? "full (" + e.getMessage() + ")" : "locked by another connection for longer than the busy"
                        + " timeout (" + e.getMessage() + ")") + "; nothing stored", e);
                metrics.unavailable(reason);
                if (unavailableBatches++ == 0) {
                    log.error("Store writer: {}; answering 503 (Retry-After) until writes succeed again",
                            failure.getMessage());
                }
            } else {
                failure = new StoreException("commit failed: " + e.getMessage(), e);
                log.error("Group commit of {} writes failed; none acknowledged", batch.size(), e);
            }
            batch.forEach(w -> w.future.completeExceptionally(failure));
            return;
        }
        if (unavailableBatches > 0) {
            log.info("Store writer: writes succeed again after {} refused batches", unavailableBatches);
            unavailableBatches = 0;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(results.get(i));
        }
    }

    /**
     * {@code full} or {@code locked} when SQLite failed for a reason that passes (SQLITE_FULL; SQLITE_BUSY or
     * SQLITE_LOCKED once the busy timeout is over), null for any other error.
     */
    static String unavailable(SQLException e) {
        switch (e.getErrorCode() & 0xff) {
            case 13: return "full";      // SQLITE_FULL: no space left on device (or max_page_count)
            case 5:                      // SQLITE_BUSY
            case 6: return "locked";     // SQLITE_LOCKED
            default: return null;
        }
    }

    /**
     * Runs a transaction-control statement through the cached prepared statements of the writer connection
     * ({@link StatementCache}): {@code Statement.execute} compiled SAVEPOINT and RELEASE anew for every write.
     */
    private void execute(String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private void rollbackQuietly() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // not in a transaction any more: nothing to undo
        }
    }

    /** Stops accepting writes, commits those already queued, then closes the connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Store writer did not drain its queue within 30 s; {} writes not committed", queue.size());
            thread.interrupt();
        }
        Write<?> left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(new StoreException("store is closed"));
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the write connection failed", e);
        }
    }

    /** A failed write inside a batch that otherwise committed. */
    private record Failure(Exception cause) {}

    private static final class Write<T> {
        final SqlFunction<T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Write(SqlFunction<T> work) {
            this.work = work;
        }

        @SuppressWarnings("unchecked")
        void complete(Object result) {
            if (result instanceof Failure failure) {
                Exception cause = failure.cause();
                future.completeExceptionally(cause instanceof SQLException
                        ? new StoreException(cause.getMessage(), cause) : cause);
            } else {
                future.complete((T) result);
            }
        }
    }
}
