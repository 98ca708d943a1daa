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

    @Test
    void smallRegionsSitInSizeBandsThatALevelOfDetailQueryCanSkip() {
        int maxLevel = SpatialKey.maxLevelFor(100_000, 100_000);
        long nucleus = SpatialKey.cell(1000, 1000, 1012, 1010, maxLevel);
        long gland = SpatialKey.cell(1000, 1000, 1100, 1090, maxLevel);
        long tumour = SpatialKey.cell(1000, 1000, 6000, 4000, maxLevel);
        assertThat(nucleus >>> 56).isEqualTo(0);
        assertThat(gland >>> 56).isEqualTo(3);
        assertThat(tumour >>> 56).isEqualTo(SpatialKey.SIZE_BUCKETS + 5);
        for (SpatialKey.Range r : SpatialKey.bandRanges(0, 0, 20_000, 20_000, maxLevel)) {
            for (long[] box : new long[][] {{nucleus, 12}, {gland, 100}, {tumour, 5000}}) {
                if (box[0] >= r.from() && box[0] <= r.to()) {
                    assertThat((double) box[1]).isGreaterThan(r.smallest()).isLessThanOrEqualTo(r.largest());
                }
            }
        }
    }

    @Test
    void theV4MigrationMovesOldKeysToTheBandsTheNewKeysUse() {
        // V1 keys were level << 56 | row << 28 | column with 256 << level cells; V4 adds band << 56.
        Random random = new Random(3);
        int maxLevel = SpatialKey.maxLevelFor(60_000, 40_000);
        for (int i = 0; i < 2000; i++) {
            double w = Math.pow(10, random.nextDouble() * 5), h = Math.pow(10, random.nextDouble() * 5);
            double x = random.nextDouble() * 60_000, y = random.nextDouble() * 40_000;
            int oldLevel = Math.min(maxLevel, SpatialKey.level(x, y, x + w, y + h));
            long size = 256L << oldLevel;
            long old = SpatialKey.key(oldLevel, (long) Math.floor(y / size), (long) Math.floor(x / size));
            double side = Math.max(w, h);
            long shift = side <= 16 ? 0 : side <= 32 ? 1 : side <= 64 ? 2 : side <= 128 ? 3 : 4;
            assertThat(old + (shift << 56)).isEqualTo(SpatialKey.cell(x, y, x + w, y + h, maxLevel));
        }
    }
}
