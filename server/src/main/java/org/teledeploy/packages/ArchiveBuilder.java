package org.teledeploy.packages;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds a package payload from a directory, streaming every file (a multi-GB tree is never held in memory): a
 * tar.gz for Unix agents (file modes kept, so scripts stay executable; symbolic links stored as links) or a zip
 * for Windows agents (links are refused: zip cannot hold them portably). Entries are sorted so that the same tree
 * gives the same listing.
 */
final class ArchiveBuilder {

    private ArchiveBuilder() {}

    /**
     * Writes the archive of {@code dir}'s content (not the directory itself) to {@code target}.
     *
     * @throws PackageException INVALID when the directory is missing, empty, unreadable or holds what the format
     *     cannot carry
     */
    static void build(Path dir, ArchiveFormat format, Path target) throws IOException {
        List<Path> entries = checkSource(dir);
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
             ArchiveOutputStream<? extends ArchiveEntry> out = open(format, file)) {
            for (Path path : entries) {
                String name = dir.relativize(path).toString().replace('\\', '/');
                if (format == ArchiveFormat.ZIP) {
                    addZip((ZipArchiveOutputStream) out, path, name);
                } else {
                    addTar((TarArchiveOutputStream) out, path, name);
                }
            }
            out.finish();
        }
    }

    /**
     * Checks that {@code dir} exists, can be listed and holds at least one file.
     *
     * @return its entries, sorted
     */
    static List<Path> checkSource(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw PackageException.invalid("dir: " + dir + " (expected: an existing directory)");
        }
        List<Path> entries;
        try {
            entries = list(dir);
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
        if (entries.stream().noneMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            throw PackageException.invalid("dir: " + dir + " has no files (expected: the files to deploy)");
        }
        return entries;
    }

    private static ArchiveOutputStream<? extends ArchiveEntry> open(ArchiveFormat format, OutputStream file)
            throws IOException {
        if (format == ArchiveFormat.ZIP) {
            ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file);
            zip.setUseZip64(Zip64Mode.AsNeeded);
            return zip;
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir)).sorted().forEach(entries::add);
        } catch (java.io.UncheckedIOException e) {
            throw unreadable(dir, e.getCause());
        } catch (AccessDeniedException e) {
            throw unreadable(dir, e);
        }
        return entries;
    }

    private static void addTar(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        // Entries are made by hand, not from the File: that constructor records creation and access times as PAX
        // headers (LIBARCHIVE.creationtime), which GNU tar warns about on every extraction.
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path)) {
            entry = new TarArchiveEntry(name + "/");
        } else {
            entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(path));
        }
        entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS));
        entry.setMode(mode(path, entry.getMode()));
        entry.setUserName("root");
        entry.setGroupName("root");
        entry.setIds(0, 0);
        tar.putArchiveEntry(entry);
        if (entry.isFile()) {
            copy(path, tar);
        }
        tar.closeArchiveEntry();
    }

    private static void addZip(ZipArchiveOutputStream zip, Path path, String name) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw PackageException.invalid("dir: " + path + " is a symbolic link (expected: regular files and"
                    + " directories only in a zip for Windows)");
        }
        boolean directory = Files.isDirectory(path);
        ZipArchiveEntry entry = new ZipArchiveEntry(path.toFile(), directory ? name + "/" : name);
        entry.setUnixMode(mode(path, directory ? 040755 : 0100644));
        zip.putArchiveEntry(entry);
        if (!directory) {
            copy(path, zip);
        }
        zip.closeArchiveEntry();
    }

    private static void copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        } catch (AccessDeniedException e) {
            throw unreadable(file, e);
        }
    }

    /** The POSIX mode bits of {@code path} with the type bits of {@code fallback}, or the fallback. */
    private static int mode(Path path, int fallback) throws IOException {
        if (Files.isSymbolicLink(path)
                || !path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return fallback;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 1 << (8 - p.ordinal());
        }
        return (fallback & ~0777) | bits;
    }

    private static PackageException unreadable(Path path, Throwable cause) {
        return new PackageException(PackageException.Kind.INVALID, "dir: " + path + " cannot be read ("
                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")", cause);
    }
}
