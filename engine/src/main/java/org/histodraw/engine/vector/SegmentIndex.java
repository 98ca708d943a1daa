package org.histodraw.engine.vector;

import java.util.Arrays;
import java.util.List;

/**
 * The edges of a polygon's rings in a sparse uniform grid, so that intersection and point-in-ring
 * tests look only at nearby edges: about linear time for the long, short-edged rings a class map
 * gives. Edge {@code e} of ring {@code r} runs from vertex {@code e} to vertex {@code e + 1}
 * (wrapping).
 *
 * <p>Cells are about twice the mean edge length, whatever the rings' extent, and only the cells an
 * edge passes through are kept (sorted row by row): the holes of a tissue region checked part by
 * part occupy a band of a slide-wide shell, and a dense grid sized by the shell's box put dozens
 * of nuclei in each cell. A cell holds every edge that passes through it, so two edges that meet
 * share a cell, and a point on an edge lies in a cell that lists the edge.
 */
final class SegmentIndex {
    /** Rows of cells at most (each has its start in an array) and columns (a column is 31 bits). */
    private static final int MAX_ROWS = 1 << 22;
    private static final int MAX_COLUMNS = 1 << 30;
    /** Up to this many edges, a grid costs more than testing every pair. */
    private static final int ONE_CELL_EDGES = 48;

    final List<Ring> rings;
    /** Global edge id -> ring, and the ring's first global edge id. */
    final int[] ringOf;
    final int[] firstEdge;
    final int edgeCount;
    private final Edges edges;
    /**
     * Start vertex of every edge, and the edge that follows it along its ring: the edges' own arrays
     * (as are the fields above), held here too because the pair tests read them in their inner loop.
     */
    private final double[] xs;
    private final double[] ys;
    private final int[] nextEdge;
    private final double minX;
    private final double minY;
    private final double cellSize;
    private final int columns;
    private final int rows;
    /** The entries row by row, each row's sorted: column in the high 32 bits, edge in the low 32. */
    private final long[] entries;
    /** Where each row's entries start in {@link #entries} (one more for the end). */
    private final int[] rowStart;
    /** Where each cell's entries start (one more for the end), or null for a grid of many empty cells. */
    private final int[] cellStart;
    /** A finer grid that was not built: its long edges would have crossed too many cells. */
    private final boolean overfull;

    /** Every edge of the rings, in cells chosen for them (see {@link #of(List, boolean)}). */
    static SegmentIndex of(List<Ring> rings) {
        return of(rings, false);
    }

    /**
     * The rings' edges in cells of twice their mean length, made finer (a quarter at a time) while
     * some cells are crowded, many edges on a small spot among long ones, as long as the long
     * edges do not then fill too many cells: the pairs tested and the entries both stay about
     * linear in the edges for any rings, the kind a hostile import could hold included. The edges
     * are gathered once; only the grid is made again for a finer try.
     *
     * @param shellNearHolesOnly index only the shell's edges that reach the holes' bounding box (for
     *                           a shell known valid, tested against the holes only: its other edges
     *                           cannot meet them)
     */
    static SegmentIndex of(List<Ring> rings, boolean shellNearHolesOnly) {
        Edges edges = new Edges(rings, shellNearHolesOnly);
        SegmentIndex index = new SegmentIndex(edges, edges.firstCell(), false);
        for (int round = 0; round < MAX_REFINEMENTS && index.crowded(); round++) {
            SegmentIndex finer = new SegmentIndex(edges, index.cellSize / 4, true);
            if (finer.overfull || finer.cellSize >= index.cellSize) {
                break;
            }
            index = finer;
        }
        return index;
    }

    /** Pairs of edges sharing a cell, beyond which a grid is made finer: a few per edge. */
    private static final int MAX_PAIRS_PER_EDGE = 16;
    /** Entries per edge a finer grid may list at most (long edges cross many small cells). */
    private static final int MAX_ENTRIES_PER_EDGE = 16;
    private static final int SLACK = 4096;
    private static final int MAX_REFINEMENTS = 8;

    /** Whether the edges sharing cells make too many pairs to test. */
    private boolean crowded() {
        return pairsSharingCells() > MAX_PAIRS_PER_EDGE * (long) edges.indexedCount + SLACK;
    }

    /** Pairs of entries in the same cell: about the pairs an intersection search tests. */
    long pairsSharingCells() {
        long pairs = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = rowStart[r], end = rowStart[r + 1]; i < end; ) {
                long column = entries[i] >>> 32;
                int j = i + 1;
                while (j < end && entries[j] >>> 32 == column) {
                    j++;
                }
                pairs += (long) (j - i) * (j - i - 1) / 2;
                i = j;
            }
        }
        return pairs;
    }

    /**
     * The rings' edges, gathered once for every grid tried: coordinates, which of them are indexed,
     * and the box and mean length of those.
     */
    private static final class Edges {
        final List<Ring> rings;
        final int[] ringOf;
        final int[] firstEdge;
        final int count;
        final double[] xs;
        final double[] ys;
        final int[] nextEdge;
        /** Which edges are in the grid (null: all), and how many. */
        final boolean[] indexed;
        final int indexedCount;
        /** The box of the indexed edges {x0, y0, x1, y1}, and the mean of their |dx| + |dy|. */
        final double x0, y0, x1, y1;
        final double meanEdge;

        Edges(List<Ring> rings, boolean shellNearHolesOnly) {
            this.rings = rings;
            firstEdge = firstEdges(rings);
            count = firstEdge[rings.size()];
            ringOf = new int[count];
            xs = new double[count];
            ys = new double[count];
            nextEdge = new int[count];
            copyVertices();
            indexed = shellNearHolesOnly && rings.size() > 1 ? nearHoles() : null;
            double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.NEGATIVE_INFINITY};
            double length = 0;
            int counted = 0;
            for (int e = 0; e < count; e++) {
                if (indexed(e)) {
                    double xa = xs[e], ya = ys[e], xb = xs[nextEdge[e]], yb = ys[nextEdge[e]];
                    box[0] = Math.min(box[0], Math.min(xa, xb));
                    box[1] = Math.min(box[1], Math.min(ya, yb));
                    box[2] = Math.max(box[2], Math.max(xa, xb));
                    box[3] = Math.max(box[3], Math.max(ya, yb));
                    length += Math.abs(xb - xa) + Math.abs(yb - ya);
                    counted++;
                }
            }
            indexedCount = counted;
            x0 = box[0];
            y0 = box[1];
            x1 = box[2];
            y1 = box[3];
            meanEdge = counted == 0 ? 0 : length / counted;
        }

        private static int[] firstEdges(List<Ring> rings) {
            int[] first = new int[rings.size() + 1];
            for (int r = 0; r < rings.size(); r++) {
                first[r + 1] = first[r] + rings.get(r).size();
            }
            return first;
        }

        private void copyVertices() {
            for (int r = 0; r < rings.size(); r++) {
                Ring ring = rings.get(r);
                for (int e = firstEdge[r]; e < firstEdge[r + 1]; e++) {
                    ringOf[e] = r;
                    xs[e] = ring.x(e - firstEdge[r]);
                    ys[e] = ring.y(e - firstEdge[r]);
                    nextEdge[e] = e + 1 < firstEdge[r + 1] ? e + 1 : firstEdge[r];
                }
            }
        }

        /** The holes' edges, and the shell's edges that reach the holes' bounding box. */
        private boolean[] nearHoles() {
            double hx0 = Double.POSITIVE_INFINITY, hy0 = Double.POSITIVE_INFINITY;
            double hx1 = Double.NEGATIVE_INFINITY, hy1 = Double.NEGATIVE_INFINITY;
            for (int e = firstEdge[1]; e < count; e++) {
                hx0 = Math.min(hx0, xs[e]);
                hy0 = Math.min(hy0, ys[e]);
                hx1 = Math.max(hx1, xs[e]);
                hy1 = Math.max(hy1, ys[e]);
            }
            boolean[] near = new boolean[count];
            for (int e = 0; e < count; e++) {
                double xa = xs[e], ya = ys[e], xb = xs[nextEdge[e]], yb = ys[nextEdge[e]];
                near[e] = e >= firstEdge[1] || Math.max(xa, xb) >= hx0 && Math.min(xa, xb) <= hx1
                        && Math.max(ya, yb) >= hy0 && Math.min(ya, yb) <= hy1;
            }
            return near;
        }

        boolean indexed(int e) {
            return indexed == null || indexed[e];
        }

        /** The larger side of the indexed edges' box (1 when there are none). */
        double extent() {
            return indexedCount == 0 ? 1 : Math.max(Math.max(x1 - x0, y1 - y0), 1e-9);
        }

        /**
         * The first grid's cell: a few edges are simply all tested against each other (one cell);
         * otherwise twice the mean of |dx| + |dy|, so that an edge lists about |dx| / cell + 3 |dy| /
         * cell + 5 cells, at most about 6.5 entries per edge on average however long some edges are.
         */
        double firstCell() {
            double extent = extent();
            return indexedCount <= ONE_CELL_EDGES ? extent : Math.min(extent, 2 * meanEdge);
        }
    }

    /**
     * A grid of cells of side {@code wanted} (or more, for at most the rows and columns allowed)
     * over the edges; a {@code finer} one is left empty and marked overfull when its long edges
     * would cross too many cells (bounded first from their boxes).
     */
    private SegmentIndex(Edges edges, double wanted, boolean finer) {
        this.edges = edges;
        this.rings = edges.rings;
        this.ringOf = edges.ringOf;
        this.firstEdge = edges.firstEdge;
        this.edgeCount = edges.count;
        this.xs = edges.xs;
        this.ys = edges.ys;
        this.nextEdge = edges.nextEdge;
        boolean none = edges.indexedCount == 0;
        minX = none ? 0 : edges.x0;
        minY = none ? 0 : edges.y0;
        cellSize = Math.max(Math.max((edges.x1 - edges.x0) / MAX_COLUMNS, (edges.y1 - edges.y0) / MAX_ROWS), wanted);
        columns = none ? 1 : cells(edges.x1 - edges.x0, MAX_COLUMNS);
        rows = none ? 1 : cells(edges.y1 - edges.y0, MAX_ROWS);
        overfull = finer && entriesBound() > MAX_ENTRIES_PER_EDGE * (long) edges.indexedCount + SLACK;
        if (overfull) {
            rowStart = new int[] {0, 0};
            entries = new long[0];
            cellStart = null;
            return;
        }
        rowStart = rowStarts();
        entries = placeEntries();
        cellStart = cellStarts();
    }

    /** An upper bound of the entries: the columns of an edge's box, and three per row it crosses. */
    private long entriesBound() {
        long bound = 0;
        for (int e = 0; e < edgeCount; e++) {
            if (edges.indexed(e)) {
                long across = row(Math.max(ay(e), by(e))) - row(Math.min(ay(e), by(e))) + 1L;
                long wide = column(Math.max(ax(e), bx(e))) - column(Math.min(ax(e), bx(e))) + 1L;
                bound += across == 1 ? wide : ax(e) == bx(e) ? across : wide + 3 * across;
            }
        }
        return bound;
    }

    /** Where each row's entries start (one more for the end): the entries of each row counted. */
    private int[] rowStarts() {
        int[] start = new int[rows + 1];
        long n = 0;
        for (int e = 0; e < edgeCount; e++) {
            if (edges.indexed(e)) {
                int cy1 = row(Math.max(ay(e), by(e)));
                for (int cy = row(Math.min(ay(e), by(e))); cy <= cy1; cy++) {
                    int count = columnTo(e, cy) - columnFrom(e, cy) + 1;
                    start[cy + 1] += count;
                    n += count;
                }
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rings too large to index: " + n + " cell entries");
        }
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        return start;
    }

    /** Every edge in every cell it passes through, each row's entries sorted by column. */
    private long[] placeEntries() {
        long[] placed = new long[rowStart[rows]];
        int[] next = Arrays.copyOf(rowStart, rows);
        for (int e = 0; e < edgeCount; e++) {
            if (edges.indexed(e)) {
                int cy1 = row(Math.max(ay(e), by(e)));
                for (int cy = row(Math.min(ay(e), by(e))); cy <= cy1; cy++) {
                    int to = columnTo(e, cy);
                    for (int cx = columnFrom(e, cy); cx <= to; cx++) {
                        placed[next[cy]++] = ((long) cx << 32) | e;
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            Arrays.sort(placed, rowStart[r], rowStart[r + 1]);
        }
        return placed;
    }

    /**
     * Where the cells are not many more than the entries (most rings), each cell's first entry, so
     * that a lookup is one read instead of a search in its row; null otherwise.
     */
    private int[] cellStarts() {
        long cells = (long) columns * rows;
        if (cells > 4L * entries.length + 4096) {
            return null;
        }
        int[] start = new int[(int) cells + 1];
        for (int r = 0; r < rows; r++) {
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
                start[r * columns + (int) (entries[i] >>> 32) + 1]++;
            }
        }
        for (int c = 0; c < cells; c++) {
            start[c + 1] += start[c];
        }
        return start;
    }

    private int cells(double side, int most) {
        return (int) Math.max(1, Math.min(most, Math.ceil(side / cellSize)));
    }

    int column(double x) {
        int c = (int) ((x - minX) / cellSize);
        return c < 0 ? 0 : Math.min(c, columns - 1);
    }

    int row(double y) {
        int c = (int) ((y - minY) / cellSize);
        return c < 0 ? 0 : Math.min(c, rows - 1);
    }


    /**
     * The first column of row {@code cy} that edge {@code e} passes through. An edge within one row
     * covers the columns of its ends, a vertical one its column; a slanted one, in each row, the
     * columns of its points at the row's top and bottom, one more on each side against rounding.
     */
    int columnFrom(int e, int cy) {
        if (columns == 1) {
            return 0;
        }
        int c = column(rowSpan(e, cy, true));
        return slanted(e) ? Math.max(0, c - 1) : c;
    }

    /** The last column of row {@code cy} that edge {@code e} passes through (see {@link #columnFrom}). */
    int columnTo(int e, int cy) {
        if (columns == 1) {
            return 0;
        }
        int c = column(rowSpan(e, cy, false));
        return slanted(e) ? Math.min(columns - 1, c + 1) : c;
    }

    private boolean spansRows(int e) {
        return row(ay(e)) != row(by(e));
    }

    /** Crosses rows and is not vertical: its x in a row is computed, so rounding is allowed for. */
    private boolean slanted(int e) {
        return spansRows(e) && ax(e) != bx(e);
    }

    /** The smallest (or largest) x of edge e within row cy's band of y. */
    private double rowSpan(int e, int cy, boolean smallest) {
        double xa = ax(e), ya = ay(e), xb = bx(e), yb = by(e);
        if (!spansRows(e)) {
            return smallest ? Math.min(xa, xb) : Math.max(xa, xb);
        }
        double top = Math.max(Math.min(ya, yb), minY + cy * cellSize);
        double bottom = Math.min(Math.max(ya, yb), minY + (cy + 1) * cellSize);
        double xt = xa + (xb - xa) * ((top - ya) / (yb - ya));
        double xbot = xa + (xb - xa) * ((bottom - ya) / (yb - ya));
        return smallest ? Math.min(xt, xbot) : Math.max(xt, xbot);
    }

    /** Cell entries in all (an edge is listed once in every cell it passes through). */
    int entryCount() {
        return entries.length;
    }

    /** The first entry of cell (column, row) or of the next cell that has one, in row-major order. */
    int cellFrom(int column, int row) {
        return firstEntry(column, row);
    }

    /** One past the last entry of the cells (column..last, row). */
    int cellsTo(int last, int row) {
        return last + 1 >= columns ? rowStart[row + 1] : firstEntry(last + 1, row);
    }

    /** The edge of entry {@code i}. */
    int cellEdge(int i) {
        return (int) entries[i];
    }

    /** The first entry of cell (column, row), or of the next one in the row that has one (the row's end). */
    private int firstEntry(int column, int row) {
        if (cellStart != null) {
            return cellStart[row * columns + column];
        }
        long wanted = (long) column << 32;
        int lo = rowStart[row], hi = rowStart[row + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[mid] < wanted) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of edge e within its ring. */
    int local(int e) {
        return e - firstEdge[ringOf[e]];
    }

    int ringSize(int ring) {
        return firstEdge[ring + 1] - firstEdge[ring];
    }

    /** Global id of edge {@code i} (wrapping) of {@code ring}. */
    int edge(int ring, int i) {
        int n = ringSize(ring);
        return firstEdge[ring] + Math.floorMod(i, n);
    }

    double ax(int e) {
        return xs[e];
    }

    double ay(int e) {
        return ys[e];
    }

    double bx(int e) {
        return xs[nextEdge[e]];
    }

    double by(int e) {
        return ys[nextEdge[e]];
    }

    /**
     * Casts one ray from (px, py) to the right and records, per ring, whether the point is inside
     * (odd number of crossings) and whether it lies on the ring. The rings met are listed in
     * {@code touched[0..return)} (and flagged in {@code listed}); only their entries are set, and
     * the caller clears them after use.
     */
    int locateAll(double px, double py, boolean[] inside, boolean[] boundary, boolean[] listed, int[] touched) {
        int count = 0;
        int cy = row(py);
        int cx0 = column(px);
        int end = cellsTo(columns - 1, cy);
        for (int k = cellFrom(cx0, cy); k < end; k++) {
            int cx = (int) (entries[k] >>> 32);
            int e = (int) entries[k];
            int r = ringOf[e];
            double xa = ax(e);
            double ya = ay(e);
            double xb = bx(e);
            double yb = by(e);
            if (cx == cx0 && Geometry.onSegment(xa, ya, xb, yb, px, py)) {
                boundary[r] = true;
            } else {
                double xCross = Geometry.rayCrossing(xa, ya, xb, yb, py); // NaN: no crossing
                if (!(xCross > px && column(xCross) == cx)) {
                    continue;
                }
                inside[r] = !inside[r];
            }
            if (!listed[r]) {
                listed[r] = true;
                touched[count++] = r;
            }
        }
        return count;
    }
}
