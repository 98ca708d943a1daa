package org.histodraw.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpatialKeyTest {
    private static boolean covered(long key, List<long[]> ranges) {
        for (long[] r : ranges) {
            if (key >= r[0] && key <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyBoxThatMeetsTheQueryHasItsKeyInARange() {
        Random random = new Random(7);
        int maxLevel = SpatialKey.maxLevelFor(100_000, 80_000);
        for (int q = 0; q < 200; q++) {
            double qx = random.nextDouble() * 100_000, qy = random.nextDouble() * 80_000;
            double qw = Math.pow(10, 1 + random.nextDouble() * 4), qh = Math.pow(10, 1 + random.nextDouble() * 4);
            List<long[]> ranges = SpatialKey.ranges(qx, qy, qx + qw, qy + qh, maxLevel);
            for (int i = 0; i < 500; i++) {
                double w = Math.pow(10, random.nextDouble() * 5.5), h = Math.pow(10, random.nextDouble() * 5.5);
                double x = qx - w + random.nextDouble() * (qw + w), y = qy - h + random.nextDouble() * (qh + h);
                long key = SpatialKey.cell(x, y, x + w, y + h, maxLevel);
                assertThat(covered(key, ranges)).as("box %s,%s %sx%s vs query %s,%s %sx%s", x, y, w, h, qx, qy, qw, qh).isTrue();
            }
        }
    }

    @Test
    void aSmallViewportReadsFewRangesOnAHugeSlide() {
        int maxLevel = SpatialKey.maxLevelFor(100_000, 100_000);
        List<long[]> ranges = SpatialKey.ranges(50_000, 50_000, 52_000, 51_000, maxLevel);
        assertThat(ranges.size()).isLessThan(60);
        // At level 0 the ranges span the viewport's columns plus one, not the slide's width.
        long[] first = ranges.get(0);
        assertThat(first[1] - first[0]).isLessThanOrEqualTo(2_000 / 256 + 2);
    }
}
