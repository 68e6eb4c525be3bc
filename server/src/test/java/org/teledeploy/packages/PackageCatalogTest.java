package org.teledeploy.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.store.Database;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;
import org.teledeploy.testing.MutableClock;

/**
 * Building, publishing, importing, editing and deleting packages against a real store and a real tree on disk:
 * fragments concatenate back to the archive, digests are the agents' digests, nothing half-built is ever
 * visible, and leftovers of interrupted operations are cleaned at start.
 */
class PackageCatalogTest {

    @TempDir
    Path state;
    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private Database database;
    private StoreWriter writer;
    private StoreReader reader;
    private ExecutorService executor;
    private PackageCatalog catalog;

    @BeforeEach
    void open() {
        database = Database.open(state, false);
        writer = StoreWriter.start(database, 1000, 100);
        reader = StoreReader.start(database, 1);
        executor = Executors.newFixedThreadPool(2);
        catalog = load();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        reader.close();
        writer.close();
    }

    private PackageCatalog load() {
        return PackageCatalog.load(state.resolve("packages"), writer, reader, clock, executor, executor);
    }

    @Test
    void buildFromATarGzCutsItIntoFragmentsThatConcatenateBackWithItsMd5() throws Exception {
        Path archive = tarGz(Map.of("hello.txt", "hello world\n", "bin/run.sh", "#!/bin/sh\necho hi\n"));
        PackageRecord r = build(PackageSpec.of("hello", TargetOs.LINUX, PackageAction.STORE, "/tmp/hello")
                .withFragmentation(Fragmentation.byCount(3)), PackageSource.archive(archive));
        byte[] bytes = Files.readAllBytes(archive);
        assertEquals("1772359200", r.id(), "the Unix time in seconds, as OCS");
        assertEquals(3, r.fragments());
        assertEquals(bytes.length, r.archiveSize());
        assertEquals(hex("MD5", bytes), r.digest());
        assertArrayEquals(bytes, concatenate(r.id(), 3));
        PublishedPackage p = catalog.find(r.id()).orElseThrow();
        assertEquals(3, p.fragments());
        assertEquals(bytes.length / 3, p.fragmentSize(1));
        assertFalse(p.httpsOnly());
        byte[] info = catalog.info(r.id()).join().bytes();
        assertArrayEquals(Files.readAllBytes(state.resolve("packages").resolve(r.id()).resolve("info")), info);
        assertEquals(r.infoFile(), InfoFile.parse(info));
        assertTrue(new String(info, StandardCharsets.UTF_8).contains(" PATH=\"/tmp/hello\" "));
    }

    @Test
    void sha1OnRequestAndFixedFragmentSizes() throws Exception {
        Path archive = work.resolve("a.tar.gz");
        byte[] bytes = tarGzBytes(Map.of("big.bin", random(300_000)));
        Files.write(archive, bytes);
        PackageRecord r = build(PackageSpec.of("big", TargetOs.MAC, PackageAction.EXECUTE, "./big.bin")
                .withDigest(DigestAlgorithm.SHA1).withFragmentation(Fragmentation.bySize(100_000))
                .withProtocol(FragmentProtocol.HTTPS), PackageSource.archive(archive));
        assertEquals(hex("SHA-1", bytes), r.digest());
        assertEquals((bytes.length + 99_999) / 100_000, r.fragments());
        assertEquals(100_000, catalog.find(r.id()).orElseThrow().fragmentSize(1));
        assertTrue(catalog.find(r.id()).orElseThrow().httpsOnly());
        assertArrayEquals(bytes, concatenate(r.id(), r.fragments()));
    }

    @Test
    void eachFragmentsSha256IsRecordedAtBuildAndImportAndLoadedAtStart() throws Exception {
        Path archive = work.resolve("d.tar.gz");
        Files.write(archive, tarGzBytes(Map.of("big.bin", random(250_000))));
        PackageRecord built = build(PackageSpec.of("d", TargetOs.LINUX, PackageAction.STORE, "/tmp/d")
                .withFragmentation(Fragmentation.bySize(100_000)), PackageSource.archive(archive));
        Path ocs = work.resolve("download");
        byte[] ocsArchive = tarGzBytes(Map.of("app", "application"));
        writeOcsPackage(ocs, "1700000001", ocsArchive, 2, hex("MD5", ocsArchive));
        assertTrue(catalog.importOcs(ocs).join().get(0).imported().isPresent());
        for (int round = 0; round < 2; round++) {
            for (String id : List.of(built.id(), "1700000001")) {
                PublishedPackage p = catalog.find(id).orElseThrow();
                assertEquals(p.fragments(), p.fragmentDigests().length, id);
                for (int n = 1; n <= p.fragments(); n++) {
                    assertEquals(hex("SHA-256", Files.readAllBytes(p.fragmentPath(n))), p.fragmentDigest(n),
                            id + "-" + n + (round == 0 ? " as built" : " after a restart"));
                }
            }
            catalog = load();
        }
    }

    @Test
    void packagesPublishedBeforeFragmentDigestsGetThemInTheBackgroundWhenTheirArchiveDigestHolds() throws Exception {
        Path archive = work.resolve("old.tar.gz");
        Files.write(archive, tarGzBytes(Map.of("big.bin", random(250_000))));
        PackageSpec spec = PackageSpec.of("old", TargetOs.LINUX, PackageAction.STORE, "/tmp/old")
                .withFragmentation(Fragmentation.bySize(100_000));
        PackageRecord intact = build(spec, PackageSource.archive(archive));
        PackageRecord damaged = build(spec, PackageSource.archive(archive));
        Path flipped = catalog.find(damaged.id()).orElseThrow().fragmentPath(3);
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[0] ^= 0x01;
        Files.write(flipped, bytes);
        writer.submit(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM fragment_digests"); // as a database of schema version 5
            }
        }).join();

        catalog = load();
        catalog.backfill().join();
        PublishedPackage p = catalog.find(intact.id()).orElseThrow();
        assertEquals(3, p.fragmentDigests().length, "recorded: its fragments add up to its MD5");
        for (int n = 1; n <= 3; n++) {
            assertEquals(hex("SHA-256", Files.readAllBytes(p.fragmentPath(n))), p.fragmentDigest(n));
        }
        assertEquals(0, catalog.find(damaged.id()).orElseThrow().fragmentDigests().length,
                "not recorded: which fragment is corrupt is unknown, it stays on size checks");
        catalog = load();
        catalog.backfill().join();
        assertEquals(3, catalog.find(intact.id()).orElseThrow().fragmentDigests().length, "stored in the database");
    }

    @Test
    void aCorruptFragmentIsListedUntilRestoredAndForgottenWithItsPackage() throws Exception {
        Path archive = work.resolve("c.tar.gz");
        Files.write(archive, tarGzBytes(Map.of("big.bin", random(250_000))));
        PackageRecord r = build(PackageSpec.of("c", TargetOs.LINUX, PackageAction.STORE, "/tmp/c")
                .withFragmentation(Fragmentation.bySize(100_000)), PackageSource.archive(archive));
        PublishedPackage p = catalog.find(r.id()).orElseThrow();
        byte[] good = Files.readAllBytes(p.fragmentPath(2));
        byte[] bad = good.clone();
        bad[7] ^= (byte) 0x80;
        Files.write(p.fragmentPath(2), bad);
        String reason = catalog.verifyFragment(p, 2).join().orElseThrow();
        assertEquals("fragment " + r.id() + "-2 on the server is corrupt (its SHA-256 differs from the one recorded"
                + " at build)", reason);
        assertEquals(Optional.empty(), catalog.verifyFragment(p, 1).join());
        assertEquals(List.of(2), catalog.corruptFragments(r.id()));

        Files.write(p.fragmentPath(2), good);
        Files.setLastModifiedTime(p.fragmentPath(2), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(p.fragmentPath(2)).toMillis() + 5000));
        assertEquals(Optional.empty(), catalog.verifyFragment(p, 2).join(), "restored");
        assertEquals(List.of(), catalog.corruptFragments(r.id()));

        Files.write(p.fragmentPath(2), bad);
        assertTrue(catalog.verifyFragment(p, 2).join().isPresent());
        catalog.delete(r.id()).join();
        assertEquals(List.of(), catalog.corruptFragments(r.id()));
    }

    @Test
    void aDirectoryBecomesATarGzForLinuxKeepingExecutableBits() throws Exception {
        Path dir = work.resolve("tree");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("install.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(dir.resolve("install.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("sub").resolve("data.txt"), "data");
        PackageRecord r = build(PackageSpec.of("tree", TargetOs.LINUX, PackageAction.EXECUTE, "./install.sh")
                .withFragmentation(Fragmentation.byCount(1)), PackageSource.directory(dir));
        Map<String, Integer> modes = new TreeMap<>();
        Map<String, String> contents = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new java.io.ByteArrayInputStream(concatenate(r.id(), 1))))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                modes.put(e.getName(), e.getMode() & 0777);
                if (e.isFile()) {
                    contents.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(Map.of("install.sh", "#!/bin/sh\nexit 0\n", "sub/data.txt", "data"), contents);
        assertEquals(0755, modes.get("install.sh"));
        assertTrue(modes.containsKey("sub/") || modes.containsKey("sub"), modes.toString());
        assertTrue(Files.list(state.resolve("packages").resolve(r.id())).noneMatch(p -> p.getFileName().toString()
                .startsWith(".")), "no build leftovers inside the published package");

        // What the Unix agent runs: GNU tar, which must extract it without a single warning.
        Path archive = Files.write(work.resolve("build.tar.gz"), concatenate(r.id(), 1));
        Path out = Files.createDirectories(work.resolve("extracted"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), output);
        assertEquals("", output, "tar prints nothing: no unknown PAX header");
        assertEquals("data", Files.readString(out.resolve("sub").resolve("data.txt")));
        assertTrue(Files.isExecutable(out.resolve("install.sh")));
    }

    @Test
    void aDirectoryBecomesAZipForWindows() throws Exception {
        Path dir = work.resolve("win");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("setup.cmd"), "exit 0");
        PackageRecord r = build(PackageSpec.of("win", TargetOs.WINDOWS, PackageAction.LAUNCH, "setup.cmd"),
                PackageSource.directory(dir));
        byte[] archive = concatenate(r.id(), r.fragments());
        assertEquals('P', archive[0]);
        List<String> names = new ArrayList<>();
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new java.io.ByteArrayInputStream(archive))) {
            ZipArchiveEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName() + "=" + new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("setup.cmd=exit 0"), names);
    }

    @Test
    void commandOnlyPackageHasNoFragments() {
        PackageRecord r = build(PackageSpec.of("cmd", TargetOs.LINUX, PackageAction.EXECUTE, "touch /tmp/x"),
                PackageSource.none());
        assertEquals(0, r.fragments());
        assertEquals("", r.digest());
        assertEquals(0, catalog.find(r.id()).orElseThrow().fragments());
        assertTrue(new String(catalog.info(r.id()).join().bytes(), StandardCharsets.UTF_8)
                .contains(" DIGEST=\"\" PROTO=\"HTTP\" FRAGS=\"0\" "));
    }

    @Test
    void idsNeverRepeatEvenWithinOneSecondOrWithTheClockSetBack() {
        PackageSpec spec = PackageSpec.of("cmd", TargetOs.LINUX, PackageAction.EXECUTE, "true");
        String first = build(spec, PackageSource.none()).id();
        String second = build(spec, PackageSource.none()).id();
        clock.set(Instant.parse("2020-01-01T00:00:00Z"));
        String third = build(spec, PackageSource.none()).id();
        assertEquals(Long.parseLong(first) + 1, Long.parseLong(second));
        assertEquals(Long.parseLong(second) + 1, Long.parseLong(third));
    }

    @Test
    void badSourcesAreRefusedBeforeAnIdIsSpent() throws Exception {
        PackageSpec linux = PackageSpec.of("x", TargetOs.LINUX, PackageAction.STORE, "/tmp/x");
        Path missing = work.resolve("missing.tar.gz");
        assertInvalid("file: " + missing + " (expected: an existing archive file)", linux, PackageSource.archive(missing));
        Path empty = Files.createFile(work.resolve("empty.tar.gz"));
        assertInvalid("file: " + empty + " is empty (expected: a zip or tar.gz archive)", linux, PackageSource.archive(empty));
        Path text = Files.writeString(work.resolve("notes.txt"), "not an archive");
        assertInvalid("file: " + text + " is not an archive (expected: a zip for Windows, a tar.gz for Linux/Mac; or"
                + " give a directory)", linux, PackageSource.archive(text));
        Path gz = tarGz(Map.of("a", "b"));
        assertInvalid("file: " + gz + " is a gzip file (expected: a zip: the Windows agent extracts zip archives only)",
                PackageSpec.of("x", TargetOs.WINDOWS, PackageAction.STORE, "C:\\x"), PackageSource.archive(gz));
        Path gzNotTar = work.resolve("plain.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzNotTar))) {
            out.write("just text, no tar header".getBytes(StandardCharsets.UTF_8));
        }
        String notTar = invalid(linux, PackageSource.archive(gzNotTar));
        assertTrue(notTar.startsWith("file: " + gzNotTar + " is gzip but "), notTar);
        Path singleZip = work.resolve("one.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(singleZip))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("only.sh"));
            zip.write(1);
        }
        assertInvalid("file: " + singleZip + " is a zip of 1 file (expected: a tar.gz for Linux/Mac agents: they run"
                + " tar -xzf first, which accepts a single-file zip and extracts nothing)", linux,
                PackageSource.archive(singleZip));
        Path noDir = work.resolve("nodir");
        assertInvalid("dir: " + noDir + " (expected: an existing directory)", linux, PackageSource.directory(noDir));
        Path emptyDir = Files.createDirectories(work.resolve("emptydir").resolve("sub"));
        assertInvalid("dir: " + emptyDir.getParent() + " has no files (expected: the files to deploy)", linux,
                PackageSource.directory(emptyDir.getParent()));
        Path tiny = tarGz(Map.of("a", "b"));
        assertInvalid("fragments: 100000 (expected: at most the archive size, " + Files.size(tiny) + " bytes)",
                linux.withFragmentation(Fragmentation.byCount(100_000)), PackageSource.archive(tiny));
        String good = build(linux, PackageSource.archive(tiny)).id();
        assertEquals("1772359200", good, "no refused build spent an ID");
        assertEquals(1, catalog.list().size());
        try (Stream<Path> staging = Files.list(state.resolve("packages").resolve(".staging"))) {
            assertEquals(0, staging.count(), "failed builds leave nothing staged");
        }
    }

    @Test
    void leftoversOfInterruptedOperationsAreCleanedAtStartAndBrokenPackagesAreNotServed() throws Exception {
        PackageRecord kept = build(PackageSpec.of("kept", TargetOs.LINUX, PackageAction.STORE, "/tmp/k")
                .withFragmentation(Fragmentation.byCount(2)), PackageSource.archive(tarGz(Map.of("k", "kept"))));
        PackageRecord truncated = build(PackageSpec.of("t", TargetOs.LINUX, PackageAction.STORE, "/tmp/t")
                .withFragmentation(Fragmentation.byCount(2)), PackageSource.archive(tarGz(Map.of("t", "trunc"))));
        Path packages = state.resolve("packages");
        Files.createDirectories(packages.resolve(".staging").resolve("1799999999.half"));
        Files.writeString(packages.resolve(".staging").resolve("1799999999.half").resolve("1799999999-1"), "half");
        Files.createDirectories(packages.resolve("1799999998"));
        Files.writeString(packages.resolve("1799999998").resolve("info"), "<DOWNLOAD/>");
        Files.write(packages.resolve(truncated.id()).resolve(truncated.id() + "-2"), new byte[1]);

        catalog = load();
        assertFalse(Files.exists(packages.resolve(".staging").resolve("1799999999.half")), "staging cleaned");
        assertFalse(Files.exists(packages.resolve("1799999998")), "a directory no row claims is removed");
        assertTrue(catalog.find(kept.id()).isPresent());
        assertTrue(catalog.find(truncated.id()).isEmpty(), "a broken package is never served");
        assertEquals(java.util.Set.of(truncated.id()), catalog.brokenIds());
        assertTrue(catalog.get(truncated.id()).orElseThrow().brokenReason().orElseThrow()
                .startsWith("fragments hold "), catalog.get(truncated.id()).toString());
        catalog = load();
        assertEquals(java.util.Set.of(truncated.id()), catalog.brokenIds(), "broken stays broken across restarts");
    }

    @Test
    void editRewritesTheInfoFileAndKeepsContentFieldsFixed() {
        PackageRecord r = build(PackageSpec.of("e", TargetOs.WINDOWS, PackageAction.EXECUTE, "setup.exe /S"),
                PackageSource.none());
        String oldEtag = catalog.info(r.id()).join().etag();
        clock.advance(java.time.Duration.ofMinutes(1));
        PackageRecord edited = catalog.edit(r.id(), s -> s.withPriority(1).withNotification(
                new Notification("Installing", OptionalInt.of(30), true, true, ""))).join();
        assertEquals(1, edited.spec().priority());
        InfoDocument info = catalog.info(r.id()).join();
        assertNotEquals(oldEtag, info.etag());
        assertEquals(edited.infoFile(), InfoFile.parse(info.bytes()));
        catalog = load();
        assertEquals(edited.spec(), catalog.get(r.id()).orElseThrow().spec(), "the edit survives a restart");
        PackageException e = assertThrows(PackageException.class, () -> unwrap(() -> catalog.edit(r.id(),
                s -> PackageSpec.of("e", TargetOs.WINDOWS, PackageAction.EXECUTE, "other.exe")).join()));
        assertEquals(PackageException.Kind.INVALID, e.kind());
        assertEquals("priority: 12 (expected: 0 to 10)", assertThrows(PackageException.class,
                () -> unwrap(() -> catalog.edit(r.id(), s -> s.withPriority(12)).join())).getMessage());
        assertEquals(PackageException.Kind.NOT_FOUND, assertThrows(PackageException.class,
                () -> unwrap(() -> catalog.edit("42", s -> s).join())).kind());
    }

    @Test
    void deleteRemovesFilesAndTheIdIsNeverReused() throws Exception {
        PackageRecord r = build(PackageSpec.of("d", TargetOs.LINUX, PackageAction.STORE, "/tmp/d"),
                PackageSource.archive(tarGz(Map.of("d", "d"))));
        catalog.delete(r.id()).join();
        assertTrue(catalog.find(r.id()).isEmpty());
        assertTrue(catalog.get(r.id()).isEmpty());
        assertFalse(Files.exists(state.resolve("packages").resolve(r.id())));
        assertThrows(CompletionException.class, () -> catalog.info(r.id()).join());
        clock.set(Instant.parse("2026-03-01T10:00:00Z"));
        assertNotEquals(r.id(), build(PackageSpec.of("d2", TargetOs.LINUX, PackageAction.EXECUTE, "true"),
                PackageSource.none()).id());
        catalog = load();
        assertTrue(catalog.get(r.id()).isEmpty(), "deleted stays deleted");
    }

    @Test
    void importsAnOcsDownloadDirectoryCheckingEveryDigest() throws Exception {
        Path ocs = work.resolve("download");
        byte[] archive = tarGzBytes(Map.of("app", "application"));
        writeOcsPackage(ocs, "1700000001", archive, 2, hex("MD5", archive));
        writeOcsPackage(ocs, "1700000002", archive, 1, "0".repeat(32));
        writeOcsPackage(ocs, "1700000003", archive, 3, hex("MD5", archive));
        Files.delete(ocs.resolve("1700000003").resolve("1700000003-3"));
        List<ImportOutcome> outcomes = catalog.importOcs(ocs).join();
        assertEquals(3, outcomes.size());
        assertTrue(outcomes.get(0).imported().isPresent(), outcomes.toString());
        assertEquals("DIGEST: " + "0".repeat(32) + " (expected: " + hex("MD5", archive) + ", the MD5 of the fragments:"
                + " a fragment is corrupt or missing)", outcomes.get(1).error().orElseThrow());
        assertEquals("fragment 1700000003-3: missing (expected: 3 fragments, FRAGS of the info file)",
                outcomes.get(2).error().orElseThrow());
        PackageRecord imported = catalog.get("1700000001").orElseThrow();
        assertEquals(PackageRecord.IMPORTED, imported.origin());
        assertArrayEquals(Files.readAllBytes(ocs.resolve("1700000001").resolve("info")),
                catalog.info("1700000001").join().bytes(), "the OCS info file is served unchanged");
        assertArrayEquals(archive, concatenate("1700000001", 2));
        assertTrue(catalog.find("1700000002").isEmpty());

        assertEquals("package 1700000001 exists already (IDs are never reused)",
                catalog.importOcs(ocs.resolve("1700000001")).join().get(0).error().orElseThrow());
        Path wrongId = work.resolve("other").resolve("1700000009");
        writeOcsPackage(wrongId.getParent(), "1700000009", archive, 1, hex("MD5", archive));
        Files.writeString(wrongId.resolve("info"), Files.readString(wrongId.resolve("info"))
                .replace("ID=\"1700000009\"", "ID=\"1700000008\""));
        assertTrue(catalog.importOcs(wrongId).join().get(0).error().orElseThrow()
                .startsWith("ID: 1700000008 in " + wrongId + " (expected: the directory name 1700000009"));
        catalog = load();
        assertTrue(catalog.find("1700000001").isPresent(), "imports survive a restart");
        try (Stream<Path> staging = Files.list(state.resolve("packages").resolve(".staging"))) {
            assertEquals(0, staging.count());
        }
    }

    // --- helpers ---

    private void writeOcsPackage(Path root, String id, byte[] archive, int fragments, String digest) throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        long[] sizes = Fragmentation.byCount(fragments).split(archive.length);
        int offset = 0;
        for (int i = 0; i < fragments; i++) {
            Files.write(dir.resolve(id + "-" + (i + 1)), java.util.Arrays.copyOfRange(archive, offset,
                    offset + (int) sizes[i]));
            offset += (int) sizes[i];
        }
        Files.writeString(dir.resolve("info"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DOWNLOAD ID=\"" + id
                + "\" PRI=\"5\" ACT=\"STORE\" DIGEST=\"" + digest + "\" PROTO=\"HTTP\" FRAGS=\"" + fragments
                + "\" DIGEST_ALGO=\"MD5\" DIGEST_ENCODE=\"Hexa\" PATH=\"/tmp/ocs\" NOTIFY_USER=\"0\" NOTIFY_TEXT=\"\" "
                + "NOTIFY_COUNTDOWN=\"\" NOTIFY_CAN_ABORT=\"0\" NOTIFY_CAN_DELAY=\"0\" NEED_DONE_ACTION=\"0\" "
                + "NEED_DONE_ACTION_TEXT=\"\" GARDEFOU=\"rien\" />\n");
    }

    private PackageRecord build(PackageSpec spec, PackageSource source) {
        return unwrap(() -> catalog.build(spec, source).join());
    }

    private void assertInvalid(String message, PackageSpec spec, PackageSource source) {
        assertEquals(message, invalid(spec, source));
    }

    private String invalid(PackageSpec spec, PackageSource source) {
        PackageException e = assertThrows(PackageException.class, () -> build(spec, source));
        assertEquals(PackageException.Kind.INVALID, e.kind(), e.getMessage());
        return e.getMessage();
    }

    private static <T> T unwrap(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private byte[] concatenate(String id, int fragments) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= fragments; i++) {
            out.write(Files.readAllBytes(state.resolve("packages").resolve(id).resolve(id + "-" + i)));
        }
        return out.toByteArray();
    }

    private Path tarGz(Map<String, String> files) throws IOException {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        Path file = Files.createTempFile(work, "p", ".tar.gz");
        Files.write(file, tarGzBytes(bytes));
        return file;
    }

    static byte[] tarGzBytes(Map<String, ?> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, ?> f : new TreeMap<>(files).entrySet()) {
                byte[] content = f.getValue() instanceof byte[] b ? b
                        : f.getValue().toString().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    @SuppressWarnings("unused")
    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
