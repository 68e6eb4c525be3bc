package org.teledeploy.packages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.teledeploy.store.DurableFiles;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The package tree on disk, {@code <state.dir>/packages/<ID>/} in the OCS layout ({@code info},
 * {@code <ID>-1 … <ID>-N}), so that any static HTTP server or CDN can serve a copy of it. A package is written
 * under {@code .staging/} and appears by one atomic rename once every file is on disk (fsync'd): a crash
 * leaves staging leftovers, never a half package, and {@link #cleanLeftovers} removes them at start.
 *
 * <p>Public only for {@link #cut}, the streaming cut-and-hash of a build, which the JMH benchmarks measure
 * (perf/JMH.md); everything else stays package-private.
 */
public final class PackageDirectory {

    private static final Logger log = LoggerFactory.getLogger(PackageDirectory.class);
    private static final int BUFFER = 1 << 20;

    private final Path root;
    private final Path staging;

    PackageDirectory(Path root) {
        this.root = root;
        this.staging = root.resolve(".staging");
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("state.dir: " + root + " (expected: a writable packages directory)", e);
        }
    }

    Path root() {
        return root;
    }

    /** The published directory of a package (it may not exist). */
    Path published(String id) {
        return root.resolve(id);
    }

    /** A new, empty staging directory for one build. */
    Path newStaging(String id) throws IOException {
        return Files.createDirectory(staging.resolve(id + "." + UUID.randomUUID()));
    }

    /**
     * What was cut: the digest over the whole archive, each fragment's length and each fragment's SHA-256
     * ({@link FragmentVerifier}).
     */
    public record Cut(String digest, long[] fragmentSizes, long archiveSize, String[] fragmentDigests) {}

    /**
     * Streams {@code archive} once: hashes it (and each fragment with SHA-256) and writes its fragments
     * {@code <id>-1 … <id>-N} into {@code stagingDir}, each fsync'd.
     */
    public static Cut cut(Path archive, String id, Fragmentation fragmentation, DigestAlgorithm algorithm, Path stagingDir)
            throws IOException {
        MessageDigest digest = algorithm.newDigest();
        try (FileChannel in = FileChannel.open(archive, StandardOpenOption.READ)) {
            long size = in.size();
            long[] sizes;
            try {
                sizes = fragmentation.split(size);
            } catch (IllegalArgumentException e) {
                throw PackageException.invalid(e.getMessage());
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
            String[] fragmentDigests = new String[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                Path fragment = stagingDir.resolve(id + "-" + (i + 1));
                MessageDigest each = FragmentVerifier.newDigest();
                try (FileChannel out = FileChannel.open(fragment, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    copy(in, out, sizes[i], buffer, digest, each);
                    out.force(true);
                }
                fragmentDigests[i] = HexFormat.of().formatHex(each.digest());
            }
            return new Cut(HexFormat.of().formatHex(digest.digest()), sizes, size, fragmentDigests);
        }
    }

    /** Copies exactly {@code length} bytes from the position of {@code in}, updating both digests. */
    static void copy(FileChannel in, FileChannel out, long length, ByteBuffer buffer, MessageDigest digest,
                     MessageDigest fragmentDigest) throws IOException {
        long left = length;
        while (left > 0) {
            buffer.clear();
            if (left < buffer.capacity()) {
                buffer.limit((int) left);
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("archive ended " + left + " bytes early (changed while reading?)");
            }
            buffer.flip();
            digest.update(buffer.duplicate());
            fragmentDigest.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            left -= n;
        }
    }

    /** Writes a file durably inside a staging or published directory (temp file, fsync, rename). */
    static void writeFile(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Makes a staged package visible as {@code <root>/<id>} in one rename.
     *
     * @throws PackageException CONFLICT when a package directory of that ID exists already
     */
    Path publish(Path stagingDir, String id) throws IOException {
        DurableFiles.syncDirectory(stagingDir);
        Path target = published(id);
        if (Files.exists(target)) {
            throw new PackageException(PackageException.Kind.CONFLICT, "package " + id + " exists on disk already ("
                    + target + ")");
        }
        Files.move(stagingDir, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(root);
        return target;
    }

    /** Removes a published package: renamed away first (it disappears at once), then deleted. */
    void remove(String id) throws IOException {
        Path dir = published(id);
        if (!Files.exists(dir)) {
            return;
        }
        Path trash = staging.resolve(id + ".deleted." + UUID.randomUUID());
        Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(root);
        deleteTree(trash);
    }

    /** Deletes everything under {@code .staging} (interrupted builds, imports and deletions). */
    void cleanLeftovers() {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(staging)) {
            for (Path p : leftovers) {
                log.info("Removing leftover of an interrupted package operation: {}", p.getFileName());
                deleteTree(p);
            }
        } catch (IOException e) {
            log.warn("Cannot clean {}: {}", staging, e.getMessage());
        }
    }

    /** IDs of the package directories present (names made of digits). */
    List<String> publishedIds() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9]{1,19}") && Files.isDirectory(p)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    /** A published package as found on disk: each fragment's size, or why it does not match its row. */
    record Scan(long[] fragmentSizes, Optional<String> problem) {}

    /**
     * Checks a published package against what the store says: an info file, exactly {@code fragments} fragment
     * files whose sizes add up to {@code archiveSize}. Digests are not recomputed (that would read every byte at
     * every start); sizes catch truncated and missing files.
     */
    Scan scan(String id, int fragments, long archiveSize) {
        Path dir = published(id);
        long[] sizes = new long[fragments];
        if (!Files.isRegularFile(dir.resolve("info"))) {
            return new Scan(sizes, Optional.of("info file missing in " + dir));
        }
        long total = 0;
        try {
            for (int i = 0; i < fragments; i++) {
                Path fragment = dir.resolve(id + "-" + (i + 1));
                if (!Files.isRegularFile(fragment)) {
                    return new Scan(sizes, Optional.of("fragment " + fragment.getFileName() + " missing"));
                }
                sizes[i] = Files.size(fragment);
                total += sizes[i];
            }
            if (Files.exists(dir.resolve(id + "-" + (fragments + 1)))) {
                return new Scan(sizes, Optional.of("more than " + fragments + " fragment files in " + dir));
            }
        } catch (IOException e) {
            return new Scan(sizes, Optional.of("cannot read " + dir + ": " + e.getMessage()));
        }
        if (total != archiveSize) {
            return new Scan(sizes, Optional.of("fragments hold " + total + " bytes (expected: " + archiveSize + ")"));
        }
        return new Scan(sizes, Optional.empty());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
