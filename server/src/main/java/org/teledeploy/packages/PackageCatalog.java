package org.teledeploy.packages;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreUnavailableException;
import org.teledeploy.store.StoreWriter;

/**
 * The packages of this server: builds, imports, edits and deletes them on the package executor (never an event
 * loop), keeps the store and the tree on disk in step, and answers the download listeners from memory
 * ({@link PackageContent}). The store row is written after the files are published and the files are removed
 * after the row is marked deleted, so at start {@link #load} only has to remove what no row claims.
 */
public final class PackageCatalog implements PackageContent {

    private static final Logger log = LoggerFactory.getLogger(PackageCatalog.class);

    private final StoreWriter writer;
    private final PackageDirectory disk;
    private final Clock clock;
    private final ExecutorService executor;
    private final ConcurrentMap<String, PackageRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PublishedPackage> published = new ConcurrentHashMap<>();
    private final AsyncLoadingCache<String, InfoDocument> infoCache;
    /** Package ID → fragments found corrupt on disk and not restored since (not served). */
    private final ConcurrentMap<String, Set<Integer>> corrupt = new ConcurrentHashMap<>();
    private final FragmentVerifier verifier;
    private final FragmentVerifier.Listener listener;
    private CompletableFuture<Void> backfill = CompletableFuture.completedFuture(null);

    private PackageCatalog(StoreWriter writer, PackageDirectory disk, Clock clock, ExecutorService executor,
                           ExecutorService readExecutor, Executor verifyExecutor, FragmentVerifier.Listener listener) {
        this.writer = writer;
        this.disk = disk;
        this.clock = clock;
        this.executor = executor;
        this.infoCache = Caffeine.newBuilder().maximumSize(10_000).executor(readExecutor)
                .buildAsync(this::readInfo);
        this.listener = listener;
        this.verifier = new FragmentVerifier(verifyExecutor, new FragmentVerifier.Listener() {
            @Override
            public void corrupt(String packageId, int n) {
                corrupt.computeIfAbsent(packageId, k -> ConcurrentHashMap.newKeySet()).add(n);
                listener.corrupt(packageId, n);
            }

            @Override
            public void intact(String packageId, int n) {
                corrupt.computeIfPresent(packageId, (k, set) -> {
                    set.remove(n);
                    return set.isEmpty() ? null : set;
                });
                listener.intact(packageId, n);
            }
        });
    }

    /** {@link #load(Path, StoreWriter, StoreReader, Clock, ExecutorService, ExecutorService, Executor,
     * FragmentVerifier.Listener)} hashing fragments on {@code readExecutor}, without a listener. */
    public static PackageCatalog load(Path packagesDir, StoreWriter writer, StoreReader reader, Clock clock,
                                      ExecutorService executor, ExecutorService readExecutor) {
        return load(packagesDir, writer, reader, clock, executor, readExecutor, readExecutor,
                FragmentVerifier.Listener.NONE);
    }

    /**
     * Loads the catalog at start (blocking): cleans interrupted operations, removes directories no live row
     * claims, and checks every live package's files; those that do not match are marked broken and not served.
     *
     * @param executor runs builds, imports, edits and deletions
     * @param readExecutor loads info files into the cache
     * @param verifyExecutor hashes fragment files before they are first served ({@link FragmentVerifier})
     * @param listener hears of fragments found corrupt, and restored
     */
    public static PackageCatalog load(Path packagesDir, StoreWriter writer, StoreReader reader, Clock clock,
                                      ExecutorService executor, ExecutorService readExecutor, Executor verifyExecutor,
                                      FragmentVerifier.Listener listener) {
        PackageDirectory disk = new PackageDirectory(packagesDir);
        PackageCatalog catalog = new PackageCatalog(writer, disk, clock, executor, readExecutor, verifyExecutor,
                listener);
        disk.cleanLeftovers();
        List<PackageRecord> live = reader.readNow(PackageRows::live);
        Map<String, String[]> digests = reader.readNow(PackageRows::fragmentDigests);
        List<PackageRecord> unrecorded = new ArrayList<>();
        Set<String> liveIds = new HashSet<>();
        int broken = 0;
        for (PackageRecord r : live) {
            liveIds.add(r.id());
            PackageDirectory.Scan scan = disk.scan(r.id(), r.fragments(), r.archiveSize());
            PackageRecord record = r;
            if (scan.problem().isPresent() && !scan.problem().equals(r.brokenReason())) {
                log.error("Package {} ({}) is broken and will not be served: {}", r.id(), r.spec().name(),
                        scan.problem().get());
                record = r.broken(scan.problem().get());
                writer.submit(c -> {
                    PackageRows.markBroken(c, r.id(), scan.problem().get());
                    return null;
                }).join();
            }
            catalog.records.put(record.id(), record);
            if (record.brokenReason().isEmpty()) {
                String[] recorded = digests.getOrDefault(record.id(), new String[0]);
                if (recorded.length != record.fragments()) {
                    unrecorded.add(record);
                    recorded = new String[0];
                }
                catalog.published.put(record.id(), catalog.toPublished(record, scan.fragmentSizes(), recorded));
            } else {
                broken++;
            }
        }
        try {
            for (String id : disk.publishedIds()) {
                if (!liveIds.contains(id)) {
                    log.info("Removing package directory {} that no package claims (deleted, or interrupted build)", id);
                    disk.remove(id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("state.dir: cannot list " + packagesDir, e);
        }
        log.info("Packages loaded: {} ({} broken)", live.size(), broken);
        if (!unrecorded.isEmpty()) {
            log.warn("{} packages were published before fragment digests were recorded: their fragments are checked"
                    + " by size only until the digests are recorded, in the background", unrecorded.size());
            catalog.backfill = CompletableFuture.runAsync(() -> unrecorded.forEach(catalog::recordDigests), executor);
        }
        return catalog;
    }

    /**
     * Records the fragment digests of a package published before they were (schema version 5), once its fragments
     * are found to add up to the archive digest of its info file: read once, in the background, after an upgrade.
     * A package whose fragments do not is left as it was (size checks only) and logged: agents would report
     * ERR_BAD_DIGEST for it.
     */
    private void recordDigests(PackageRecord r) {
        PublishedPackage before = published.get(r.id());
        if (before == null) {
            return; // deleted meanwhile
        }
        try {
            MessageDigest whole = r.spec().digest().newDigest();
            String[] digests = new String[before.fragments()];
            for (int n = 1; n <= before.fragments(); n++) {
                digests[n - 1] = FragmentVerifier.sha256(before.fragmentPath(n), whole);
            }
            String actual = HexFormat.of().formatHex(whole.digest());
            if (!actual.equals(r.digest())) {
                log.error("Package {} ({}): its fragments' {} is {} (expected: {}, the DIGEST of its info file): a"
                        + " fragment is corrupt and agents will report ERR_BAD_DIGEST; no fragment digests recorded,"
                        + " build it again as a new package", r.id(), r.spec().name(), r.spec().digest(), actual,
                        r.digest());
                return;
            }
            writer.submit(c -> {
                PackageRows.replaceFragmentDigests(c, r.id(), digests);
                return null;
            }).join();
            PublishedPackage after = new PublishedPackage(before.id(), before.httpsOnly(), before.directory(),
                    before.fragmentSizes(), before.publishedAt(), digests);
            published.replace(r.id(), before, after);
            log.info("Package {} ({}): fragment digests recorded; its fragments are now checked before they are"
                    + " served", r.id(), r.spec().name());
        } catch (IOException | RuntimeException e) {
            log.warn("Package {}: cannot record its fragment digests ({}); checked by size only until the next start",
                    r.id(), e.toString());
        }
    }

    /** Completes once the digests of packages published before they were recorded have been recorded. */
    CompletableFuture<Void> backfill() {
        return backfill;
    }

    private PublishedPackage toPublished(PackageRecord r, long[] fragmentSizes, String[] fragmentDigests) {
        return new PublishedPackage(r.id(), r.spec().protocol() == FragmentProtocol.HTTPS, disk.published(r.id()),
                fragmentSizes, r.createdAt(), fragmentDigests);
    }

    /** Every package (not deleted), in ID order. */
    public List<PackageRecord> list() {
        List<PackageRecord> all = new ArrayList<>(records.values());
        all.sort(Comparator.comparing(PackageRecord::id));
        return all;
    }

    /** A package by ID, broken ones included. */
    public Optional<PackageRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    /** IDs of the packages whose files do not match their row. */
    public Set<String> brokenIds() {
        Set<String> ids = new HashSet<>();
        records.values().stream().filter(r -> r.brokenReason().isPresent()).forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Override
    public Optional<PublishedPackage> find(String packageId) {
        return Optional.ofNullable(published.get(packageId));
    }

    @Override
    public CompletableFuture<Optional<String>> verifyFragment(PublishedPackage pkg, int n) {
        return verifier.verify(pkg, n);
    }

    /**
     * The fragments of a package found corrupt on disk (their SHA-256 is not the one recorded at build) and not
     * restored since, in order; they are refused to agents.
     */
    public List<Integer> corruptFragments(String packageId) {
        Set<Integer> set = corrupt.get(packageId);
        return set == null ? List.of() : set.stream().sorted().toList();
    }

    /** Fragment files known corrupt now, over every package. */
    public int corruptFragmentCount() {
        return corrupt.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public CompletableFuture<InfoDocument> info(String packageId) {
        if (!published.containsKey(packageId)) {
            return CompletableFuture.failedFuture(new NoSuchElementException("no package " + packageId));
        }
        return infoCache.get(packageId);
    }

    private InfoDocument readInfo(String id) throws IOException {
        PublishedPackage p = published.get(id);
        if (p == null) {
            throw new NoSuchElementException("no package " + id);
        }
        Path file = p.directory().resolve("info");
        return document(Files.readAllBytes(file), Files.getLastModifiedTime(file).toMillis());
    }

    static InfoDocument document(byte[] bytes, long modifiedAt) {
        MessageDigest sha = DigestAlgorithm.SHA1.newDigest();
        String etag = "\"" + HexFormat.of().formatHex(sha.digest(bytes), 0, 10) + "\"";
        return new InfoDocument(bytes, etag, modifiedAt);
    }

    /**
     * Builds and publishes a package. Checks the source before an ID is spent on it.
     *
     * @return the future record; fails with {@link PackageException}
     */
    public CompletableFuture<PackageRecord> build(PackageSpec spec, PackageSource source) {
        return supply(() -> new PackageBuild(spec, source).run(this));
    }

    /** Imports one OCS package directory ({@code <ID>/info} + fragments) or every package directory in {@code dir}. */
    public CompletableFuture<List<ImportOutcome>> importOcs(Path dir) {
        return supply(() -> OcsImport.run(dir, this));
    }

    /**
     * Changes what can change after creation without a new ID: name, description, priority, notification, post
     * command. The info file is rewritten atomically; agents that fetched it already keep their copy (§4.1).
     */
    public CompletableFuture<PackageRecord> edit(String id, UnaryOperator<PackageSpec> change) {
        return supply(() -> {
            PackageRecord current = records.get(id);
            if (current == null) {
                throw PackageException.notFound(id);
            }
            PackageSpec next;
            try {
                next = change.apply(current.spec());
            } catch (IllegalArgumentException e) {
                throw PackageException.invalid(e.getMessage());
            }
            PackageSpec s = current.spec();
            if (next.os() != s.os() || next.protocol() != s.protocol() || next.action() != s.action()
                    || !next.actionParameter().equals(s.actionParameter()) || next.digest() != s.digest()) {
                throw PackageException.invalid("edit: os, protocol, action, command/path and digest cannot change"
                        + " (expected: a new package; agents keep the first info file of an ID)");
            }
            PackageRecord updated = current.withSpec(next, clock.millis());
            writer.submit(c -> {
                PackageRows.update(c, updated);
                return null;
            }).join();
            if (current.brokenReason().isEmpty() && !current.infoFile().equals(updated.infoFile())) {
                byte[] info = updated.infoFile().toBytes();
                Path file = disk.published(id).resolve("info");
                io(() -> PackageDirectory.writeFile(file, info));
                infoCache.put(id, CompletableFuture.completedFuture(document(info, updated.updatedAt())));
            }
            records.put(id, updated);
            log.info("Package {} edited", id);
            return updated;
        });
    }

    /**
     * Deletes a package's files and marks its row deleted (the ID stays taken). The caller deactivates it and
     * forgets its assignments first.
     */
    public CompletableFuture<PackageRecord> delete(String id) {
        return supply(() -> {
            PackageRecord current = records.get(id);
            if (current == null) {
                throw PackageException.notFound(id);
            }
            long now = clock.millis();
            writer.submit(c -> {
                PackageRows.markDeleted(c, id, now);
                return null;
            }).join();
            PublishedPackage gone = published.remove(id);
            if (gone != null) {
                verifier.forget(gone);
            }
            Set<Integer> wasCorrupt = corrupt.remove(id);
            if (wasCorrupt != null) {
                wasCorrupt.forEach(n -> listener.intact(id, n)); // gone with its package
            }
            records.remove(id);
            infoCache.synchronous().invalidate(id);
            io(() -> disk.remove(id));
            log.info("Package {} ({}) deleted", id, current.spec().name());
            return current;
        });
    }

    // --- used by PackageBuild and OcsImport, on the package executor ---

    PackageDirectory disk() {
        return disk;
    }

    StoreWriter writer() {
        return writer;
    }

    Clock clock() {
        return clock;
    }

    /** Makes a record whose files are published visible to the download listeners and the admin side. */
    void register(PackageRecord record, long[] fragmentSizes, String[] fragmentDigests, byte[] info) {
        records.put(record.id(), record);
        published.put(record.id(), toPublished(record, fragmentSizes, fragmentDigests));
        infoCache.put(record.id(), CompletableFuture.completedFuture(document(info, record.createdAt())));
    }

    interface IoAction {
        void run() throws IOException;
    }

    static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new PackageException(PackageException.Kind.FAILED, "package files: " + e.getMessage(), e);
        }
    }

    private <T> CompletableFuture<T> supply(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (CompletionException e) {
                if (e.getCause() instanceof StoreUnavailableException unavailable) {
                    throw unavailable; // full or locked database: a 503, retried later, not a failed operation
                }
                throw e.getCause() instanceof PackageException pe ? pe : failed(e.getCause());
            } catch (PackageException e) {
                throw e;
            } catch (UncheckedIOException e) {
                throw failed(e.getCause());
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }, executor);
    }

    private static PackageException failed(Throwable cause) {
        log.warn("Package operation failed", cause);
        return new PackageException(PackageException.Kind.FAILED, "package operation failed: " + cause.getMessage(),
                cause);
    }
}
