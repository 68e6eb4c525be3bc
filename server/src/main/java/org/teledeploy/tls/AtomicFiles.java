package org.teledeploy.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.teledeploy.store.DurableFiles;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the TLS files so that a crash or a power cut never leaves a half-written key or certificate behind:
 * each file is written to a temporary file in the same directory, flushed to disk, given its final permissions
 * and then renamed over the target in one atomic step. Private keys are never readable by others, not even
 * for the instant between creating and writing the temporary file.
 */
final class AtomicFiles {

    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    static boolean isPosix(Path path) {
        FileSystem fs = path.getFileSystem();
        return fs.supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} (mode 0700 on POSIX) if it does not exist; an existing directory is left as it is. */
    static void ensureDirectory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (isPosix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
                Files.setPosixFilePermissions(dir, PRIVATE_DIR); // the umask may have removed bits
            } else {
                Files.createDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tls.dir: " + dir + " (expected: a directory that can be created)", e);
        }
    }

    /** Atomically replaces {@code target} with {@code bytes}, with {@code permissions} on POSIX file systems. */
    static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            boolean posix = isPosix(dir);
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE)}
                    : new FileAttribute<?>[0];
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attributes);
            if (posix) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "tls.dir: " + target + " (expected: a file that can be written atomically)", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Best effort: a leftover ".name.*.tmp" file is harmless.
        }
    }
}
