package org.teledeploy.packages;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A package as the download listeners see it: complete on disk, from memory, so that serving a fragment needs no
 * lookup beyond opening its file. Only published (complete, not deleted, not broken) packages exist as this type.
 *
 * @param id numeric package ID
 * @param httpsOnly PROTO="HTTPS": its fragments are served on the HTTPS listener only
 * @param directory {@code <state.dir>/packages/<id>}, holding {@code info} and {@code <id>-1 … <id>-N}
 * @param fragmentSizes byte length of fragment 1 … N (index 0 = fragment 1); empty for command-only packages
 * @param publishedAt epoch milliseconds the fragments were published (their Last-Modified; they never change)
 * @param fragmentDigests lower-case hex SHA-256 of fragment 1 … N recorded at build or import, or empty for a
 *     package published before they were recorded (its fragments are checked by size only)
 */
public record PublishedPackage(String id, boolean httpsOnly, Path directory, long[] fragmentSizes, long publishedAt,
                               String[] fragmentDigests) {

    public PublishedPackage {
        fragmentSizes = fragmentSizes.clone();
        fragmentDigests = fragmentDigests.clone();
        if (fragmentDigests.length != 0 && fragmentDigests.length != fragmentSizes.length) {
            throw new IllegalArgumentException("fragmentDigests: " + fragmentDigests.length + " (expected: 0 or "
                    + fragmentSizes.length + ", one per fragment)");
        }
    }

    /** A package without recorded fragment digests. */
    public PublishedPackage(String id, boolean httpsOnly, Path directory, long[] fragmentSizes, long publishedAt) {
        this(id, httpsOnly, directory, fragmentSizes, publishedAt, new String[0]);
    }

    /** FRAGS of the info file. */
    public int fragments() {
        return fragmentSizes.length;
    }

    /** Size of fragment {@code n} (1-based); {@code n} must be in 1 … {@link #fragments()}. */
    public long fragmentSize(int n) {
        return fragmentSizes[n - 1];
    }

    /** The recorded SHA-256 of fragment {@code n} (1-based), or null when none was recorded. */
    public String fragmentDigest(int n) {
        return fragmentDigests.length == 0 ? null : fragmentDigests[n - 1];
    }

    /** The file of fragment {@code n} (1-based). */
    public Path fragmentPath(int n) {
        return directory.resolve(id + "-" + n);
    }

    /** Strong validator of fragment {@code n}: fragments of one ID never change (shared/ocs-protocol.md §4.1). */
    public String fragmentEtag(int n) {
        return "\"" + id + "-" + n + "-" + fragmentSize(n) + "-" + publishedAt + "\"";
    }

    @Override
    public long[] fragmentSizes() {
        return fragmentSizes.clone();
    }

    @Override
    public String[] fragmentDigests() {
        return fragmentDigests.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishedPackage p && id.equals(p.id) && httpsOnly == p.httpsOnly
                && directory.equals(p.directory) && Arrays.equals(fragmentSizes, p.fragmentSizes)
                && publishedAt == p.publishedAt && Arrays.equals(fragmentDigests, p.fragmentDigests);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(fragmentSizes);
    }
}
