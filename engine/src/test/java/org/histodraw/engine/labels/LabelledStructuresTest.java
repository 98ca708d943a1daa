package org.histodraw.engine.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.api.Test;

class LabelledStructuresTest {

    private static void disc(LabelRaster l, int cx, int cy, int r, int c) {
        for (int y = cy - r; y <= cy + r; y++) {
            for (int x = cx - r; x <= cx + r; x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                    l.set(x, y, c);
                }
            }
        }
    }

    @Test
    void discsAreMeasuredByTheirRadiusAndTwiceTheScaleGivesTwiceTheRadius() {
        for (int r : new int[] {4, 8, 16, 32}) {
            LabelRaster l = LabelRaster.allocate(400, 400);
            disc(l, 100, 100, r, 1);
            disc(l, 250, 280, r, 1);
            disc(l, 300, 100, r / 2, 2);
            LabelledStructures s = new LabelledStructures();
            s.add(l, PixelRegion.of(400, 400));
            assertThat(s.radius(1)).as("radius %d", r).isCloseTo(r, within(0.25 * r + 1));
            assertThat(s.smallestRadius()).isEqualTo(s.radius(2));
            assertThat(s.pixels(1)).isGreaterThan(0);
        }
    }

    @Test
    void aBroadStrokeOrRegionCountsAsLargeAndAnAbsentClassAsUnknown() {
        LabelRaster l = LabelRaster.allocate(600, 300);
        for (int y = 20; y < 280; y++) {
            for (int x = 20; x < 580; x++) {
                l.set(x, y, 1);
            }
        }
        LabelledStructures s = new LabelledStructures();
        s.add(l, PixelRegion.of(600, 300));
        assertThat(s.radius(1)).as("capped: every distance from 64 px on counts as 64").isGreaterThan(90);
        assertThat(s.radius(2)).isNaN();
        assertThat(new LabelledStructures().smallestRadius()).isNaN();
    }

    @Test
    void tilesReadWithTheMarginCountWhatTheWholeImageCounts() {
        LabelRaster l = LabelRaster.allocate(300, 200);
        disc(l, 60, 60, 20, 1);
        disc(l, 150, 100, 45, 2);
        disc(l, 250, 170, 9, 1);
        LabelledStructures whole = new LabelledStructures();
        whole.add(l, PixelRegion.of(300, 200));
        LabelledStructures tiled = new LabelledStructures();
        PixelRegion bounds = PixelRegion.of(300, 200);
        for (int y = 0; y < 200; y += 70) {
            for (int x = 0; x < 300; x += 90) {
                PixelRegion tile = new PixelRegion(x, y, Math.min(90, 300 - x), Math.min(70, 200 - y));
                PixelRegion read = tile.expand(LabelledStructures.MAX_DISTANCE, bounds);
                LabelRaster part = LabelRaster.allocate(read.width(), read.height());
                for (int yy = 0; yy < read.height(); yy++) {
                    for (int xx = 0; xx < read.width(); xx++) {
                        part.set(xx, yy, l.get(read.x() + xx, read.y() + yy));
                    }
                }
                tiled.add(part, new PixelRegion(tile.x() - read.x(), tile.y() - read.y(), tile.width(), tile.height()));
            }
        }
        for (int c = 1; c <= 2; c++) {
            assertThat(tiled.pixels(c)).isEqualTo(whole.pixels(c));
            assertThat(tiled.radius(c)).isEqualTo(whole.radius(c));
        }
    }
}
