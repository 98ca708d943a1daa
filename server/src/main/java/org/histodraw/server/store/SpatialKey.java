package org.histodraw.server.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A hierarchical grid key for region bounding boxes, so that a viewport query reads a few index
 * ranges whose rows are (nearly) all in the result, whatever the size of the layer: O(result), not
 * O(layer), with nothing but a B-tree index on {@code (slice_id, cell)}.
 *
 * <p>Grid level L has square cells of {@code 256 << L} pixels. A region goes to the smallest level
 * whose cell is at least as large as its longer bounding-box side, in the cell holding its top-left
 * corner; so it reaches at most one cell further right and down. Regions of at most 128 pixels are
 * further sorted by size into {@value #SIZE_BUCKETS} buckets ({@code <= 16, 32, 64, 128} px) that
 * share level 0's cells: a zoomed-out query skips whole buckets of regions smaller than a screen
 * pixel (level of detail) instead of reading and dropping them one by one.
 *
 * <p>The key packs {@code band | row | column}, where band is the size bucket (0..3) or
 * {@code 4 + level}, so that one grid row of one band is one contiguous key range. A query visits,
 * per band, the rows the viewport touches (plus one cell up and left); when that is more than
 * {@value #MAX_ROW_RANGES} rows it takes the band's rows as one range and lets the bounding-box
 * columns filter, which costs the band, still bounded by the viewport's height.
 */
public final class SpatialKey {
    static final int MAX_LEVEL = 30;
    static final int MAX_ROW_RANGES = 16;
    /** Bands below the grid levels that hold small regions by size: at most 16, 32, 64, 128 px. */
    static final int SIZE_BUCKETS = 4;
    private static final long MASK = (1L << 28) - 1;

    /** One key range of one band; the longer side of every box in it is above {@code smallest}, at most {@code largest}. */
    public record Range(long from, long to, double smallest, double largest) {
    }

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

    /** The band of a box: its size bucket, or 4 + its grid level (at most the top level). */
    static int band(double minX, double minY, double maxX, double maxY, int maxLevel) {
        double size = Math.max(maxX - minX, maxY - minY);
        for (int b = 0; b < SIZE_BUCKETS; b++) {
            if (size <= 16L << b) {
                return b;
            }
        }
        return SIZE_BUCKETS + Math.min(maxLevel, level(minX, minY, maxX, maxY));
    }

    private static long cellSize(int band) {
        return band < SIZE_BUCKETS ? 256L : 256L << (band - SIZE_BUCKETS);
    }

    /** The longest box side a band holds (its top level holds anything larger too). */
    private static double largest(int band, int maxLevel) {
        if (band < SIZE_BUCKETS) {
            return 16L << band;
        }
        return band - SIZE_BUCKETS >= maxLevel ? Double.POSITIVE_INFINITY : 256L << (band - SIZE_BUCKETS);
    }

    /** The key of a region's box on a slide whose top level is {@code maxLevel} ({@link #maxLevelFor}). */
    public static long cell(double minX, double minY, double maxX, double maxY, int maxLevel) {
        int band = band(minX, minY, maxX, maxY, maxLevel);
        long size = cellSize(band);
        long cx = Math.min(MASK, (long) Math.floor(Math.max(0, minX) / size));
        long cy = Math.min(MASK, (long) Math.floor(Math.max(0, minY) / size));
        return key(band, cy, cx);
    }

    static long key(int band, long row, long column) {
        return (long) band << 56 | row << 28 | column;
    }

    /** As {@link #ranges(double, double, double, double, int)}, as bare {@code [from, to]} pairs. */
    public static List<long[]> ranges(double x0, double y0, double x1, double y1, int maxLevel) {
        List<long[]> out = new ArrayList<>();
        for (Range r : bandRanges(x0, y0, x1, y1, maxLevel)) {
            out.add(new long[] {r.from(), r.to()});
        }
        return out;
    }

    /**
     * Key ranges that hold every region whose box may meet the query box, for regions no larger
     * than {@code 256 << maxLevel} (larger ones sit at the top level, always visited).
     */
    public static List<Range> bandRanges(double x0, double y0, double x1, double y1, int maxLevel) {
        List<Range> out = new ArrayList<>();
        int top = SIZE_BUCKETS + Math.min(maxLevel, MAX_LEVEL);
        for (int band = 0; band <= top; band++) {
            long size = cellSize(band);
            double largest = largest(band, maxLevel);
            double smallest = band == 0 ? 0 : band < SIZE_BUCKETS ? 8L << band : 128L << (band - SIZE_BUCKETS);
            long cx0 = clamp((long) Math.floor(x0 / size) - 1);
            long cx1 = clamp((long) Math.floor(x1 / size));
            long cy0 = clamp((long) Math.floor(y0 / size) - 1);
            long cy1 = clamp((long) Math.floor(y1 / size));
            if (band == top) {
                // Regions larger than the top level's cells are clamped into it at their corner cell.
                cx0 = 0;
                cy0 = 0;
            }
            if (cy1 - cy0 + 1 > MAX_ROW_RANGES) {
                out.add(new Range(key(band, cy0, 0), key(band, cy1, MASK), smallest, largest));
            } else {
                for (long cy = cy0; cy <= cy1; cy++) {
                    out.add(new Range(key(band, cy, cx0), key(band, cy, cx1), smallest, largest));
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
