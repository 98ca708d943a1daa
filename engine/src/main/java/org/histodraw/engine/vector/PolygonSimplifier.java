package org.histodraw.engine.vector;

import java.util.ArrayList;
import java.util.List;

/**
 * Simplifies polygons traced from class maps: Douglas–Peucker per ring ({@link DouglasPeuckerRing})
 * with a tolerance in pixels, then optional Chaikin corner cutting that turns the pixel staircase
 * into smooth outlines. This class is the walk over polygons that keeps them valid; the line
 * algorithm is the kernel's.
 *
 * <p>Guaranteed, for a valid input polygon (as {@link PolygonValidity} defines it): the result is
 * valid too. Every ring stays simple, keeps its orientation and at least 3 vertices, holes stay
 * inside the shell and do not cross each other. When simplifying (or smoothing) a ring would break
 * this, that ring is redone with less smoothing, then with half the tolerance, and in the end kept
 * as it was; so a ring is never dropped, only simplified less. A simplified vertex lies within
 * {@code tolerance} of the original outline; smoothing moves the outline by at most a quarter of
 * an edge at each corner per pass.
 *
 * <p>Not guaranteed: neighbouring polygons are simplified independently, so where two polygons
 * (e.g. of different classes) share a border, the simplified borders may overlap or leave a thin
 * gap of up to about the tolerance. A topology-preserving variant that simplifies each shared
 * border once is future work; rasterise the unsimplified polygons when the labels must tile the
 * image exactly. Invalid input is simplified as far as it can be, but stays invalid.
 *
 * <p>Use {@link #simplify(Polygon, double)} for the common case, or configure an instance:
 * {@code PolygonSimplifier.withTolerance(1.0).smoothing(2).apply(polygons)}. Instances are
 * immutable and thread-safe.
 */
public final class PolygonSimplifier {
    /** Each pass doubles the vertices; more than this is never useful on pixel outlines. */
    public static final int MAX_SMOOTHING = 6;

    private final double tolerance;
    private final int smoothing;

    private PolygonSimplifier(double tolerance, int smoothing) {
        this.tolerance = tolerance;
        this.smoothing = smoothing;
    }

    /** Douglas–Peucker with {@code tolerance} pixels, no smoothing. */
    public static Polygon simplify(Polygon polygon, double tolerance) {
        return withTolerance(tolerance).apply(polygon);
    }

    /** A simplifier removing detail smaller than {@code tolerance} pixels (0 keeps every vertex). */
    public static PolygonSimplifier withTolerance(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0: " + tolerance);
        }
        return new PolygonSimplifier(tolerance, 0);
    }

    /** The same simplifier followed by {@code iterations} passes of Chaikin corner cutting (0 = none). */
    public PolygonSimplifier smoothing(int iterations) {
        if (iterations < 0 || iterations > MAX_SMOOTHING) {
            throw new IllegalArgumentException("smoothing passes must be 0.." + MAX_SMOOTHING + ": " + iterations);
        }
        return new PolygonSimplifier(tolerance, iterations);
    }

    public double tolerance() {
        return tolerance;
    }

    public int smoothingPasses() {
        return smoothing;
    }

    public List<ClassifiedPolygon> apply(List<ClassifiedPolygon> polygons) {
        List<ClassifiedPolygon> out = new ArrayList<>(polygons.size());
        for (ClassifiedPolygon p : polygons) {
            out.add(apply(p));
        }
        return out;
    }

    public ClassifiedPolygon apply(ClassifiedPolygon polygon) {
        return new ClassifiedPolygon(polygon.imageClass(), apply(polygon.polygon()));
    }

    public Polygon apply(Polygon polygon) {
        return simplified(polygon, false);
    }

    /**
     * The holes of a polygon simplified as {@link #apply} does, against its shell taken as it is:
     * for the holes of a region too large to hold at once, simplified part by part against the
     * shell simplified once (every hole stays inside that shell, and the holes of one part do not
     * cross each other).
     */
    public List<Ring> simplifyHoles(Ring shell, List<Ring> holes) {
        return simplified(new Polygon(shell, holes), true).holes();
    }

    private Polygon simplified(Polygon polygon, boolean shellAsItIs) {
        List<Ring> original = new ArrayList<>();
        original.add(polygon.shell());
        original.addAll(polygon.holes());
        List<double[]> attempts = attempts();
        int rings = original.size();
        int[] level = new int[rings];
        Ring[] current = new Ring[rings];
        for (int r = 0; r < rings; r++) {
            if (r == 0 && shellAsItIs) {
                level[0] = attempts.size();
                current[0] = original.get(0);
                continue;
            }
            current[r] = firstUsable(original.get(r), attempts, level, r);
        }
        while (true) {
            Polygon candidate = assemble(current);
            List<PolygonValidity.Problem> problems = PolygonValidity.problems(candidate, shellAsItIs);
            if (problems.isEmpty()) {
                return candidate;
            }
            boolean[] redo = new boolean[rings];
            for (PolygonValidity.Problem p : problems) {
                redo[p.ring()] = true;
                if (p.otherRing() >= 0) {
                    redo[p.otherRing()] = true;
                }
            }
            boolean changed = false;
            for (int r = 0; r < rings; r++) {
                if (redo[r] && level[r] < attempts.size()) {
                    level[r]++;
                    current[r] = firstUsable(original.get(r), attempts, level, r);
                    changed = true;
                }
            }
            if (!changed) {
                return candidate; // the input itself is invalid there
            }
        }
    }

    /** (tolerance, smoothing passes) to try in turn; past the last one the ring stays as it was. */
    private List<double[]> attempts() {
        List<double[]> a = new ArrayList<>();
        for (int s = smoothing; s >= 0; s--) {
            a.add(new double[] {tolerance, s});
        }
        if (tolerance > 0) {
            a.add(new double[] {tolerance / 2, 0});
            a.add(new double[] {tolerance / 4, 0});
        }
        return a;
    }

    /**
     * The ring simplified at {@code level[r]}, or at the next level that gives a ring with at least
     * 3 vertices, a non-zero area and the original orientation (level is advanced accordingly).
     */
    private static Ring firstUsable(Ring ring, List<double[]> attempts, int[] level, int r) {
        double originalArea = ring.signedArea();
        while (level[r] < attempts.size()) {
            double[] attempt = attempts.get(level[r]);
            double[] xy = simplifyRing(ring, attempt[0], (int) attempt[1]);
            if (xy != null) {
                Ring candidate = Ring.wrap(xy);
                double area = candidate.signedArea();
                if (area != 0 && (area > 0) == (originalArea > 0)) {
                    return candidate;
                }
            }
            level[r]++;
        }
        return ring;
    }

    private static Polygon assemble(Ring[] rings) {
        List<Ring> holes = new ArrayList<>(rings.length - 1);
        for (int i = 1; i < rings.length; i++) {
            holes.add(rings[i]);
        }
        return new Polygon(rings[0], holes);
    }

    /** Douglas–Peucker then Chaikin; null when fewer than 3 vertices remain. */
    static double[] simplifyRing(Ring ring, double tolerance, int passes) {
        double[] xy = ring.coordinates();
        if (tolerance > 0) {
            xy = DouglasPeuckerRing.simplify(xy, xy.length / 2, tolerance);
            if (xy.length < 6) {
                return null;
            }
        }
        for (int i = 0; i < passes; i++) {
            xy = chaikin(xy);
        }
        return xy;
    }

    /** One pass of Chaikin corner cutting: each edge keeps its middle half. */
    static double[] chaikin(double[] xy) {
        int n = xy.length / 2;
        double[] out = new double[4 * n];
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double px = xy[2 * i];
            double py = xy[2 * i + 1];
            double qx = xy[2 * j];
            double qy = xy[2 * j + 1];
            out[4 * i] = 0.75 * px + 0.25 * qx;
            out[4 * i + 1] = 0.75 * py + 0.25 * qy;
            out[4 * i + 2] = 0.25 * px + 0.75 * qx;
            out[4 * i + 3] = 0.25 * py + 0.75 * qy;
        }
        return out;
    }
}
