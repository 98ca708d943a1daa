package org.histodraw.engine.vector;

import java.util.Arrays;
import java.util.List;

/**
 * A closed ring of vertices in pixel coordinates (x to the right, y down), stored flat as
 * {@code x0, y0, x1, y1, ...}. The closing vertex is implied: the first vertex is not repeated.
 */
public final class Ring {
    private final double[] xy;
    /**
     * The ring's own edge grid for locating points, made on first use: a tissue region's shell is
     * located against by each part of its holes, and indexing 20,000 edges for every part cost as
     * much as checking the part. Immutable, so a race only builds it twice.
     */
    private SegmentIndex locator;

    public Ring(double[] xy) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("ring coordinates must come in x, y pairs");
        }
        if (xy.length < 6) {
            throw new IllegalArgumentException("a ring needs at least 3 vertices, got " + xy.length / 2);
        }
        this.xy = xy.clone();
    }

    private Ring(double[] xy, boolean owned) {
        this.xy = xy;
    }

    /** A ring over {@code xy} without copying it; the caller hands the array over and keeps no reference. */
    static Ring wrap(double[] xy) {
        if (xy.length % 2 != 0 || xy.length < 6) {
            return new Ring(xy); // fails with the usual message
        }
        return new Ring(xy, true);
    }

    /** The ring's edges in a grid of their own, for point location ({@link SegmentIndex#locateAll}). */
    SegmentIndex locator() {
        SegmentIndex index = locator;
        if (index == null) {
            index = SegmentIndex.of(List.of(this));
            locator = index;
        }
        return index;
    }

    public int size() {
        return xy.length / 2;
    }

    public double x(int i) {
        return xy[2 * i];
    }

    public double y(int i) {
        return xy[2 * i + 1];
    }

    /** A copy of the flat coordinates. */
    public double[] coordinates() {
        return xy.clone();
    }

    /** Signed area by the shoelace formula; positive when counter-clockwise in a y-up frame. */
    public double signedArea() {
        double s = 0;
        int n = size();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            s += (x(j) * y(i)) - (x(i) * y(j));
        }
        return s / 2;
    }

    public double area() {
        return Math.abs(signedArea());
    }

    /** The bounding box: {min x, min y, max x, max y}. */
    public double[] bounds() {
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size(); i++) {
            minX = Math.min(minX, x(i));
            minY = Math.min(minY, y(i));
            maxX = Math.max(maxX, x(i));
            maxY = Math.max(maxY, y(i));
        }
        return new double[] {minX, minY, maxX, maxY};
    }

    /** Even-odd test: is (px, py) strictly inside? Points on the boundary may go either way. */
    public boolean contains(double px, double py) {
        boolean inside = false;
        int n = size();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            if (Geometry.rayCrossing(x(j), y(j), x(i), y(i), py) > px) { // NaN: the edge does not cross
                inside = !inside;
            }
        }
        return inside;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring r && Arrays.equals(xy, r.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return "Ring[" + size() + " vertices]";
    }
}
