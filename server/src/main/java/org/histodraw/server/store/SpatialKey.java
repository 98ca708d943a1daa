package org.histodraw.server.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A hierarchical grid key for region bounding boxes, so that a viewport query reads a few index
 * ranges whose rows are (nearly) all in the result, whatever the size of the layer: O(result), not
 * O(layer), with nothing but a B-tree index on {@code (slice_id, cell)}.
 *
 * <p>Level L has square cells of {@code 256 << L} pixels. A region goes to the smallest level whose
 * cell is at least as large as its longer bounding-box side, in the cell holding its top-left
 * corner; so it reaches at most one cell further right and down. The key packs
 * {@code level | row | column} so that one grid row of one level is one contiguous key range.
 * A query visits, per level, the rows the viewport touches (plus one cell up and left); when that
 * is more than {@value #MAX_ROW_RANGES} rows it takes the level's band of rows as one range and lets
 * the bounding-box columns filter, which costs the band, still bounded by the viewport's height.
 */
public final class SpatialKey {
    static final int BASE_SHIFT = 8;
    static final int MAX_LEVEL = 30;
    static final int MAX_ROW_RANGES = 16;
    private static final long MASK = (1L << 28) - 1;

    private SpatialKey() {
    }

    static int level(double minX, double minY, double maxX, double maxY) {
        double size = Math.max(maxX - minX, maxY - minY);
        int level = 0;
        while (level < MAX_LEVEL && (double) (256L << level) < size) {
            level++;
        }
        return level;
    }

    /** The key of a region's box on a slide whose top level is {@code maxLevel} ({@link #maxLevelFor}). */
    public static long cell(double minX, double minY, double maxX, double maxY, int maxLevel) {
        int level = Math.min(maxLevel, level(minX, minY, maxX, maxY));
        long size = 256L << level;
        long cx = Math.min(MASK, (long) Math.floor(Math.max(0, minX) / size));
        long cy = Math.min(MASK, (long) Math.floor(Math.max(0, minY) / size));
        return key(level, cy, cx);
    }

    static long key(int level, long row, long column) {
        return (long) level << 56 | row << 28 | column;
    }

    /**
     * Key ranges (inclusive pairs) that hold every region whose box may meet the query box, for
     * regions no larger than {@code 256 << maxLevel} (larger ones sit at the top level, always visited).
     */
    public static List<long[]> ranges(double x0, double y0, double x1, double y1, int maxLevel) {
        List<long[]> out = new ArrayList<>();
        for (int level = 0; level <= Math.min(maxLevel, MAX_LEVEL); level++) {
            long size = 256L << level;
            long cx0 = clamp((long) Math.floor(x0 / size) - 1);
            long cx1 = clamp((long) Math.floor(x1 / size));
            long cy0 = clamp((long) Math.floor(y0 / size) - 1);
            long cy1 = clamp((long) Math.floor(y1 / size));
            if (level == maxLevel) {
                // Regions larger than the top level's cells are clamped into it at their corner cell.
                cx0 = 0;
                cy0 = 0;
            }
            if (cy1 - cy0 + 1 > MAX_ROW_RANGES) {
                out.add(new long[] {key(level, cy0, 0), key(level, cy1, MASK)});
            } else {
                for (long cy = cy0; cy <= cy1; cy++) {
                    out.add(new long[] {key(level, cy, cx0), key(level, cy, cx1)});
                }
            }
        }
        return out;
    }

    /** The highest level worth visiting for a slide of this size (larger regions are clamped into it). */
    public static int maxLevelFor(int width, int height) {
        return Math.min(MAX_LEVEL, level(0, 0, 2.0 * width, 2.0 * height));
    }

    private static long clamp(long v) {
        return Math.max(0, Math.min(MASK, v));
    }
}
