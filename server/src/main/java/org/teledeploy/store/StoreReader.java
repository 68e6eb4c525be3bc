package org.teledeploy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads that cannot be served from memory: a small fixed pool of threads, each with its own read-only
 * connection (WAL lets them read while the writer commits). Never called from an event loop except through
 * {@link #read}, which returns a future.
 */
public final class StoreReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreReader.class);

    private final Database database;
    private final ExecutorService executor;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final List<Connection> opened = new CopyOnWriteArrayList<>();

    private StoreReader(Database database, int threads) {
        this.database = database;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "teledeploy-store-reader-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    public static StoreReader start(Database database, int threads) {
        return new StoreReader(database, threads);
    }

    /** Runs {@code work} on a reader thread. */
    public <T> CompletableFuture<T> read(SqlFunction<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(work.apply(connection()));
                } catch (SQLException e) {
                    future.completeExceptionally(new StoreException(e.getMessage(), e));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(new StoreException("read queue full or store closed"));
        }
        return future;
    }

    /** Blocking read for start-up and tests, never for request paths. */
    public <T> T readNow(SqlFunction<T> work) {
        try {
            return read(work).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StoreException("read timed out after 60 s");
        }
    }

    private Connection connection() throws SQLException {
        Connection connection = connections.get();
        if (connection == null) {
            connection = database.connect(true);
            connections.set(connection);
            opened.add(connection);
        }
        return connection;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : opened) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a read connection", e);
            }
        }
    }
}
