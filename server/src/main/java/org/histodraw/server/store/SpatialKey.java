package org.histodraw.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

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
 * <p>The key packs {@code band << 56 | morton(row, column)}, where band is the size bucket (0..3)
 * or {@code 4 + level}, and the Morton (Z-order) code interleaves the cell's row and column bits, so
 * that a quadtree node of cells is one contiguous key range. A query covers its rectangle of cells
 * (plus one cell up and left) per band with at most {@value #MAX_RANGES} such ranges; the cells
 * of edge nodes outside the rectangle are its only waste, filtered by the bounding-box columns.
 */
public final class SpatialKey {
    static final int MAX_LEVEL = 30;
    /** Key ranges per band a query may read; more would cost more in SQL than they save in rows. */
    static final int MAX_RANGES = 16;
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

    /** Band, then the cell's Morton (Z-order) code: column bits at even places, row bits at odd ones. */
    static long key(int band, long row, long column) {
        return (long) band << 56 | spread(column) | spread(row) << 1;
    }

    /** Spreads the low 28 bits of v to the even bit places. */
    private static long spread(long v) {
        v &= MASK;
        v = (v | v << 16) & 0x0000FFFF0000FFFFL;
        v = (v | v << 8) & 0x00FF00FF00FF00FFL;
        v = (v | v << 4) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | v << 2) & 0x3333333333333333L;
        v = (v | v << 1) & 0x5555555555555555L;
        return v;
    }

    /** As {@link #bandRanges}, as bare {@code [from, to]} pairs. */
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
            // One cell more up and left: a region reaches at most one cell right and down of its key's cell.
            long cx0 = clamp((long) Math.floor(x0 / size) - 1);
            long cx1 = clamp((long) Math.floor(x1 / size));
            long cy0 = clamp((long) Math.floor(y0 / size) - 1);
            long cy1 = clamp((long) Math.floor(y1 / size));
            if (band == top) {
                // Regions larger than the top level's cells are clamped into it at their corner cell.
                cx0 = 0;
                cy0 = 0;
            }
            long base = (long) band << 56;
            for (long[] r : cover(cx0, cy0, cx1, cy1)) {
                out.add(new Range(base | r[0], base | r[1], smallest, largest));
            }
        }
        return out;
    }

    /**
     * Morton code ranges covering a rectangle of cells: quadtree nodes inside it are whole ranges;
     * nodes across its edge are split while the ranges stay within {@value #MAX_RANGES}, then
     * taken whole. Adjacent ranges are joined.
     */
    static List<long[]> cover(long cx0, long cy0, long cx1, long cy1) {
        int level = 0;
        while ((cx0 >> level) != (cx1 >> level) || (cy0 >> level) != (cy1 >> level)) {
            level++;
        }
        List<long[]> whole = new ArrayList<>(); // {x, y, level}
        // Edge nodes, largest first: each is split while the budget allows, else read whole.
        PriorityQueue<long[]> partial = new PriorityQueue<>((a, b) -> Long.compare(b[2], a[2]));
        long[] root = {cx0 >> level << level, cy0 >> level << level, level};
        (inside(root, cx0, cy0, cx1, cy1) ? whole : partial).add(root);
        while (!partial.isEmpty()) {
            long[] node = partial.poll();
            long half = 1L << (node[2] - 1);
            List<long[]> children = new ArrayList<>(4);
            for (int q = 0; q < 4; q++) {
                long[] child = {node[0] + (q & 1) * half, node[1] + (q >> 1) * half, node[2] - 1};
                if (child[0] <= cx1 && child[0] + half - 1 >= cx0 && child[1] <= cy1 && child[1] + half - 1 >= cy0) {
                    children.add(child);
                }
            }
            if (whole.size() + partial.size() + children.size() > MAX_RANGES) {
                whole.add(node); // out of budget: this edge node is read whole
                continue;
            }
            for (long[] child : children) {
                (inside(child, cx0, cy0, cx1, cy1) ? whole : partial).add(child);
            }
        }
        List<long[]> ranges = new ArrayList<>();
        for (long[] node : whole) {
            long from = spread(node[0]) | spread(node[1]) << 1;
            ranges.add(new long[] {from, from + (1L << (2 * node[2])) - 1});
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> joined = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                joined.add(r);
            }
        }
        return joined;
    }

    private static boolean inside(long[] node, long cx0, long cy0, long cx1, long cy1) {
        long end = (1L << node[2]) - 1;
        return node[0] >= cx0 && node[0] + end <= cx1 && node[1] >= cy0 && node[1] + end <= cy1;
    }

    /** The highest level worth visiting for a slide of this size (larger regions are clamped into it). */
    public static int maxLevelFor(int width, int height) {
        return Math.min(MAX_LEVEL, level(0, 0, 2.0 * width, 2.0 * height));
    }

    private static long clamp(long v) {
        return Math.max(0, Math.min(MASK, v));
    }
}
