package org.histodraw.engine.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that a polygon is valid in the OGC sense that matters for labels and exports:
 * <ul>
 *   <li>every ring has finite coordinates, no zero-length edge and a non-zero area ({@link Ring}
 *       already guarantees 3 vertices);</li>
 *   <li>every ring is simple: its edges meet only where consecutive edges share a vertex;</li>
 *   <li>rings meet each other at most in single points where they touch without crossing
 *       (no crossing, no shared piece of edge);</li>
 *   <li>every hole lies inside the shell, and no hole lies inside another hole.</li>
 * </ul>
 * Not checked: that the interior is connected (rings touching in a cycle of points), and ring
 * orientation (any orientation is accepted). Coordinates are compared exactly (no tolerance).
 *
 * <p>Rings are numbered 0 for the shell and {@code i + 1} for hole {@code i}.
 */
public final class PolygonValidity {

    /** What is wrong. */
    public enum Kind {
        NOT_FINITE, ZERO_LENGTH_EDGE, ZERO_AREA, SELF_INTERSECTION, RINGS_CROSS,
        HOLE_OUTSIDE_SHELL, NESTED_HOLES
    }

    /** One problem, at a point; {@code otherRing} is -1 when only one ring is involved. */
    public record Problem(Kind kind, int ring, int otherRing, double x, double y) {
        public String message() {
            String where = " at (" + x + ", " + y + ")";
            return switch (kind) {
                case NOT_FINITE -> ringName(ring) + " has a coordinate that is not a finite number";
                case ZERO_LENGTH_EDGE -> ringName(ring) + " repeats a vertex" + where;
                case ZERO_AREA -> ringName(ring) + " has zero area";
                case SELF_INTERSECTION -> ringName(ring) + " intersects itself" + where;
                case RINGS_CROSS -> ringName(ring) + " crosses " + ringName(otherRing) + where;
                case HOLE_OUTSIDE_SHELL -> ringName(ring) + " is not inside the shell";
                case NESTED_HOLES -> ringName(ring) + " lies inside " + ringName(otherRing);
            };
        }

        private static String ringName(int ring) {
            return ring == 0 ? "shell" : "hole " + (ring - 1);
        }
    }

    private PolygonValidity() {
    }

    public static boolean isValid(Polygon polygon) {
        return problems(polygon).isEmpty();
    }

    /** Fails with an IllegalArgumentException naming the first problem. */
    public static void check(Polygon polygon) {
        List<Problem> problems = problems(polygon);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid polygon: " + problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
    }

    /** Every problem found (empty when valid). */
    public static List<Problem> problems(Polygon polygon) {
        return problems(polygon, false);
    }

    /**
     * As {@link #problems(Polygon)}, but with {@code shellKnownValid} the shell is taken as valid
     * on its own (a ring already checked, e.g. simplified once for all the parts of a region's
     * holes): its edges are tested against the holes', not against each other.
     */
    static List<Problem> problems(Polygon polygon, boolean shellKnownValid) {
        List<Ring> rings = new ArrayList<>();
        rings.add(polygon.shell());
        rings.addAll(polygon.holes());
        List<Problem> problems = new ArrayList<>();
        boolean usable = true;
        for (int r = 0; r < rings.size(); r++) {
            usable &= checkRing(rings.get(r), r, problems);
        }
        if (!usable) {
            return problems; // intersection tests need finite vertices and edges of positive length
        }
        SegmentIndex index = SegmentIndex.of(rings, shellKnownValid);
        boolean[] crossed = findIntersections(index, shellKnownValid, problems);
        checkContainment(index, crossed, problems);
        return problems;
    }

    private static boolean checkRing(Ring ring, int r, List<Problem> problems) {
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(ring.x(i)) || !Double.isFinite(ring.y(i))) {
                problems.add(new Problem(Kind.NOT_FINITE, r, -1, ring.x(i), ring.y(i)));
                return false;
            }
        }
        boolean ok = true;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            if (ring.x(i) == ring.x(j) && ring.y(i) == ring.y(j)) {
                problems.add(new Problem(Kind.ZERO_LENGTH_EDGE, r, -1, ring.x(i), ring.y(i)));
                ok = false;
            }
        }
        if (ring.signedArea() == 0) {
            problems.add(new Problem(Kind.ZERO_AREA, r, -1, ring.x(0), ring.y(0)));
        }
        return ok;
    }

    /** Pairwise edge tests through the grid; returns which rings take part in a crossing. */
    private static boolean[] findIntersections(SegmentIndex index, boolean shellKnownValid, List<Problem> problems) {
        int edges = index.edgeCount;
        int[] stamp = new int[edges];
        Arrays.fill(stamp, -1);
        boolean[] crossed = new boolean[index.rings.size()];
        double[] at = new double[2];
        // Each pair is tested once, from its lower edge; with a shell known valid, from the hole's
        // edge (the shell's edges, numbered first, are then not walked).
        int shellEdges = shellKnownValid ? index.ringSize(0) : 0;
        // The run of entries last looked up: consecutive edges of a ring mostly share their cells.
        int lastRow = -1, lastFrom = -1, lastTo = -1, runStart = 0, runEnd = 0;
        for (int s = shellEdges; s < edges; s++) {
            int cy1 = index.row(Math.max(index.ay(s), index.by(s)));
            for (int cy = index.row(Math.min(index.ay(s), index.by(s))); cy <= cy1; cy++) {
                // the cells of this row that edge s passes through: one run of entries
                int from = index.columnFrom(s, cy), to = index.columnTo(s, cy);
                if (cy != lastRow || from != lastFrom || to != lastTo) {
                    lastRow = cy;
                    lastFrom = from;
                    lastTo = to;
                    runStart = index.cellFrom(from, cy);
                    runEnd = index.cellsTo(to, cy);
                }
                for (int k = runStart, end = runEnd; k < end; k++) {
                    int t = index.cellEdge(k);
                    if (t <= s && t >= shellEdges || stamp[t] == s) {
                        continue;
                    }
                    stamp[t] = s;
                    Problem p = test(index, s, t, at);
                    if (p != null) {
                        problems.add(p);
                        crossed[p.ring()] = true;
                        if (p.otherRing() >= 0) {
                            crossed[p.otherRing()] = true;
                        }
                    }
                }
            }
        }
        return crossed;
    }

    private static Problem test(SegmentIndex ix, int s, int t, double[] at) {
        int rs = ix.ringOf[s];
        int rt = ix.ringOf[t];
        double ax = ix.ax(s), ay = ix.ay(s), bx = ix.bx(s), by = ix.by(s);
        double cx = ix.ax(t), cy = ix.ay(t), dx = ix.bx(t), dy = ix.by(t);
        int kind = Geometry.intersect(ax, ay, bx, by, cx, cy, dx, dy, at);
        if (kind == Geometry.NONE) {
            return null;
        }
        if (rs == rt) {
            int n = ix.ringSize(rs);
            int ls = ix.local(s);
            int lt = ix.local(t);
            boolean adjacent = (ls + 1) % n == lt || (lt + 1) % n == ls;
            if (adjacent && kind == Geometry.TOUCH) {
                return null; // consecutive edges meet at their shared vertex
            }
            if (kind == Geometry.PROPER) {
                double[] p = crossingPoint(ax, ay, bx, by, cx, cy, dx, dy);
                return new Problem(Kind.SELF_INTERSECTION, rs, -1, p[0], p[1]);
            }
            return new Problem(Kind.SELF_INTERSECTION, rs, -1, kind == Geometry.TOUCH ? at[0] : cx,
                    kind == Geometry.TOUCH ? at[1] : cy);
        }
        if (kind == Geometry.PROPER) {
            double[] p = crossingPoint(ax, ay, bx, by, cx, cy, dx, dy);
            return new Problem(Kind.RINGS_CROSS, rs, rt, p[0], p[1]);
        }
        if (kind == Geometry.OVERLAP) {
            return new Problem(Kind.RINGS_CROSS, rs, rt, cx, cy);
        }
        // a touch: fine unless the rings cross through the shared point
        return crossesAt(ix, rs, rt, at[0], at[1]) ? new Problem(Kind.RINGS_CROSS, rs, rt, at[0], at[1]) : null;
    }

    /**
     * Do rings r1 and r2, which meet at p, cross there? Each ring passing through p contributes the
     * directions to its neighbours along the ring; the rings cross when one ring's pair of directions
     * is split by the other's, or when they share a direction (a common piece of edge).
     */
    static boolean crossesAt(SegmentIndex ix, int r1, int r2, double px, double py) {
        double[] w1 = wedges(ix, r1, px, py);
        double[] w2 = wedges(ix, r2, px, py);
        for (int i = 0; i < w1.length; i += 4) {
            for (int j = 0; j < w2.length; j += 4) {
                if (wedgesCross(w1, i, w2, j)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean wedgesCross(double[] w1, int i, double[] w2, int j) {
        double ax = w1[i], ay = w1[i + 1], bx = w1[i + 2], by = w1[i + 3];
        double cx = w2[j], cy = w2[j + 1], dx = w2[j + 2], dy = w2[j + 3];
        if (Geometry.sameDirection(ax, ay, cx, cy) || Geometry.sameDirection(ax, ay, dx, dy)
                || Geometry.sameDirection(bx, by, cx, cy) || Geometry.sameDirection(bx, by, dx, dy)) {
            return true;
        }
        boolean cIn = Geometry.strictlyBetween(ax, ay, bx, by, cx, cy);
        boolean dIn = Geometry.strictlyBetween(ax, ay, bx, by, dx, dy);
        return cIn != dIn;
    }

    /**
     * For each place where ring {@code r} passes through p (at a vertex, or across an edge), the
     * directions from p to the previous and to the next vertex: 4 numbers per passage. Only the
     * edges in p's grid cell can contain p.
     */
    private static double[] wedges(SegmentIndex ix, int r, double px, double py) {
        double[] out = new double[8];
        int k = 0;
        int cx = ix.column(px);
        int cy = ix.row(py);
        for (int c = ix.cellFrom(cx, cy), end = ix.cellsTo(cx, cy); c < end; c++) {
            int e = ix.cellEdge(c);
            if (ix.ringOf[e] != r) {
                continue;
            }
            double xa = ix.ax(e), ya = ix.ay(e), xb = ix.bx(e), yb = ix.by(e);
            double fromX;
            double fromY;
            if (xa == px && ya == py) {
                int previous = ix.edge(r, ix.local(e) - 1);
                fromX = ix.ax(previous);
                fromY = ix.ay(previous);
            } else if (!(xb == px && yb == py) && Geometry.onSegment(xa, ya, xb, yb, px, py)) {
                fromX = xa;
                fromY = ya;
            } else {
                continue;
            }
            if (k + 4 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[k++] = fromX - px;
            out[k++] = fromY - py;
            out[k++] = xb - px;
            out[k++] = yb - py;
        }
        return Arrays.copyOf(out, k);
    }

    private static double[] crossingPoint(double ax, double ay, double bx, double by,
                                          double cx, double cy, double dx, double dy) {
        double d = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
        double t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / d;
        return new double[] {ax + t * (bx - ax), ay + t * (by - ay)};
    }

    /**
     * With no crossings, a hole is inside another ring exactly when a point of its boundary is; one
     * ray per hole through the grid finds every ring around that point at once.
     */
    /**
     * Every hole inside the shell and in no other hole: a point of each hole (the midpoint of its
     * first edge that lies on no other ring) is located against the shell and against the few holes
     * whose bounding box holds it ({@link RingBoxes}); no other ring can hold it.
     */
    private static void checkContainment(SegmentIndex index, boolean[] crossed, List<Problem> problems) {
        int rings = index.rings.size();
        if (rings == 1 || crossed[0]) {
            return; // no holes, or containment is undefined for a crossing shell (already reported)
        }
        RingBoxes boxes = new RingBoxes(index.rings);
        RingLocator locator = new RingLocator(index.rings);
        int[] near = new int[rings];
        int[] where = new int[rings];
        for (int h = 1; h < rings; h++) {
            if (crossed[h]) {
                continue;
            }
            Ring ring = index.rings.get(h);
            boolean decided = false;
            double mx = 0;
            double my = 0;
            for (int i = 0; i < ring.size() && !decided; i++) {
                int j = (i + 1) % ring.size();
                mx = (ring.x(i) + ring.x(j)) / 2;
                my = (ring.y(i) + ring.y(j)) / 2;
                int inShell = locator.locate(0, mx, my);
                int n = boxes.containing(mx, my, h, near);
                decided = inShell != RingLocator.ON; // on another ring too: try the next edge
                for (int t = 0; t < n && decided; t++) {
                    where[t] = locator.locate(near[t], mx, my);
                    decided = where[t] != RingLocator.ON;
                }
                if (decided) {
                    if (inShell != RingLocator.INSIDE) {
                        problems.add(new Problem(Kind.HOLE_OUTSIDE_SHELL, h, 0, mx, my));
                    }
                    for (int t = 0; t < n; t++) {
                        if (where[t] == RingLocator.INSIDE && !crossed[near[t]]) {
                            problems.add(new Problem(Kind.NESTED_HOLES, h, near[t], mx, my));
                        }
                    }
                }
            }
            if (!decided) {
                problems.add(new Problem(Kind.HOLE_OUTSIDE_SHELL, h, 0, mx, my)); // lies entirely on other rings
            }
        }
    }

    /**
     * Where a point lies against one ring, by a ray cast to the right (the step of
     * {@link SegmentIndex#locateAll}, {@link Geometry#rayCrossing}): rings of a few edges are walked edge by edge, larger ones
     * (the shell of a tissue region) through their own grid, built on first use.
     */
    private static final class RingLocator {
        static final int OUTSIDE = 0;
        static final int INSIDE = 1;
        static final int ON = 2;
        /** Rings up to this many edges are walked directly. */
        private static final int DIRECT_EDGES = 32;

        private final List<Ring> rings;
        private final boolean[] inside = new boolean[1];
        private final boolean[] boundary = new boolean[1];
        private final boolean[] listed = new boolean[1];
        private final int[] touched = new int[1];

        RingLocator(List<Ring> rings) {
            this.rings = rings;
        }

        int locate(int r, double px, double py) {
            Ring ring = rings.get(r);
            int n = ring.size();
            if (n > DIRECT_EDGES) {
                int met = ring.locator().locateAll(px, py, inside, boundary, listed, touched);
                int result = met == 0 ? OUTSIDE : boundary[0] ? ON : inside[0] ? INSIDE : OUTSIDE;
                inside[0] = false;
                boundary[0] = false;
                listed[0] = false;
                return result;
            }
            boolean in = false;
            for (int i = 0; i < n; i++) {
                int j = i + 1 == n ? 0 : i + 1;
                double xa = ring.x(i), ya = ring.y(i), xb = ring.x(j), yb = ring.y(j);
                if (Geometry.onSegment(xa, ya, xb, yb, px, py)) {
                    return ON;
                }
                if (Geometry.rayCrossing(xa, ya, xb, yb, py) > px) { // NaN (no crossing) is not
                    in = !in;
                }
            }
            return in ? INSIDE : OUTSIDE;
        }
    }
}
