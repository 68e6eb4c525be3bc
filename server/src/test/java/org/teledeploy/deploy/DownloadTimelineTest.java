package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The timeline stays bounded per download: every fragment of small packages, milestones of big ones. */
class DownloadTimelineTest {

    @Test
    void smallPackagesRecordEveryFragment() {
        assertEquals(List.of(1, 2, 3, 4), milestones(4));
        assertEquals(16, milestones(16).size());
    }

    @Test
    void bigPackagesRecordTheFirstTheLastAndEachTenth() {
        assertEquals(List.of(1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100), milestones(100));
        List<Integer> big = milestones(1000);
        assertEquals(11, big.size(), big.toString());
        assertEquals(1, big.get(0));
        assertEquals(1000, big.get(big.size() - 1));
        assertEquals(List.of(1, 2, 4, 6, 7, 9, 11, 12, 14, 16, 17), milestones(17), "each tenth: floor(10n/N) changes");
    }

    private static List<Integer> milestones(int fragments) {
        List<Integer> out = new ArrayList<>();
        IntStream.rangeClosed(1, fragments).filter(n -> DownloadTimeline.isMilestone(n, fragments)).forEach(out::add);
        return out;
    }
}
