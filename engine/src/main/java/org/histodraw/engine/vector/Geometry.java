package org.histodraw.engine.vector;

/** Small planar predicates shared by the validity checker and the simplifier. */
final class Geometry {
    static final int NONE = 0;
    /** The segments cross at a point inside both. */
    static final int PROPER = 1;
    /** The segments share a single point that is an end of at least one of them. */
    static final int TOUCH = 2;
    /** The segments are collinear and share a piece of positive length. */
    static final int OVERLAP = 3;

    private Geometry() {
    }

    /** Sign of the turn a -> b -> c: 1, -1, or 0 when collinear. */
    static int orient(double ax, double ay, double bx, double by, double cx, double cy) {
        double v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
        return v > 0 ? 1 : v < 0 ? -1 : 0;
    }

    /**
     * Where the edge a-b crosses the horizontal line at height {@code py}, the one step of casting a
     * ray to the right: NaN when the edge does not straddle the line (one end strictly above it, the
     * other not), else the crossing's x, kept within the edge's own x range against rounding.
     */
    static double rayCrossing(double ax, double ay, double bx, double by, double py) {
        if ((ay > py) == (by > py)) {
            return Double.NaN;
        }
        double x = ax + (py - ay) * (bx - ax) / (by - ay);
        return Math.max(Math.min(ax, bx), Math.min(Math.max(ax, bx), x));
    }

    /** Is p on the closed segment a-b? */
    static boolean onSegment(double ax, double ay, double bx, double by, double px, double py) {
        return orient(ax, ay, bx, by, px, py) == 0
                && px >= Math.min(ax, bx) && px <= Math.max(ax, bx)
                && py >= Math.min(ay, by) && py <= Math.max(ay, by);
    }

    /** How segment a-b meets segment c-d; for {@link #TOUCH} the shared point goes to {@code at[0..1]}. */
    static int intersect(double ax, double ay, double bx, double by,
                         double cx, double cy, double dx, double dy, double[] at) {
        if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)
                || Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) {
            return NONE;
        }
        int o1 = orient(ax, ay, bx, by, cx, cy);
        int o2 = orient(ax, ay, bx, by, dx, dy);
        int o3 = orient(cx, cy, dx, dy, ax, ay);
        int o4 = orient(cx, cy, dx, dy, bx, by);
        if (o1 * o2 < 0 && o3 * o4 < 0) {
            return PROPER;
        }
        if (o1 == 0 && o2 == 0) {
            // collinear: compare along the dominant axis
            boolean useX = Math.abs(bx - ax) + Math.abs(dx - cx) >= Math.abs(by - ay) + Math.abs(dy - cy);
            double s0 = useX ? Math.min(ax, bx) : Math.min(ay, by);
            double s1 = useX ? Math.max(ax, bx) : Math.max(ay, by);
            double t0 = useX ? Math.min(cx, dx) : Math.min(cy, dy);
            double t1 = useX ? Math.max(cx, dx) : Math.max(cy, dy);
            double lo = Math.max(s0, t0);
            double hi = Math.min(s1, t1);
            if (lo > hi) {
                return NONE;
            }
            if (lo < hi) {
                return OVERLAP;
            }
            // a single shared end point
            if (useX ? (ax == lo) : (ay == lo)) {
                at[0] = ax;
                at[1] = ay;
            } else if (useX ? (bx == lo) : (by == lo)) {
                at[0] = bx;
                at[1] = by;
            } else if (useX ? (cx == lo) : (cy == lo)) {
                at[0] = cx;
                at[1] = cy;
            } else {
                at[0] = dx;
                at[1] = dy;
            }
            return TOUCH;
        }
        if (o1 == 0 && onSegment(ax, ay, bx, by, cx, cy)) {
            at[0] = cx;
            at[1] = cy;
            return TOUCH;
        }
        if (o2 == 0 && onSegment(ax, ay, bx, by, dx, dy)) {
            at[0] = dx;
            at[1] = dy;
            return TOUCH;
        }
        if (o3 == 0 && onSegment(cx, cy, dx, dy, ax, ay)) {
            at[0] = ax;
            at[1] = ay;
            return TOUCH;
        }
        if (o4 == 0 && onSegment(cx, cy, dx, dy, bx, by)) {
            at[0] = bx;
            at[1] = by;
            return TOUCH;
        }
        return NONE;
    }

    /**
     * Is direction d strictly inside the angle swept counter-clockwise (in the maths sense of the
     * raw coordinates) from direction a to direction b? a and b must not be zero vectors.
     */
    static boolean strictlyBetween(double ax, double ay, double bx, double by, double dx, double dy) {
        double ab = cross(ax, ay, bx, by);
        double ad = cross(ax, ay, dx, dy);
        double db = cross(dx, dy, bx, by);
        if (ab > 0) {
            return ad > 0 && db > 0;
        }
        if (ab < 0) {
            // reflex angle: inside unless within the closed convex angle from b to a
            double bd = cross(bx, by, dx, dy);
            double da = cross(dx, dy, ax, ay);
            boolean inComplement = bd >= 0 && da >= 0 && !(bd == 0 && dot(bx, by, dx, dy) < 0)
                    && !(da == 0 && dot(dx, dy, ax, ay) < 0);
            return !inComplement;
        }
        if (dot(ax, ay, bx, by) > 0) {
            return false; // a and b coincide: the angle is empty
        }
        return ad > 0; // a half turn
    }

    /** Do directions a and d point the same way? */
    static boolean sameDirection(double ax, double ay, double dx, double dy) {
        return cross(ax, ay, dx, dy) == 0 && dot(ax, ay, dx, dy) > 0;
    }

    static double cross(double ax, double ay, double bx, double by) {
        return ax * by - ay * bx;
    }

    static double dot(double ax, double ay, double bx, double by) {
        return ax * bx + ay * by;
    }
}
