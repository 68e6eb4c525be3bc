package org.teledeploy.admin;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives uploaded for new packages, in {@code <state.dir>/uploads/}: each is received as {@code <token>.part},
 * renamed {@code <token>} when whole, renamed {@code <token>.claimed} when a package build takes it, and deleted
 * after that build. All file work runs on one dedicated thread, in submission order (the chunks of an upload are
 * written in order without locks), never on an event loop. Uploads not used within 24 hours of the server's clock
 * are deleted, at start and every hour; the clock is stamped on the files, so ages survive restarts. At most
 * {@code admin.upload.max.concurrent} uploads are received at once: each holds an open file, a share of the upload
 * thread and of the disk; one more is refused (429) before any of its body is read.
 */
final class UploadStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UploadStore.class);

    static final Duration MAX_AGE = Duration.ofHours(24);
    private static final String PART = ".part";
    private static final String CLAIMED = ".claimed";

    private final Path dir;
    private final long maxSize;
    private final int maxConcurrent;
    private final AtomicInteger receiving = new AtomicInteger();
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final SecureRandom random = new SecureRandom();
    /** Tokens being received or consumed: the periodic clean-up leaves them alone. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    private UploadStore(Path dir, long maxSize, int maxConcurrent, Clock clock) {
        this.dir = dir;
        this.maxSize = maxSize;
        this.maxConcurrent = maxConcurrent;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "teledeploy-uploads");
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates the directory (0700) if needed, removes leftovers and expired uploads, starts the hourly clean-up. */
    static UploadStore open(Path dir, long maxSize, Clock clock) {
        return open(dir, maxSize, 4, clock);
    }

    /**
     * Creates the directory (0700) if needed, removes leftovers and expired uploads, starts the hourly clean-up.
     *
     * @param maxConcurrent uploads received at once at most ({@code admin.upload.max.concurrent})
     */
    static UploadStore open(Path dir, long maxSize, int maxConcurrent, Clock clock) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("state.dir: cannot create " + dir + " (" + e.getMessage() + ")", e);
        }
        UploadStore store = new UploadStore(dir, maxSize, maxConcurrent, clock);
        store.purge(true);
        store.executor.scheduleWithFixedDelay(() -> store.purge(false), 1, 1, TimeUnit.HOURS);
        return store;
    }

    /** {@code admin.upload.max.size}. */
    long maxSize() {
        return maxSize;
    }

    Path dir() {
        return dir;
    }

    /** A file name as the client gave it: shown back, never used as a path. */
    static String checkFileName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("fileName: \"" + name + "\" (expected: a file name, 1-255"
                    + " characters, without / \\ or control characters)");
        }
        return name;
    }

    /** Uploads being received now. */
    int receiving() {
        return receiving.get();
    }

    /**
     * Starts receiving an upload: its {@code .part} file is created on the upload thread.
     *
     * @throws ApiException 429 when {@code admin.upload.max.concurrent} uploads are being received already
     */
    Upload begin(String fileName) {
        if (receiving.incrementAndGet() > maxConcurrent) {
            receiving.decrementAndGet();
            throw ApiException.tooMany("uploads: " + maxConcurrent + " in progress already, the most"
                    + " admin.upload.max.concurrent allows (expected: retry once one has finished)");
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        Upload upload = new Upload(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), fileName);
        busy.add(upload.token);
        upload.submit(() -> {
            upload.channel = FileChannel.open(upload.part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return null;
        });
        return upload;
    }

    /**
     * Takes an upload for a build: no one else can use it from now on.
     *
     * @return the file to build from; 404 when there is no unused, unexpired upload of that token
     */
    CompletableFuture<Path> claim(String token) {
        return supply(() -> {
            ApiException missing = ApiException.notFound("no upload " + token + " (expected: the token of a PUT"
                    + " /api/v1/uploads/{fileName}, unused and at most 24 h old)");
            if (!token.matches("[A-Za-z0-9_-]{22}") || !busy.add(token)) {
                throw missing;
            }
            Path file = dir.resolve(token);
            Path claimed = dir.resolve(token + CLAIMED);
            try {
                if (expired(file)) {
                    Files.delete(file);
                    throw missing;
                }
                Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
                return claimed;
            } catch (NoSuchFileException e) {
                throw missing;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (!Files.exists(claimed)) {
                    busy.remove(token);
                }
            }
        });
    }

    /** Deletes a claimed upload once its build is over, whatever the outcome. */
    CompletableFuture<Void> consumed(Path claimed) {
        return supply(() -> {
            try {
                Files.deleteIfExists(claimed);
            } catch (IOException e) {
                log.warn("Cannot delete the used upload {}: {} (deleted at next start)", claimed, e.getMessage());
            }
            String name = claimed.getFileName().toString();
            busy.remove(name.substring(0, name.length() - CLAIMED.length()));
            return null;
        });
    }

    /** Deletes leftovers (all of them at start) and uploads older than {@link #MAX_AGE}. */
    void purge(boolean atStart) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean leftover = name.endsWith(PART) || name.endsWith(CLAIMED);
                String token = leftover ? name.substring(0, name.lastIndexOf('.')) : name;
                if (atStart && leftover || !busy.contains(token) && expired(file)) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (IOException e) {
            log.warn("Cannot clean {}: {}", dir, e.getMessage());
        }
        if (removed > 0) {
            log.info("Removed {} unused or interrupted uploads from {}", removed, dir);
        }
    }

    private boolean expired(Path file) throws IOException {
        return clock.millis() - Files.getLastModifiedTime(file).toMillis() > MAX_AGE.toMillis();
    }

    private <T> CompletableFuture<T> supply(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ApiException.busy("server stopping"));
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** File work that may fail with an I/O error. */
    private interface IoWork<T> {
        T run() throws IOException;
    }

    /**
     * One upload being received. Its methods are called on the event loop and queue their work on the upload
     * thread; its file state is touched on that thread only. Each chunk is written whole before the next one.
     */
    final class Upload {
        final String token;
        final String fileName;
        final Path part;
        private FileChannel channel;
        private long written;
        private IOException failure;
        private final AtomicBoolean received = new AtomicBoolean();

        private Upload(String token, String fileName) {
            this.token = token;
            this.fileName = fileName;
            this.part = dir.resolve(token + PART);
        }

        /** Writes a chunk (and releases it); fails with the first I/O error of this upload. */
        CompletableFuture<Void> write(ByteBuf chunk) {
            return submitReleasing(chunk, () -> {
                while (chunk.isReadable()) {
                    written += chunk.readBytes(channel, written, chunk.readableBytes());
                }
                return null;
            });
        }

        /** Frees this upload's place among {@code admin.upload.max.concurrent}, once. */
        private void ended() {
            if (received.compareAndSet(false, true)) {
                receiving.decrementAndGet();
            }
        }

        /** Syncs the file and makes it an upload a build can claim; its size, 422 when empty. */
        CompletableFuture<Long> finish() {
            ended(); // the whole body is in: the next upload may start
            return submit(() -> {
                channel.force(true);
                channel.close();
                channel = null;
                if (written == 0) {
                    Files.delete(part);
                    throw ApiException.invalid("body: empty (expected: the archive's bytes)");
                }
                Path done = dir.resolve(token);
                Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
                Files.setLastModifiedTime(done, FileTime.fromMillis(clock.millis()));
                busy.remove(token);
                log.info("Upload {} ({}) stored: {} bytes", token, fileName, written);
                return written;
            });
        }

        /** Gives up: the partial file is deleted after the chunks already queued; completes once it is. */
        CompletableFuture<Void> abort() {
            ended();
            return supply(() -> {
                try {
                    if (channel != null) {
                        channel.close();
                        channel = null;
                    }
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    log.warn("Cannot delete the partial upload {}: {} (deleted at next start)", part, e.getMessage());
                } finally {
                    busy.remove(token);
                }
                return null;
            });
        }

        private <T> CompletableFuture<T> submit(IoWork<T> work) {
            return supply(() -> run(work));
        }

        private <T> CompletableFuture<T> submitReleasing(ByteBuf chunk, IoWork<T> work) {
            try {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        return run(work);
                    } finally {
                        chunk.release();
                    }
                }, executor);
            } catch (RejectedExecutionException e) {
                chunk.release();
                return CompletableFuture.failedFuture(ApiException.busy("server stopping"));
            }
        }

        private <T> T run(IoWork<T> work) {
            if (failure != null) {
                throw ApiException.internal("cannot store the upload (" + failure.getMessage() + ")");
            }
            try {
                return work.run();
            } catch (IOException e) {
                failure = e;
                log.error("Upload {} ({}): cannot write {}: {}", token, fileName, part, e.toString());
                throw ApiException.internal("cannot store the upload (" + e.getMessage() + ")");
            }
        }
    }
}
