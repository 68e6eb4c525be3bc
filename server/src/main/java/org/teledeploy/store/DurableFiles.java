package org.teledeploy.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What every atomic file write of the server (TLS files, package trees) needs after its rename: the directory
 * entry made durable too, so that a power cut cannot undo a rename that was acknowledged.
 */
public final class DurableFiles {

    private DurableFiles() {}

    /** Makes renames and creations in {@code dir} durable where the platform allows opening a directory (Linux does). */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported on every platform; the files themselves are already forced.
        }
    }
}
