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
    void aViewportReadsFewRangesWithLittleWasteAtAnyZoom() {
        int maxLevel = SpatialKey.maxLevelFor(100_000, 100_000);
        Random random = new Random(11);
        double total = 0;
        for (int q = 0; q < 300; q++) {
            // Viewports from 1,000 to 64,000 px across (a 1600 px screen from scale 1.6 to 1/40).
            double w = Math.pow(2, random.nextDouble() * 6) * 1000, h = w * 0.625;
            double x = random.nextDouble() * (100_000 - w), y = random.nextDouble() * (100_000 - h);
            List<SpatialKey.Range> ranges = SpatialKey.bandRanges(x, y, x + w, y + h, maxLevel);
            assertThat(ranges.size()).isLessThanOrEqualTo((SpatialKey.SIZE_BUCKETS + maxLevel + 1) * SpatialKey.MAX_RANGES);
            // Band 0 (256 px cells): the cells the ranges cover against the cells the query needs.
            long covered = 0;
            for (SpatialKey.Range r : ranges) {
                if (r.from() >>> 56 == 0) {
                    covered += r.to() - r.from() + 1;
                }
            }
            long needed = ((long) Math.floor((x + w) / 256) - (long) Math.floor(x / 256) + 2)
                    * ((long) Math.floor((y + h) / 256) - (long) Math.floor(y / 256) + 2);
            assertThat((double) covered / needed).as("waste for %s x %s at %s,%s", w, h, x, y).isLessThan(3.0);
            total += (double) covered / needed;
        }
        assertThat(total / 300).as("mean cells read per cell needed").isLessThan(1.6);
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
}
