package org.teledeploy.packages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports packages from an OCS download directory ({@code <dir>/<ID>/info} and {@code <ID>-1 … <ID>-N}), so an
 * OCS admin moves their packages over unchanged: same IDs (agents remember them), same info file, same fragments.
 * Every package is checked before it is published: its info file parses, its ID matches its directory, every
 * fragment exists and the digest over their concatenation is the one the info file announces.
 */
final class OcsImport {

    private static final Logger log = LoggerFactory.getLogger(OcsImport.class);

    private OcsImport() {}

    /** Imports {@code dir} itself when it holds an {@code info} file, else every package directory in it. */
    static List<ImportOutcome> run(Path dir, PackageCatalog catalog) {
        if (!Files.isDirectory(dir)) {
            throw PackageException.invalid("dir: " + dir + " (expected: an OCS download directory)");
        }
        List<Path> packages = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("info"))) {
            packages.add(dir);
        } else {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    if (Files.isRegularFile(child.resolve("info"))) {
                        packages.add(child);
                    }
                }
            } catch (IOException e) {
                throw PackageException.invalid("dir: " + dir + " cannot be read (" + PackageBuild.describe(e) + ")");
            }
        }
        if (packages.isEmpty()) {
            throw PackageException.invalid("dir: " + dir + " holds no package (expected: <ID>/info and fragments,"
                    + " as in OCS's download directory)");
        }
        packages.sort(null);
        List<ImportOutcome> outcomes = new ArrayList<>();
        for (Path p : packages) {
            String id = p.getFileName().toString();
            try {
                outcomes.add(ImportOutcome.imported(id, importOne(p, id, catalog)));
            } catch (PackageException e) {
                log.warn("Package {} not imported: {}", id, e.getMessage());
                outcomes.add(ImportOutcome.failed(id, e));
            }
        }
        return outcomes;
    }

    private static PackageRecord importOne(Path dir, String id, PackageCatalog catalog) {
        byte[] infoBytes;
        InfoFile info;
        try {
            infoBytes = Files.readAllBytes(dir.resolve("info"));
            info = InfoFile.parse(infoBytes);
        } catch (IOException e) {
            throw PackageException.invalid("info: cannot be read (" + PackageBuild.describe(e) + ")");
        } catch (IllegalArgumentException e) {
            throw PackageException.invalid(e.getMessage());
        }
        if (!info.id().equals(id)) {
            throw PackageException.invalid("ID: " + info.id() + " in " + dir + " (expected: the directory name " + id
                    + "; agents would report ERR_BAD_ID)");
        }
        if (catalog.writer().submit(c -> PackageRows.exists(c, id)).join()) {
            throw new PackageException(PackageException.Kind.CONFLICT, "package " + id + " exists already (IDs are"
                    + " never reused)");
        }
        PackageSpec spec;
        try {
            spec = new PackageSpec("OCS package " + id, "imported from " + dir, guessOs(dir, id, info),
                    info.protocol(), info.priority(), info.action(), info.actionParameter(), info.notification(),
                    PostCommand.NONE, info.fragments() > 0 ? Fragmentation.byCount(info.fragments())
                    : Fragmentation.DEFAULT, info.digestAlgorithm());
        } catch (IllegalArgumentException e) {
            throw PackageException.invalid(e.getMessage());
        }
        Path stage = null;
        boolean published = false;
        try {
            stage = catalog.disk().newStaging(id);
            String[] fragmentDigests = new String[info.fragments()];
            long[] sizes = copyFragments(dir, id, info, stage, fragmentDigests);
            long total = 0;
            for (long s : sizes) {
                total += s;
            }
            long now = catalog.clock().millis();
            PackageRecord record = new PackageRecord(id, spec, info.digest(), total, info.fragments(),
                    PackageRecord.IMPORTED, now, now, Optional.empty());
            PackageDirectory.writeFile(stage.resolve("info"), infoBytes);
            catalog.disk().publish(stage, id);
            published = true;
            catalog.writer().submit(c -> {
                PackageRows.insert(c, record);
                PackageRows.insertFragmentDigests(c, id, fragmentDigests);
                PackageRows.reserveId(c, id);
                return null;
            }).join();
            catalog.register(record, sizes, fragmentDigests, infoBytes);
            log.info("Package {} imported from {}: {} bytes in {} fragments", id, dir, total, sizes.length);
            return record;
        } catch (IOException e) {
            throw new PackageException(PackageException.Kind.FAILED, "cannot import " + id + ": "
                    + PackageBuild.describe(e) + PackageBuild.writing(e, catalog.disk().root()), e);
        } catch (CompletionException e) {
            throw new PackageException(PackageException.Kind.FAILED, "cannot import " + id + ": "
                    + e.getCause().getMessage(), e.getCause());
        } finally {
            cleanUp(catalog, stage, published, id);
        }
    }

    private static void cleanUp(PackageCatalog catalog, Path stage, boolean published, String id) {
        try {
            if (stage != null && !published) {
                PackageDirectory.deleteTree(stage);
            }
            if (published && catalog.find(id).isEmpty()) {
                catalog.disk().remove(id);
            }
        } catch (IOException e) {
            log.warn("Cannot clean up after importing {}: {} (cleaned at next start)", id, e.getMessage());
        }
    }

    /**
     * Copies the fragments into {@code stage}, checking their digest as they stream through and recording each
     * fragment's SHA-256 into {@code fragmentDigests}.
     */
    private static long[] copyFragments(Path dir, String id, InfoFile info, Path stage, String[] fragmentDigests)
            throws IOException {
        MessageDigest digest = info.digestAlgorithm().newDigest();
        long[] sizes = new long[info.fragments()];
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 1; i <= info.fragments(); i++) {
            Path source = dir.resolve(id + "-" + i);
            if (!Files.isRegularFile(source)) {
                throw PackageException.invalid("fragment " + source.getFileName() + ": missing (expected: "
                        + info.fragments() + " fragments, FRAGS of the info file)");
            }
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(stage.resolve(id + "-" + i), StandardOpenOption.CREATE_NEW,
                         StandardOpenOption.WRITE)) {
                sizes[i - 1] = in.size();
                if (sizes[i - 1] == 0) {
                    throw PackageException.invalid("fragment " + source.getFileName() + ": empty (expected: bytes)");
                }
                MessageDigest each = FragmentVerifier.newDigest();
                PackageDirectory.copy(in, out, sizes[i - 1], buffer, digest, each);
                out.force(true);
                fragmentDigests[i - 1] = HexFormat.of().formatHex(each.digest());
            }
        }
        if (info.fragments() > 0) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(info.digest())) {
                throw PackageException.invalid("DIGEST: " + info.digest() + " (expected: " + actual + ", the "
                        + info.digestAlgorithm() + " of the fragments: a fragment is corrupt or missing)");
            }
        }
        return sizes;
    }

    /** OCS keeps the OS in its database, not in the download directory: a zip payload means Windows. */
    private static TargetOs guessOs(Path dir, String id, InfoFile info) {
        if (info.fragments() == 0) {
            return TargetOs.LINUX;
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(dir.resolve(id + "-1"))) {
            int n = in.readNBytes(head, 0, 4);
            return ArchiveFormat.sniff(head, n).orElse(ArchiveFormat.TAR_GZ) == ArchiveFormat.ZIP
                    ? TargetOs.WINDOWS : TargetOs.LINUX;
        } catch (IOException e) {
            return TargetOs.LINUX;
        }
    }
}
