package org.histodraw.engine.vector;

import java.util.Arrays;

/**
 * Douglas-Peucker simplification of one closed ring on flat coordinates: the line algorithm alone,
 * apart from any walk over geometries (as JTS keeps {@code DouglasPeuckerLineSimplifier} apart from
 * {@code DouglasPeuckerSimplifier}). Its callers walk their own geometries: {@link PolygonSimplifier}
 * (the vectoriser's polygons, kept valid) and the annotation server's display outlines.
 *
 * <p>The ring is cut at its first vertex and at the vertex farthest from it, so a closed ring never
 * collapses onto its start; each half keeps, recursively, the vertex farthest from its chord while
 * that vertex lies more than {@code tolerance} away. Every kept vertex is an input vertex, in input
 * order, and every dropped one lies within {@code tolerance} of the simplified outline.
 *
 * <p>Not guaranteed: that the result is a simple ring (simplifying may make it cross itself; see
 * {@link PolygonSimplifier} for a validity-preserving walk) or that it keeps 3 vertices: a ring thinner
 * than the tolerance may come down to 2 ({@link #simplifyKeepingTriangle} keeps one more).
 */
public final class DouglasPeuckerRing {
    private DouglasPeuckerRing() {
    }

    /**
     * The kept vertices of the ring made of the first {@code vertices} points of {@code xy}
     * ({@code x0, y0, x1, y1, ...}, the closing vertex not repeated), as a new open ring. A ring of at
     * most 3 vertices, or a tolerance of 0, is returned as it is (a copy of those vertices).
     *
     * @throws IllegalArgumentException for a negative or NaN tolerance, or too few coordinates
     */
    public static double[] simplify(double[] xy, int vertices, double tolerance) {
        return kept(xy, vertices, keep(xy, vertices, tolerance));
    }

    /**
     * As {@link #simplify}, but a ring that would come down to fewer than 3 vertices also keeps the
     * vertex farthest from the line through the two it kept, so it stays a triangle (for display,
     * where a thin sliver should still be seen).
     */
    public static double[] simplifyKeepingTriangle(double[] xy, int vertices, double tolerance) {
        boolean[] keep = keep(xy, vertices, tolerance);
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        if (kept < 3 && vertices > 3) {
            int far = farthestFromStart(xy, vertices);
            int extra = -1;
            double extraD = -1;
            for (int i = 1; i < vertices; i++) {
                if (!keep[i]) {
                    double d = segmentDistance2(xy, 0, far, i);
                    if (d > extraD) {
                        extraD = d;
                        extra = i;
                    }
                }
            }
            keep[extra] = true;
        }
        return kept(xy, vertices, keep);
    }

    private static boolean[] keep(double[] xy, int n, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be a number >= 0: " + tolerance);
        }
        if (n < 0 || 2L * n > xy.length) {
            throw new IllegalArgumentException(n + " vertices need " + 2L * n + " coordinates, got " + xy.length);
        }
        boolean[] keep = new boolean[n];
        if (n <= 3 || tolerance == 0) {
            Arrays.fill(keep, true);
            return keep;
        }
        int far = farthestFromStart(xy, n);
        keep[0] = true;
        keep[far] = true;
        double tol2 = tolerance * tolerance;
        // An explicit stack of (from, to) vertex ranges; 'to' may be n, meaning vertex 0 again.
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = far;
        stack[top++] = far;
        stack[top++] = n;
        while (top > 0) {
            int to = stack[--top];
            int from = stack[--top];
            int worst = -1;
            double worstD = tol2;
            for (int i = from + 1; i < to; i++) {
                double d = segmentDistance2(xy, from, to % n, i);
                if (d > worstD) {
                    worstD = d;
                    worst = i;
                }
            }
            if (worst >= 0) {
                keep[worst] = true;
                if (top + 4 > stack.length) {
                    stack = Arrays.copyOf(stack, stack.length * 2);
                }
                stack[top++] = from;
                stack[top++] = worst;
                stack[top++] = worst;
                stack[top++] = to;
            }
        }
        return keep;
    }

    /** The vertex farthest from vertex 0 (the first of equals). */
    private static int farthestFromStart(double[] xy, int n) {
        int far = 0;
        double best = -1;
        for (int i = 1; i < n; i++) {
            double dx = xy[2 * i] - xy[0];
            double dy = xy[2 * i + 1] - xy[1];
            double d = dx * dx + dy * dy;
            if (d > best) {
                best = d;
                far = i;
            }
        }
        return far;
    }

    private static double[] kept(double[] xy, int n, boolean[] keep) {
        int count = 0;
        for (boolean k : keep) {
            count += k ? 1 : 0;
        }
        double[] out = new double[2 * count];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[j++] = xy[2 * i];
                out[j++] = xy[2 * i + 1];
            }
        }
        return out;
    }

    /** Squared distance from vertex p to the segment from vertex a to vertex b. */
    private static double segmentDistance2(double[] xy, int a, int b, int p) {
        double ax = xy[2 * a], ay = xy[2 * a + 1], bx = xy[2 * b], by = xy[2 * b + 1];
        double px = xy[2 * p], py = xy[2 * p + 1];
        double dx = bx - ax;
        double dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
        t = Math.max(0, Math.min(1, t));
        double ex = ax + t * dx - px;
        double ey = ay + t * dy - py;
        return ex * ex + ey * ey;
    }
}
