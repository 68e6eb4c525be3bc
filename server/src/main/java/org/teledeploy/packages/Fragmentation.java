package org.teledeploy.packages;

/**
 * How an archive is cut into fragments (shared/ocs-protocol.md §4.3): either a number of fragments, as the OCS
 * console asks (fragments 1 … N−1 hold ⌊size/N⌋ bytes, the last one the rest), or a fragment size (every fragment
 * that size, the last one the rest). The fragment is the agents' retry and pacing unit: each costs a GET and a
 * {@code FRAG_LATENCY} pause.
 */
public final class Fragmentation {

    /** Most fragments of one package: each is a file, a GET and a pause on every agent. */
    public static final int MAX_FRAGMENTS = 100_000;

    /** The default: 4 MiB fragments, small enough to retry cheaply, few enough to pace quickly. */
    public static final Fragmentation DEFAULT = bySize(4L << 20);

    private final int count;
    private final long size;

    private Fragmentation(int count, long size) {
        this.count = count;
        this.size = size;
    }

    /** Exactly {@code count} fragments. */
    public static Fragmentation byCount(int count) {
        if (count < 1 || count > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("fragments: " + count + " (expected: 1 to " + MAX_FRAGMENTS + ")");
        }
        return new Fragmentation(count, 0);
    }

    /** Fragments of {@code size} bytes. */
    public static Fragmentation bySize(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("fragmentSize: " + size + " (expected: > 0)");
        }
        return new Fragmentation(0, size);
    }

    /** The requested fragment size, or 0 when a count was requested. */
    public long requestedSize() {
        return size;
    }

    /** The requested count, or 0 when a size was requested. */
    public int requestedCount() {
        return count;
    }

    /**
     * The byte length of each fragment of an archive of {@code archiveSize} bytes.
     *
     * @throws IllegalArgumentException when the archive is empty, or cannot be cut as asked
     */
    public long[] split(long archiveSize) {
        if (archiveSize < 1) {
            throw new IllegalArgumentException("archive: empty (expected: at least 1 byte; a command-only package"
                    + " has no archive at all)");
        }
        if (count > 0) {
            if (count > archiveSize) {
                throw new IllegalArgumentException("fragments: " + count + " (expected: at most the archive size, "
                        + archiveSize + " bytes)");
            }
            long each = archiveSize / count;
            long[] sizes = new long[count];
            java.util.Arrays.fill(sizes, each);
            sizes[count - 1] = archiveSize - each * (count - 1);
            return sizes;
        }
        long n = (archiveSize + size - 1) / size;
        if (n > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("fragmentSize: " + size + " (expected: at least " 
                    + ((archiveSize + MAX_FRAGMENTS - 1) / MAX_FRAGMENTS) + " bytes for an archive of " + archiveSize
                    + " bytes, at most " + MAX_FRAGMENTS + " fragments)");
        }
        long[] sizes = new long[(int) n];
        java.util.Arrays.fill(sizes, size);
        sizes[sizes.length - 1] = archiveSize - size * (n - 1);
        return sizes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fragmentation f && f.count == count && f.size == size;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + count;
    }

    @Override
    public String toString() {
        return count > 0 ? count + " fragments" : size + "-byte fragments";
    }
}
