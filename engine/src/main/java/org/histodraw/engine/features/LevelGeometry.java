package org.histodraw.engine.features;

import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Where the pixels of a slide's pyramid levels lie and how they are made. Level {@code d} has
 * {@code ceil(W / d) x ceil(H / d)} pixels; its pixel {@code (i, j)} is the mean of the 2 x 2 pixels
 * {@code (2i, 2j) ... (2i + 1, 2j + 1)} of level {@code d / 2} (those that exist, at the right and
 * bottom edges), so it covers the block {@code [i d, (i + 1) d) x [j d, (j + 1) d)} of the slide and
 * its centre lies at slide coordinate {@code (i + 0.5) d - 0.5}. Every value depends on its block
 * only, whatever part of the slide is read: the pyramid of a tile is the pyramid of the slide there.
 */
final class LevelGeometry {
    private LevelGeometry() {
    }

    /** The pixels of level {@code d} of a slide. */
    static PixelRegion levelBounds(PixelRegion slide, int d) {
        return PixelRegion.of(ceilDiv(slide.width(), d), ceilDiv(slide.height(), d));
    }

    /**
     * The pixels of level {@code d} that bilinear interpolation reads for the slide pixels of
     * {@code tile}: from the one at or before the first pixel's centre to the one after the last's,
     * clamped to the level.
     */
    static PixelRegion coarseWindow(PixelRegion tile, int d, PixelRegion levelBounds) {
        int last = levelBounds.width() - 1, bottom = levelBounds.height() - 1;
        int x0 = clamp(Math.floorDiv(2 * tile.x() + 1 - d, 2 * d), 0, last);
        int x1 = clamp(Math.floorDiv(2 * (tile.endX() - 1) + 1 - d, 2 * d) + 1, 0, last);
        int y0 = clamp(Math.floorDiv(2 * tile.y() + 1 - d, 2 * d), 0, bottom);
        int y1 = clamp(Math.floorDiv(2 * (tile.endY() - 1) + 1 - d, 2 * d) + 1, 0, bottom);
        return new PixelRegion(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** The pixels of the level below (of {@code belowBounds}) that the pixels of {@code region} are made of. */
    static PixelRegion children(PixelRegion region, PixelRegion belowBounds) {
        return new PixelRegion(2 * region.x(), 2 * region.y(), 2 * region.width(), 2 * region.height())
                .intersect(belowBounds);
    }

    /** The smallest region holding both; an empty region counts as nothing. */
    static PixelRegion union(PixelRegion a, PixelRegion b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        int x0 = Math.min(a.x(), b.x()), y0 = Math.min(a.y(), b.y());
        int x1 = Math.max(a.endX(), b.endX()), y1 = Math.max(a.endY(), b.endY());
        return new PixelRegion(x0, y0, x1 - x0, y1 - y0);
    }

    /**
     * The pixels of {@code region} of the next level up, from {@code below}: the level below's pixels
     * over {@code belowAt}, in a level of {@code belowBounds}. Each is the mean of its (up to) four
     * children, summed in one fixed order.
     */
    static Raster halve(Raster below, PixelRegion belowAt, PixelRegion belowBounds, PixelRegion region, Raster out) {
        PixelRegion need = children(region, belowBounds);
        if (!belowAt.contains(need)) {
            throw new IllegalStateException("level pixels " + belowAt + " do not cover " + need);
        }
        int bw = below.width(), w = region.width(), h = region.height();
        int lastX = belowBounds.width() - 1, lastY = belowBounds.height() - 1;
        for (int c = 0; c < below.channels(); c++) {
            float[] src = below.plane(c);
            float[] dst = out.plane(c);
            for (int j = 0; j < h; j++) {
                int fy = 2 * (region.y() + j);
                boolean twoRows = fy < lastY;
                int r0 = (fy - belowAt.y()) * bw, r1 = twoRows ? r0 + bw : r0;
                for (int i = 0; i < w; i++) {
                    int fx = 2 * (region.x() + i);
                    int a = fx - belowAt.x();
                    int b = fx < lastX ? a + 1 : a;
                    float sum;
                    float count;
                    if (b != a && twoRows) {
                        sum = (src[r0 + a] + src[r0 + b]) + (src[r1 + a] + src[r1 + b]);
                        count = 4f;
                    } else if (b != a) {
                        sum = src[r0 + a] + src[r0 + b];
                        count = 2f;
                    } else if (twoRows) {
                        sum = src[r0 + a] + src[r1 + a];
                        count = 2f;
                    } else {
                        sum = src[r0 + a];
                        count = 1f;
                    }
                    dst[j * w + i] = sum / count;
                }
            }
        }
        return out;
    }

    /**
     * For each of {@code n} slide pixels from {@code start} along one axis: the two coarse pixels of
     * level {@code d} (of {@code size} pixels; indices relative to {@code windowStart}) around its
     * centre and the weight of the second; at the level's borders one pixel, weight 0.
     */
    static void weights(int start, int n, int d, int size, int windowStart, int[] first, int[] second, float[] weight) {
        for (int k = 0; k < n; k++) {
            int twice = 2 * (start + k) + 1 - d; // 2d times the coarse coordinate
            int i0 = Math.floorDiv(twice, 2 * d);
            float t = (twice - i0 * 2 * d) / (2f * d);
            int i1 = i0 + 1;
            if (i0 < 0) {
                i0 = 0;
                i1 = 0;
                t = 0;
            } else if (i1 > size - 1) {
                i0 = size - 1;
                i1 = size - 1;
                t = 0;
            }
            first[k] = i0 - windowStart;
            second[k] = i1 - windowStart;
            weight[k] = t;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
