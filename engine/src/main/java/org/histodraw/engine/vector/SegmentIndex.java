package org.histodraw.engine.vector;

import java.util.List;

/**
 * The edges of a polygon's rings in a uniform grid, so that intersection and point-in-ring tests
 * look only at nearby edges: about linear time for the long, short-edged rings a class map gives.
 * Edge {@code e} of ring {@code r} runs from vertex {@code e} to vertex {@code e + 1} (wrapping).
 */
final class SegmentIndex {
    static final int OUTSIDE = 0;
    static final int INSIDE = 1;
    static final int BOUNDARY = 2;

    final List<Ring> rings;
    /** Global edge id -> ring, and the ring's first global edge id. */
    final int[] ringOf;
    final int[] firstEdge;
    final int edgeCount;
    /** Start vertex of every edge, and the edge that follows it along its ring. */
    private final double[] xs;
    private final double[] ys;
    private final int[] nextEdge;
    private final double minX;
    private final double minY;
    private final double cellSize;
    private final int columns;
    private final int rows;
    private final int[] cellStart;
    private final int[] cellEdges;

    SegmentIndex(List<Ring> rings) {
        this.rings = rings;
        firstEdge = new int[rings.size() + 1];
        int total = 0;
        double x0 = Double.POSITIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rings.size(); r++) {
            Ring ring = rings.get(r);
            firstEdge[r] = total;
            total += ring.size();
            double[] box = ring.bounds();
            x0 = Math.min(x0, box[0]);
            y0 = Math.min(y0, box[1]);
            x1 = Math.max(x1, box[2]);
            y1 = Math.max(y1, box[3]);
        }
        firstEdge[rings.size()] = total;
        edgeCount = total;
        ringOf = new int[total];
        xs = new double[total];
        ys = new double[total];
        nextEdge = new int[total];
        for (int r = 0; r < rings.size(); r++) {
            Ring ring = rings.get(r);
            for (int e = firstEdge[r]; e < firstEdge[r + 1]; e++) {
                ringOf[e] = r;
                xs[e] = ring.x(e - firstEdge[r]);
                ys[e] = ring.y(e - firstEdge[r]);
                nextEdge[e] = e + 1 < firstEdge[r + 1] ? e + 1 : firstEdge[r];
            }
        }
        minX = x0;
        minY = y0;
        double extent = Math.max(Math.max(x1 - x0, y1 - y0), 1e-9);
        int cellsPerSide = (int) Math.max(1, Math.min(2048, Math.ceil(Math.sqrt(total / 2.0))));
        cellSize = extent / cellsPerSide;
        columns = Math.max(1, Math.min(cellsPerSide, (int) Math.ceil((x1 - x0) / cellSize)));
        rows = Math.max(1, Math.min(cellsPerSide, (int) Math.ceil((y1 - y0) / cellSize)));
        int[] counts = new int[columns * rows + 1];
        for (int e = 0; e < total; e++) {
            int cx0 = column(Math.min(ax(e), bx(e)));
            int cx1 = column(Math.max(ax(e), bx(e)));
            int cy0 = row(Math.min(ay(e), by(e)));
            int cy1 = row(Math.max(ay(e), by(e)));
            for (int cy = cy0; cy <= cy1; cy++) {
                for (int cx = cx0; cx <= cx1; cx++) {
                    counts[cy * columns + cx + 1]++;
                }
            }
        }
        for (int i = 1; i < counts.length; i++) {
            counts[i] += counts[i - 1];
        }
        cellStart = counts.clone();
        cellEdges = new int[counts[counts.length - 1]];
        for (int e = 0; e < total; e++) {
            int cx0 = column(Math.min(ax(e), bx(e)));
            int cx1 = column(Math.max(ax(e), bx(e)));
            int cy0 = row(Math.min(ay(e), by(e)));
            int cy1 = row(Math.max(ay(e), by(e)));
            for (int cy = cy0; cy <= cy1; cy++) {
                for (int cx = cx0; cx <= cx1; cx++) {
                    cellEdges[counts[cy * columns + cx]++] = e;
                }
            }
        }
    }

    int column(double x) {
        int c = (int) ((x - minX) / cellSize);
        return c < 0 ? 0 : Math.min(c, columns - 1);
    }

    int row(double y) {
        int c = (int) ((y - minY) / cellSize);
        return c < 0 ? 0 : Math.min(c, rows - 1);
    }

    int columns() {
        return columns;
    }

    int rows() {
        return rows;
    }

    int cellFrom(int column, int row) {
        return cellStart[row * columns + column];
    }

    int cellTo(int column, int row) {
        return cellStart[row * columns + column + 1];
    }

    int cellEdge(int i) {
        return cellEdges[i];
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
        for (int cx = cx0; cx < columns; cx++) {
            for (int k = cellFrom(cx, cy); k < cellTo(cx, cy); k++) {
                int e = cellEdges[k];
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
        }
        return count;
    }
}
