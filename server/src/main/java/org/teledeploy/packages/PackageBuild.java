package org.teledeploy.packages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One package build, on the package executor: checks the source (an archive the target agents can extract, or
 * a directory to archive), spends an ID, cuts and hashes the archive into a staging directory, writes the info
 * file, publishes the directory with one rename, then records the row. Any failure removes what it staged.
 */
final class PackageBuild {

    private static final Logger log = LoggerFactory.getLogger(PackageBuild.class);

    private final PackageSpec spec;
    private final PackageSource source;

    PackageBuild(PackageSpec spec, PackageSource source) {
        this.spec = spec;
        this.source = source;
    }

    PackageRecord run(PackageCatalog catalog) {
        if (source instanceof PackageSource.Archive a) {
            checkArchive(a.file(), spec.os());
            checkCut(a.file());
        } else if (source instanceof PackageSource.Directory d) {
            ArchiveBuilder.checkSource(d.dir());
        }
        long now = catalog.clock().millis();
        String id = catalog.writer().submit(c -> PackageRows.allocateId(c, now)).join();
        Path stage = null;
        boolean published = false;
        try {
            stage = catalog.disk().newStaging(id);
            PackageDirectory.Cut cut = cut(id, stage);
            PackageRecord record = new PackageRecord(id, spec, cut.digest(), cut.archiveSize(),
                    cut.fragmentSizes().length, PackageRecord.BUILT, now, now, Optional.empty());
            byte[] info = record.infoFile().toBytes();
            PackageDirectory.writeFile(stage.resolve("info"), info);
            catalog.disk().publish(stage, id);
            published = true;
            catalog.writer().submit(c -> {
                PackageRows.insert(c, record);
                PackageRows.insertFragmentDigests(c, id, cut.fragmentDigests());
                return null;
            }).join();
            catalog.register(record, cut.fragmentSizes(), cut.fragmentDigests(), info);
            log.info("Package {} ({}) built: {} bytes in {} fragments, {} {}", id, spec.name(), cut.archiveSize(),
                    cut.fragmentSizes().length, spec.digest(), cut.digest().isEmpty() ? "-" : cut.digest());
            return record;
        } catch (IOException e) {
            throw new PackageException(PackageException.Kind.FAILED, "cannot build package " + id + ": "
                    + describe(e) + writing(e, catalog.disk().root()), e);
        } finally {
            if (stage != null && !published) {
                PackageCatalog.io(deleteQuietly(stage));
            }
            if (published && catalog.find(id).isEmpty()) {
                PackageCatalog.io(() -> catalog.disk().remove(id));
            }
        }
    }

    private PackageDirectory.Cut cut(String id, Path stage) throws IOException {
        if (source instanceof PackageSource.Archive a) {
            return PackageDirectory.cut(a.file(), id, spec.fragmentation(), spec.digest(), stage);
        }
        if (source instanceof PackageSource.Directory d) {
            Path archive = stage.resolve(".build.archive");
            ArchiveBuilder.build(d.dir(), spec.os().archiveFormat(), archive);
            try {
                return PackageDirectory.cut(archive, id, spec.fragmentation(), spec.digest(), stage);
            } finally {
                Files.deleteIfExists(archive);
            }
        }
        return new PackageDirectory.Cut("", new long[0], 0, new String[0]);
    }

    private static PackageCatalog.IoAction deleteQuietly(Path stage) {
        return () -> {
            try {
                PackageDirectory.deleteTree(stage);
            } catch (IOException e) {
                log.warn("Cannot remove {}: {} (removed at next start)", stage, e.getMessage());
            }
        };
    }

    /**
     * Checks that {@code file} is an archive the agents of {@code os} extract: a zip for Windows; a tar.gz (or a
     * zip of several files) for Unix agents, which try {@code tar -xzf} first: a single-file zip passes through
     * it without error and extracts nothing (shared/ocs-protocol.md §4.2).
     */
    static void checkArchive(Path file, TargetOs os) {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (NoSuchFileException e) {
            throw PackageException.invalid("file: " + file + " (expected: an existing archive file)");
        } catch (AccessDeniedException e) {
            throw PackageException.invalid("file: " + file + " cannot be read (permission denied)");
        } catch (IOException e) {
            throw PackageException.invalid("file: " + file + " cannot be read (" + describe(e) + ")");
        }
        if (n == 0) {
            throw PackageException.invalid("file: " + file + " is empty (expected: a zip or tar.gz archive)");
        }
        ArchiveFormat format = ArchiveFormat.sniff(head, n).orElseThrow(() -> PackageException.invalid("file: "
                + file + " is not an archive (expected: a zip for Windows, a tar.gz for Linux/Mac; or give a"
                + " directory)"));
        if (os == TargetOs.WINDOWS && format != ArchiveFormat.ZIP) {
            throw PackageException.invalid("file: " + file + " is a gzip file (expected: a zip: the Windows agent"
                    + " extracts zip archives only)");
        }
        if (format == ArchiveFormat.TAR_GZ) {
            checkTar(file);
        } else if (os.isUnix()) {
            checkZipForUnix(file);
        }
    }

    private static void checkTar(Path file) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(Files.newInputStream(file)))) {
            if (tar.getNextEntry() == null) {
                throw PackageException.invalid("file: " + file + " is gzip but holds no tar entry (expected: a tar.gz"
                        + " of the files to deploy)");
            }
        } catch (IOException e) {
            throw PackageException.invalid("file: " + file + " is gzip but not a tar archive (" + describe(e)
                    + "; expected: a tar.gz)");
        }
    }

    private static void checkZipForUnix(Path file) {
        int entries = 0;
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            for (var e = zip.getEntries(); e.hasMoreElements() && entries < 2; ) {
                ZipArchiveEntry entry = e.nextElement();
                if (!entry.isDirectory()) {
                    entries++;
                }
            }
        } catch (IOException e) {
            throw PackageException.invalid("file: " + file + " is not a readable zip (" + describe(e) + ")");
        }
        if (entries < 2) {
            throw PackageException.invalid("file: " + file + " is a zip of " + entries + " file (expected: a tar.gz"
                    + " for Linux/Mac agents: they run tar -xzf first, which accepts a single-file zip and extracts"
                    + " nothing)");
        }
    }

    /** Refuses a fragmentation the archive cannot take before an ID is spent on it. */
    private void checkCut(Path archive) {
        try {
            spec.fragmentation().split(Files.size(archive));
        } catch (IllegalArgumentException e) {
            throw PackageException.invalid(e.getMessage());
        } catch (IOException e) {
            throw PackageException.invalid("file: " + archive + " cannot be read (" + describe(e) + ")");
        }
    }

    /**
     * Where a write failed when the exception does not say ({@code No space left on device} names no file): the
     * packages directory, whose file system is the one to look at.
     */
    static String writing(IOException e, Path packagesDir) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
            return "";
        }
        return " (writing to " + packagesDir + ")";
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof NoSuchFileException) {
            return "no such file: " + message;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + message;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
