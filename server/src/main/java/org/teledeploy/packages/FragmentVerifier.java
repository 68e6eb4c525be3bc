package org.teledeploy.packages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a fragment file against the SHA-256 recorded when its package was built or imported, before it is
 * served: the agent checks the archive digest only once it has every fragment, so a fragment corrupted on disk
 * would otherwise be handed to the whole fleet. A file is hashed (on the blocking executor, never an event loop)
 * the first time it is asked for after start and again whenever its size, modification time or inode changes;
 * in between the answer comes from memory, so the serving path stays one {@code stat} and a zero-copy sendfile.
 * A mismatch is logged once per state of the file, with both digests, and told to the {@link Listener}.
 */
public final class FragmentVerifier {

    private static final Logger log = LoggerFactory.getLogger(FragmentVerifier.class);
    private static final int BUFFER = 1 << 20;
    private static final CompletableFuture<Optional<String>> SERVE = CompletableFuture.completedFuture(Optional.empty());

    /** Hears of fragments found corrupt and of corrupt ones found intact again (for metrics and the admin view). */
    public interface Listener {
        void corrupt(String packageId, int n);

        void intact(String packageId, int n);

        Listener NONE = new Listener() {
            @Override
            public void corrupt(String packageId, int n) {}

            @Override
            public void intact(String packageId, int n) {}
        };
    }

    /** What identifies one state of a file: a write changes the time, a replacement the inode. */
    private record Stamp(long size, FileTime modified, Object fileKey) {}

    private record Check(Stamp stamp, CompletableFuture<Optional<String>> verdict) {}

    private final Executor executor;
    private final Listener listener;
    private final ConcurrentMap<Path, Check> checks = new ConcurrentHashMap<>();

    /** @param executor hashes files (blocking reads) */
    public FragmentVerifier(Executor executor, Listener listener) {
        this.executor = executor;
        this.listener = listener;
    }

    /** The digest recorded per fragment. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Whether fragment {@code n} of {@code pkg} may be served as it is on disk now. Costs one {@code stat} on the
     * caller's thread; the future is complete at once unless the file has to be hashed.
     *
     * @return a future of empty (serve it; a missing file or one of the wrong size is left to the caller, which
     *     checks both when it opens the file), or of the one-line reason it must not be served
     */
    public CompletableFuture<Optional<String>> verify(PublishedPackage pkg, int n) {
        String expected = pkg.fragmentDigest(n);
        if (expected == null) {
            return SERVE;
        }
        Path file = pkg.fragmentPath(n);
        Stamp stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        } catch (IOException e) {
            return SERVE;
        }
        if (stamp.size() != pkg.fragmentSize(n)) {
            return SERVE;
        }
        Check known = checks.get(file);
        if (known != null && known.stamp().equals(stamp)) {
            return known.verdict();
        }
        Check fresh = new Check(stamp, new CompletableFuture<>());
        Check winner = checks.merge(file, fresh, (old, mine) -> old.stamp().equals(mine.stamp()) ? old : mine);
        if (winner == fresh) {
            boolean wasCorrupt = known != null && known.verdict().getNow(Optional.empty()).isPresent();
            try {
                executor.execute(() -> hash(pkg, n, file, expected, fresh, wasCorrupt));
            } catch (RejectedExecutionException e) {
                checks.remove(file, fresh);
                fresh.verdict().complete(Optional.of("cannot check fragment " + pkg.id() + "-" + n
                        + " (server stopping)"));
            }
        }
        return winner.verdict();
    }

    private void hash(PublishedPackage pkg, int n, Path file, String expected, Check check, boolean wasCorrupt) {
        String name = pkg.id() + "-" + n;
        String actual;
        try {
            actual = sha256(file);
        } catch (IOException | RuntimeException e) {
            checks.remove(file, check); // not a verdict on the file: the next request tries again
            log.error("Cannot check fragment file {}: {}", file, e.toString());
            check.verdict().complete(Optional.of("cannot read fragment " + name));
            return;
        }
        if (actual.equals(expected)) {
            if (wasCorrupt) {
                log.info("Fragment file {} matches its recorded SHA-256 again: serving it", file);
                listener.intact(pkg.id(), n);
            }
            check.verdict().complete(Optional.empty());
            return;
        }
        log.error("Fragment file {} is corrupt: SHA-256 {} (expected: {}, recorded when package {} was published);"
                + " not serving it until it is restored", file, actual, expected, pkg.id());
        listener.corrupt(pkg.id(), n);
        check.verdict().complete(Optional.of("fragment " + name + " on the server is corrupt (its SHA-256 differs"
                + " from the one recorded at build)"));
    }

    /** Forgets what was checked of a package (deleted). */
    void forget(PublishedPackage pkg) {
        for (int n = 1; n <= pkg.fragments(); n++) {
            checks.remove(pkg.fragmentPath(n));
        }
    }

    static String sha256(Path file) throws IOException {
        return sha256(file, null);
    }

    /** The SHA-256 of {@code file}; its bytes also go to {@code also} when not null. */
    static String sha256(Path file, MessageDigest also) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                if (also != null) {
                    also.update(buffer.duplicate());
                }
                digest.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
