package org.teledeploy.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Cutting rules of shared/ocs-protocol.md §4.3 and their edges. */
class FragmentationTest {

    @Test
    void countFollowsTheOcsRuleTheLastFragmentTakesTheRest() {
        assertArrayEquals(new long[] {3, 3, 4}, Fragmentation.byCount(3).split(10));
        assertArrayEquals(new long[] {10}, Fragmentation.byCount(1).split(10));
        assertArrayEquals(new long[] {1, 1, 1}, Fragmentation.byCount(3).split(3));
    }

    @Test
    void sizeGivesFullFragmentsAndARemainder() {
        assertArrayEquals(new long[] {4, 4, 2}, Fragmentation.bySize(4).split(10));
        assertArrayEquals(new long[] {5, 5}, Fragmentation.bySize(5).split(10), "an exact multiple has no empty tail");
        assertArrayEquals(new long[] {10}, Fragmentation.bySize(100).split(10));
    }

    @Test
    void aOneByteArchiveIsOneFragment() {
        assertArrayEquals(new long[] {1}, Fragmentation.bySize(1 << 20).split(1));
        assertArrayEquals(new long[] {1}, Fragmentation.byCount(1).split(1));
    }

    @Test
    void impossibleCutsAreRefused() {
        assertEquals("archive: empty (expected: at least 1 byte; a command-only package has no archive at all)",
                assertThrows(IllegalArgumentException.class, () -> Fragmentation.DEFAULT.split(0)).getMessage());
        assertEquals("fragments: 4 (expected: at most the archive size, 3 bytes)",
                assertThrows(IllegalArgumentException.class, () -> Fragmentation.byCount(4).split(3)).getMessage());
        assertEquals("fragments: 0 (expected: 1 to 100000)",
                assertThrows(IllegalArgumentException.class, () -> Fragmentation.byCount(0)).getMessage());
        assertEquals("fragments: -2 (expected: 1 to 100000)",
                assertThrows(IllegalArgumentException.class, () -> Fragmentation.byCount(-2)).getMessage());
        assertEquals("fragmentSize: 0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> Fragmentation.bySize(0)).getMessage());
        assertEquals("fragmentSize: 1 (expected: at least 3 bytes for an archive of 200001 bytes, at most 100000 fragments)",
                assertThrows(IllegalArgumentException.class, () -> Fragmentation.bySize(1).split(200_001)).getMessage());
    }
}
