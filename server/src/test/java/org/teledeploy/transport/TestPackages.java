package org.teledeploy.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.teledeploy.packages.DownloadObserver;
import org.teledeploy.packages.FragmentVerifier;
import org.teledeploy.packages.InfoDocument;
import org.teledeploy.packages.PackageContent;
import org.teledeploy.packages.PublishedPackage;

/**
 * A {@link PackageContent} for transport tests: packages whose fragments are real files written into a test
 * directory, and info documents (or pending or failed futures) set per package.
 */
final class TestPackages implements PackageContent {

    /** Downloads that know no package, for tests about other endpoints. */
    static final DownloadHandler.Shared NO_DOWNLOADS = new DownloadHandler.Shared(new TestPackages(), DownloadObserver.NONE);

    private final Map<String, PublishedPackage> packages = new ConcurrentHashMap<>();
    private final FragmentVerifier verifier;

    /** Fragments are hashed on the calling thread. */
    TestPackages() {
        this(Runnable::run);
    }

    /** @param verifyExecutor hashes fragment files (a test can hold the work back to see reading paused) */
    TestPackages(Executor verifyExecutor) {
        verifier = new FragmentVerifier(verifyExecutor, FragmentVerifier.Listener.NONE);
    }
    private final Map<String, CompletableFuture<InfoDocument>> infos = new ConcurrentHashMap<>();

    /**
     * Publishes package {@code id} under {@code root/id}: writes each fragment's bytes to {@code <id>-<n>}, records
     * their SHA-256, and an info document whose ETag is derived from its bytes.
     */
    PublishedPackage publish(Path root, String id, boolean httpsOnly, long publishedAt, byte[]... fragments)
            throws IOException {
        Path directory = Files.createDirectories(root.resolve(id));
        long[] sizes = new long[fragments.length];
        String[] digests = new String[fragments.length];
        for (int i = 0; i < fragments.length; i++) {
            Files.write(directory.resolve(id + "-" + (i + 1)), fragments[i]);
            sizes[i] = fragments[i].length;
            digests[i] = sha256(fragments[i]);
        }
        PublishedPackage pkg = new PublishedPackage(id, httpsOnly, directory, sizes, publishedAt, digests);
        packages.put(id, pkg);
        byte[] info = ("<DOWNLOAD ID=\"" + id + "\" FRAGS=\"" + fragments.length + "\" />\n")
                .getBytes(StandardCharsets.UTF_8);
        infos.put(id, CompletableFuture.completedFuture(
                new InfoDocument(info, "\"info-" + id + "-" + info.length + "\"", publishedAt)));
        return pkg;
    }

    /** Replaces what {@link #info} answers for {@code id}. */
    void info(String id, CompletableFuture<InfoDocument> future) {
        infos.put(id, future);
    }

    @Override
    public Optional<PublishedPackage> find(String packageId) {
        return Optional.ofNullable(packages.get(packageId));
    }

    @Override
    public CompletableFuture<Optional<String>> verifyFragment(PublishedPackage pkg, int n) {
        return verifier.verify(pkg, n);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CompletableFuture<InfoDocument> info(String packageId) {
        CompletableFuture<InfoDocument> info = infos.get(packageId);
        return info != null ? info : CompletableFuture.failedFuture(new NoSuchElementException("no package " + packageId));
    }
}
