package org.histodraw.engine.vector;

import java.util.List;

/**
 * The bounding boxes of a polygon's holes on a grid, to find the few holes whose box holds a point:
 * only those can hold it or have it on their outline. A region of a class map can have hundreds of
 * thousands of small holes (the tissue around every nucleus); checking a point against each one,
 * or casting a ray across all of them, made validation the slowest step of a tissue map.
 * Holes whose box spans many cells are kept in one list and tried for every point.
 */
final class RingBoxes {
    /** A ring whose box covers more cells than this is tried for every point instead of being filed. */
    private static final int MAX_CELLS_PER_RING = 64;

    private final double[] minX;
    private final double[] minY;
    private final double[] maxX;
    private final double[] maxY;
    private final double x0;
    private final double y0;
    private final double cellSize;
    private final int columns;
    private final int rows;
    private final int[] cellStart;
    private final int[] cellRings;
    private final int[] wide;

    /** Boxes of rings 1..n-1 of {@code rings} (ring 0, the shell, is not filed). */
    RingBoxes(List<Ring> rings) {
        int n = rings.size();
        minX = new double[n];
        minY = new double[n];
        maxX = new double[n];
        maxY = new double[n];
        double ex0 = Double.POSITIVE_INFINITY, ey0 = Double.POSITIVE_INFINITY;
        double ex1 = Double.NEGATIVE_INFINITY, ey1 = Double.NEGATIVE_INFINITY;
        for (int r = 1; r < n; r++) {
            double[] box = rings.get(r).bounds();
            minX[r] = box[0];
            minY[r] = box[1];
            maxX[r] = box[2];
            maxY[r] = box[3];
            ex0 = Math.min(ex0, box[0]);
            ey0 = Math.min(ey0, box[1]);
            ex1 = Math.max(ex1, box[2]);
            ey1 = Math.max(ey1, box[3]);
        }
        x0 = n > 1 ? ex0 : 0;
        y0 = n > 1 ? ey0 : 0;
        double extent = n > 1 ? Math.max(Math.max(ex1 - ex0, ey1 - ey0), 1e-9) : 1;
        int perSide = (int) Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(n))));
        cellSize = extent / perSide;
        columns = n > 1 ? Math.max(1, Math.min(perSide, (int) Math.ceil((ex1 - ex0) / cellSize))) : 1;
        rows = n > 1 ? Math.max(1, Math.min(perSide, (int) Math.ceil((ey1 - ey0) / cellSize))) : 1;
        int[] counts = new int[columns * rows + 1];
        int wideCount = 0;
        for (int r = 1; r < n; r++) {
            if (cells(r) > MAX_CELLS_PER_RING) {
                wideCount++;
                continue;
            }
            for (int cy = row(minY[r]); cy <= row(maxY[r]); cy++) {
                for (int cx = column(minX[r]); cx <= column(maxX[r]); cx++) {
                    counts[cy * columns + cx + 1]++;
                }
            }
        }
        for (int i = 1; i < counts.length; i++) {
            counts[i] += counts[i - 1];
        }
        cellStart = counts.clone();
        cellRings = new int[counts[counts.length - 1]];
        wide = new int[wideCount];
        wideCount = 0;
        for (int r = 1; r < n; r++) {
            if (cells(r) > MAX_CELLS_PER_RING) {
                wide[wideCount++] = r;
                continue;
            }
            for (int cy = row(minY[r]); cy <= row(maxY[r]); cy++) {
                for (int cx = column(minX[r]); cx <= column(maxX[r]); cx++) {
                    cellRings[counts[cy * columns + cx]++] = r;
                }
            }
        }
    }

    private long cells(int r) {
        return (long) (column(maxX[r]) - column(minX[r]) + 1) * (row(maxY[r]) - row(minY[r]) + 1);
    }

    private int column(double x) {
        int c = (int) ((x - x0) / cellSize);
        return c < 0 ? 0 : Math.min(c, columns - 1);
    }

    private int row(double y) {
        int c = (int) ((y - y0) / cellSize);
        return c < 0 ? 0 : Math.min(c, rows - 1);
    }

    /**
     * The holes other than {@code except} whose box holds (px, py), edges included, into
     * {@code out}; returns how many. Each hole is listed once.
     */
    int containing(double px, double py, int except, int[] out) {
        int count = 0;
        int cell = row(py) * columns + column(px);
        for (int k = cellStart[cell]; k < cellStart[cell + 1]; k++) {
            int r = cellRings[k];
            if (r != except && holds(r, px, py)) {
                out[count++] = r;
            }
        }
        for (int r : wide) {
            if (r != except && holds(r, px, py)) {
                out[count++] = r;
            }
        }
        return count;
    }

    private boolean holds(int r, double px, double py) {
        return px >= minX[r] && px <= maxX[r] && py >= minY[r] && py <= maxY[r];
    }
}
