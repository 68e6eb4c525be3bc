package org.teledeploy.packages;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the download listeners ({@code GET/HEAD /download/<ID>/info} and {@code /download/<ID>/<ID>-<n>}) read.
 * Both calls are safe on an event loop: {@link #find} answers from memory, {@link #info} from a Caffeine cache
 * whose misses load on the package executor.
 */
public interface PackageContent {

    /** The published package, or empty when the ID is unknown, deleted, broken or not yet complete. */
    Optional<PublishedPackage> find(String packageId);

    /**
     * The info file of a published package; the future fails with {@link java.util.NoSuchElementException} when
     * the package is not (or no longer) published.
     */
    CompletableFuture<InfoDocument> info(String packageId);
}
