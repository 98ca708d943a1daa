package org.histodraw.server.geometry;

import java.util.Arrays;

/**
 * Douglas-Peucker simplification of one closed ring given as {@code x0, y0, x1, y1, ...}
 * (last point = first). The ring is cut at its first point and the point farthest from it, and
 * each half simplified, so a closed ring never collapses to its start point. The result keeps at
 * least four points (a triangle, closed) whenever the input had them.
 */
final class RingSimplifier {
    private RingSimplifier() {
    }

    static double[] simplify(double[] ring, double tolerance) {
        int n = ring.length / 2;
        if (n <= 4 || tolerance <= 0) {
            return ring;
        }
        int far = 0;
        double best = -1;
        for (int i = 1; i < n - 1; i++) {
            double dx = ring[2 * i] - ring[0], dy = ring[2 * i + 1] - ring[1];
            double d = dx * dx + dy * dy;
            if (d > best) {
                best = d;
                far = i;
            }
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[far] = true;
        keep[n - 1] = true;
        int[] stack = new int[2 * n + 4];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = far;
        stack[top++] = far;
        stack[top++] = n - 1;
        double tol2 = tolerance * tolerance;
        while (top > 0) {
            int b = stack[--top];
            int a = stack[--top];
            int worst = -1;
            double worstD = tol2;
            for (int i = a + 1; i < b; i++) {
                double d = segmentDistance2(ring, i, a, b);
                if (d > worstD) {
                    worstD = d;
                    worst = i;
                }
            }
            if (worst >= 0) {
                keep[worst] = true;
                stack[top++] = a;
                stack[top++] = worst;
                stack[top++] = worst;
                stack[top++] = b;
            }
        }
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        if (kept < 4) {
            // A thin sliver: keep the point farthest from the chord too, so it stays a triangle.
            int extra = -1;
            double extraD = -1;
            for (int i = 1; i < n - 1; i++) {
                if (!keep[i]) {
                    double d = segmentDistance2(ring, i, 0, far);
                    if (d > extraD) {
                        extraD = d;
                        extra = i;
                    }
                }
            }
            if (extra >= 0) {
                keep[extra] = true;
                kept++;
            }
        }
        double[] out = new double[kept * 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[k++] = ring[2 * i];
                out[k++] = ring[2 * i + 1];
            }
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    private static double segmentDistance2(double[] r, int p, int a, int b) {
        double ax = r[2 * a], ay = r[2 * a + 1], bx = r[2 * b], by = r[2 * b + 1];
        double px = r[2 * p], py = r[2 * p + 1];
        double dx = bx - ax, dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        double ex = ax + t * dx - px, ey = ay + t * dy - py;
        return ex * ex + ey * ey;
    }
}
