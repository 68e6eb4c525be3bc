package org.teledeploy.packages;

import java.util.Optional;

/**
 * A package as the store knows it: its spec and what building it produced. Deleted packages keep their row (so
 * their ID is never reused) but are not returned as records.
 *
 * @param id numeric package ID, unique forever
 * @param spec what the admin decided
 * @param digest lower-case hex over the whole archive, "" for a command-only package
 * @param archiveSize bytes of the archive, 0 for a command-only package
 * @param fragments FRAGS
 * @param origin {@code built} here or {@code imported} from an OCS download directory
 * @param createdAt epoch milliseconds
 * @param updatedAt epoch milliseconds of the last edit
 * @param brokenReason why its files on disk do not match (found at start); a broken package is never served
 */
public record PackageRecord(String id, PackageSpec spec, String digest, long archiveSize, int fragments,
                            String origin, long createdAt, long updatedAt, Optional<String> brokenReason) {

    public static final String BUILT = "built";
    public static final String IMPORTED = "imported";

    /** FRAGS="0": the action runs without downloading anything. */
    public boolean commandOnly() {
        return fragments == 0;
    }

    /** The info file this record describes. */
    public InfoFile infoFile() {
        return new InfoFile(id, spec.priority(), spec.action(), digest, spec.protocol(), fragments, spec.digest(),
                spec.actionParameter(), spec.notification());
    }

    PackageRecord withSpec(PackageSpec newSpec, long at) {
        return new PackageRecord(id, newSpec, digest, archiveSize, fragments, origin, createdAt, at, brokenReason);
    }

    PackageRecord broken(String reason) {
        return new PackageRecord(id, spec, digest, archiveSize, fragments, origin, createdAt, updatedAt,
                Optional.of(reason));
    }
}
