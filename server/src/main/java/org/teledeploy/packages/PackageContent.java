package org.teledeploy.packages;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the download listeners ({@code GET/HEAD /download/<ID>/info} and {@code /download/<ID>/<ID>-<n>}) read.
 * Every call is safe on an event loop: {@link #find} answers from memory, {@link #info} from a Caffeine cache
 * whose misses load on the package executor, {@link #verifyFragment} from memory or a hash on an executor.
 */
public interface PackageContent {

    /** The published package, or empty when the ID is unknown, deleted, broken or not yet complete. */
    Optional<PublishedPackage> find(String packageId);

    /**
     * The info file of a published package; the future fails with {@link java.util.NoSuchElementException} when
     * the package is not (or no longer) published.
     */
    CompletableFuture<InfoDocument> info(String packageId);

    /**
     * Whether fragment {@code n} of a published package may be served as it is on disk now
     * ({@link FragmentVerifier}): complete at once when that state of the file was checked already, otherwise
     * once it has been hashed off the event loop.
     *
     * @return empty to serve it, or the one-line reason it is refused (a corrupt or unreadable file)
     */
    CompletableFuture<Optional<String>> verifyFragment(PublishedPackage pkg, int n);
}
