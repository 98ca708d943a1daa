package org.histodraw.engine.vector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;

/**
 * Traces a class map into polygons with holes: one polygon per 4-connected region of one class,
 * in pixel-edge coordinates (pixel {@code (x, y)} covers {@code [x, x+1] x [y, y+1]}, y down).
 * Pixels of class 0 belong to no polygon.
 *
 * <p>Streaming: feed full-width horizontal strips from top to bottom with {@link #accept} and call
 * {@link #finish()} once. The tracer keeps only the previous row and the open (unfinished) boundary
 * chains, so memory depends on the width and the regions still open, not on the image height. A
 * polygon is handed on as soon as its last row has been seen. Regions that span strips (or the
 * tiles a prediction was computed in) come out as one polygon by construction, since the strips
 * only decide when rows arrive, not how they are linked. A region's closed holes wait in memory
 * for its outer ring; with a {@link HoleSpill} they leave memory past a few thousand, so tissue
 * around every nucleus of a slide costs no more memory than a region without holes.
 *
 * <p>Guaranteed: every ring is simple (no repeated vertex, no crossing), has only corner vertices
 * (collinear vertices are never emitted), and lies on the pixel grid; shells have positive
 * {@link Ring#signedArea()} (clockwise on screen), holes negative; every hole lies inside its
 * shell. A hole may touch its shell or another hole at a single vertex (where two pixels of the
 * class meet only diagonally), which OGC allows. Filling every polygon of class {@code k} with
 * {@code k} by the pixel-centre rule reproduces the class map exactly; the area of each polygon is
 * its pixel count. Each ring starts at its top-left vertex (smallest y, then smallest x), so the
 * output is the same however the map is cut into strips.
 *
 * <p>Not thread-safe; one instance per slide. Parallelism belongs to whoever produces the strips.
 * How it works: a scan-line boundary builder. For each lattice point of each row boundary it looks
 * at the four pixels around it and, per class, links the unit edges that meet there (region kept on
 * the right). At a saddle (diagonal pixels of one class) it turns towards the pixel it is walking
 * around, which makes regions 4-connected. Chains are keyed by their open end positions; a chain
 * whose tail meets its own head is a closed ring. A closed hole is handed to an open chain of the
 * region that surrounds it (found at the start of the pixel run below the hole), and travels with
 * it until the region's outer ring closes.
 */
public final class ClassMapVectoriser {
    private static final int UP = 0;
    private static final int LEFT = 1;
    private static final int RIGHT = 2;
    private static final int DOWN = 3;

    /**
     * For each 4-bit mask (top-left, top-right, bottom-left, bottom-right pixel is the class), the
     * pairs (arrival port, departure port) of the class's boundary at the lattice point. Saddles get
     * two pairs, each turning towards the pixel it walks around.
     */
    private static final int[][] PAIRS = new int[16][];

    static {
        for (int mask = 0; mask < 16; mask++) {
            boolean tl = (mask & 8) != 0;
            boolean tr = (mask & 4) != 0;
            boolean bl = (mask & 2) != 0;
            boolean br = (mask & 1) != 0;
            if (mask == 0b1001) {
                PAIRS[mask] = new int[] {UP, LEFT, DOWN, RIGHT};
            } else if (mask == 0b0110) {
                PAIRS[mask] = new int[] {RIGHT, UP, LEFT, DOWN};
            } else {
                int in = -1;
                int out = -1;
                if (tl && !tr) in = UP;
                if (br && !bl) in = DOWN;
                if (bl && !tl) in = LEFT;
                if (tr && !br) in = RIGHT;
                if (tr && !tl) out = UP;
                if (bl && !br) out = DOWN;
                if (tl && !bl) out = LEFT;
                if (br && !tr) out = RIGHT;
                PAIRS[mask] = in < 0 ? new int[0] : new int[] {in, out};
            }
        }
    }

    private final int width;
    private final ClassList classes;
    private final Consumer<ClassifiedPolygon> listener;
    /** Where the holes of large open regions go (null: held in memory). */
    private final HoleSpill spill;
    private long nextSpilledRegion;
    private final List<ClassifiedPolygon> collected = new ArrayList<>();
    private final int maxLabel;

    /** Rows padded with a class-0 pixel on each side: pixel x sits at index x + 1. */
    private byte[] above;
    private byte[] below;

    /** Open chain ends on the current lattice line: tail arriving from above / head leaving upwards. */
    private Chain[] arrive;
    private Chain[] depart;
    private Chain[] nextArrive;
    private Chain[] nextDepart;
    /** Chains passed along the lattice line from the previous lattice point to the current one. */
    private Chain eastIn;
    private Chain westIn;
    private Chain eastOut;
    private Chain westOut;

    private final List<PendingHoles> pendingHoles = new ArrayList<>();
    private int nextRow;
    private boolean finished;
    private int openChains;
    private long polygonsHandedOn;

    /** Collects the polygons; {@link #finish()} returns them. */
    public ClassMapVectoriser(int width, ClassList classes) {
        this(width, classes, null);
    }

    /**
     * Hands each polygon to {@code listener} as soon as it is closed (during {@link #accept} or
     * {@link #finish}); nothing is collected.
     */
    public ClassMapVectoriser(int width, ClassList classes, Consumer<ClassifiedPolygon> listener) {
        this(width, classes, listener, null);
    }

    /**
     * As {@link #ClassMapVectoriser(int, ClassList, Consumer)}, with the holes of open regions
     * beyond {@link HoleSpill#HELD_VERTICES} handed to {@code spill}, and those regions' polygons
     * too (to {@link HoleSpill#close}, not to the listener): memory then depends on the width only,
     * however many holes a region has.
     */
    public ClassMapVectoriser(int width, ClassList classes, Consumer<ClassifiedPolygon> listener, HoleSpill spill) {
        if (spill != null && listener == null) {
            throw new IllegalArgumentException("a hole spill needs a listener: its regions are not collected");
        }
        this.spill = spill;
        if (width <= 0) {
            throw new IllegalArgumentException("class map width must be positive: " + width);
        }
        this.width = width;
        this.classes = Objects.requireNonNull(classes, "classes");
        this.listener = listener;
        this.maxLabel = classes.size();
        this.above = new byte[width + 2];
        this.below = new byte[width + 2];
        this.arrive = new Chain[width + 1];
        this.depart = new Chain[width + 1];
        this.nextArrive = new Chain[width + 1];
        this.nextDepart = new Chain[width + 1];
    }

    /** Traces a whole class map held in memory. */
    public static List<ClassifiedPolygon> vectorise(LabelRaster classMap, ClassList classes) {
        ClassMapVectoriser v = new ClassMapVectoriser(classMap.width(), classes);
        v.accept(classMap, 0);
        return v.finish();
    }

    /** Traces a class map whose labels 1..max are named "Class 1", "Class 2", ... */
    public static List<ClassifiedPolygon> vectorise(LabelRaster classMap) {
        return vectorise(classMap, ClassList.numbered(classMap.maxLabel()));
    }

    /**
     * Feeds the next strip: full image width, starting at image row {@code stripY}, which must be
     * the row after the previous strip (0 for the first).
     */
    public void accept(LabelRaster strip, int stripY) {
        if (finished) {
            throw new IllegalStateException("vectoriser already finished");
        }
        if (strip.width() != width) {
            throw new IllegalArgumentException("strip width " + strip.width() + " differs from image width " + width);
        }
        if (stripY != nextRow) {
            throw new IllegalArgumentException("strip starts at row " + stripY + " but row " + nextRow + " comes next");
        }
        byte[] data = strip.data();
        checkLabels(data, stripY);
        for (int r = 0; r < strip.height(); r++) {
            System.arraycopy(data, r * width, below, 1, width);
            processLine(nextRow);
            byte[] t = above;
            above = below;
            below = t;
            nextRow++;
        }
    }

    /**
     * Closes the regions that reach the last row and returns the collected polygons (empty when a
     * listener received them). Polygons come in the order they closed: by their lowest row, then
     * by the x of their bottom-right corner.
     */
    public List<ClassifiedPolygon> finish() {
        if (finished) {
            throw new IllegalStateException("vectoriser already finished");
        }
        finished = true;
        if (nextRow > 0) {
            Arrays.fill(below, (byte) 0);
            processLine(nextRow);
        }
        if (openChains != 0 || !pendingHoles.isEmpty()) {
            throw new IllegalStateException("internal error: " + openChains + " boundary chains left open");
        }
        arrive = depart = nextArrive = nextDepart = null;
        return List.copyOf(collected);
    }

    /** Rows received so far. */
    public int rowsSeen() {
        return nextRow;
    }

    /** Boundary chains not yet closed: what the tracer holds in memory besides two rows. */
    public int openChains() {
        return openChains;
    }

    /** Polygons closed so far (handed to the listener or collected). */
    public long polygonsClosed() {
        return polygonsHandedOn;
    }

    private void checkLabels(byte[] data, int stripY) {
        if (maxLabel >= 255) {
            return;
        }
        for (int i = 0; i < data.length; i++) {
            if ((data[i] & 0xff) > maxLabel) {
                throw new IllegalArgumentException("class " + (data[i] & 0xff) + " at pixel (" + (i % width) + ", "
                        + (stripY + i / width) + ") is not in the class list of " + maxLabel + " classes");
            }
        }
    }

    /** Links the boundary along lattice line {@code y}, between row {@code y-1} (above) and row {@code y} (below). */
    private void processLine(int y) {
        Arrays.fill(nextArrive, null);
        Arrays.fill(nextDepart, null);
        eastIn = null;
        westIn = null;
        byte[] up = above;
        byte[] down = below;
        for (int x = 0; x <= width; x++) {
            int a = up[x] & 0xff;
            int b = up[x + 1] & 0xff;
            int c = down[x] & 0xff;
            int d = down[x + 1] & 0xff;
            if (a == b && c == d && a == c) {
                continue; // inside a region: no boundary here, and none arrives from the left
            }
            eastOut = null;
            westOut = null;
            if (a != 0) {
                link(a, mask(a, a, b, c, d), x, y);
            }
            if (b != 0 && b != a) {
                link(b, mask(b, a, b, c, d), x, y);
            }
            if (c != 0 && c != a && c != b) {
                link(c, mask(c, a, b, c, d), x, y);
            }
            if (d != 0 && d != a && d != b && d != c) {
                link(d, mask(d, a, b, c, d), x, y);
            }
            eastIn = eastOut;
            westIn = westOut;
        }
        if (!pendingHoles.isEmpty()) {
            attachPendingHoles();
        }
        Chain[] t = arrive;
        arrive = nextArrive;
        nextArrive = t;
        t = depart;
        depart = nextDepart;
        nextDepart = t;
    }

    private static int mask(int k, int a, int b, int c, int d) {
        return (a == k ? 8 : 0) | (b == k ? 4 : 0) | (c == k ? 2 : 0) | (d == k ? 1 : 0);
    }

    private void link(int label, int mask, int x, int y) {
        int[] pairs = PAIRS[mask];
        boolean saddle = pairs.length == 4;
        for (int p = 0; p < pairs.length; p += 2) {
            connect(label, pairs[p], pairs[p + 1], x, y, saddle);
        }
    }

    /** The boundary of {@code label} arrives at lattice point (x, y) through {@code in} and leaves through {@code out}. */
    private void connect(int label, int in, int out, int x, int y, boolean saddle) {
        boolean straight = (in == UP && out == DOWN) || (in == DOWN && out == UP)
                || (in == LEFT && out == RIGHT) || (in == RIGHT && out == LEFT);
        Chain tail = in == UP ? arrive[x].find() : in == LEFT ? eastIn.find() : null;
        Chain head = out == UP ? depart[x].find() : out == LEFT ? westIn.find() : null;
        if (tail != null && head != null) {
            tail.append(x, y);
            if (saddle) {
                tail.markSaddle(x, y);
            }
            openChains--;
            if (tail == head) {
                close(tail, y);
            } else {
                long tailSpilled = tail.spilled;
                long headSpilled = head.spilled;
                Chain survivor = Chain.join(tail, head);
                if (tailSpilled >= 0 && headSpilled >= 0 && tailSpilled != headSpilled) {
                    spill.merge(survivor == tail ? headSpilled : tailSpilled, survivor.spilled);
                }
                spillIfLarge(survivor);
            }
        } else if (tail != null) {
            if (!straight) {
                tail.append(x, y);
                if (saddle) {
                    tail.markSaddle(x, y);
                }
            }
            storeTail(out, x, tail);
        } else if (head != null) {
            if (!straight) {
                head.prepend(x, y);
                if (saddle) {
                    head.markSaddle(x, y);
                }
            }
            storeHead(in, x, head);
        } else {
            Chain fresh = new Chain(label);
            fresh.append(x, y);
            if (saddle) {
                fresh.markSaddle(x, y);
            }
            openChains++;
            storeHead(in, x, fresh);
            storeTail(out, x, fresh);
        }
    }

    /** The chain continues through {@code out}, towards a lattice point not processed yet. */
    private void storeTail(int out, int x, Chain chain) {
        if (out == RIGHT) {
            eastOut = chain;
        } else {
            nextArrive[x] = chain;
        }
    }

    /** The chain comes in through {@code in}, from a lattice point not processed yet. */
    private void storeHead(int in, int x, Chain chain) {
        if (in == RIGHT) {
            westOut = chain;
        } else {
            nextDepart[x] = chain;
        }
    }

    private void close(Chain chain, int y) {
        int[] ring = chain.vertices();
        List<int[]> loops = RingLoops.split(ring, chain.saddles());
        int[] shell = null;
        long holeVertices = chain.holeVertices();
        ArrayDeque<int[]> holes = chain.takeHoles();
        for (int[] loop : loops) {
            if (RingLoops.doubleSignedArea(loop) > 0) {
                if (shell != null) {
                    throw new IllegalStateException("internal error: two outer rings for one region at row " + y);
                }
                shell = loop;
            } else {
                holes.add(loop);
                holeVertices += loop.length / 2;
            }
        }
        if (shell != null) {
            emit(chain.label, shell, holes, chain.spilled);
        } else {
            pendingHoles.add(new PendingHoles(chain.label, holes, holeVertices, probeBelow(ring, y), chain.spilled));
        }
    }

    /** The x of a pixel of the surrounding region just below the bottom of a hole that closed on line y. */
    private static int probeBelow(int[] ring, int y) {
        int n = ring.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            if (ring[2 * i + 1] == y && ring[2 * j + 1] == y && ring[2 * j] > ring[2 * i]) {
                return ring[2 * i];
            }
        }
        throw new IllegalStateException("internal error: hole closed on line " + y + " has no bottom edge there");
    }

    /**
     * Hands each hole closed on this line to an open chain of the region around it: the chain going
     * up the left side of the pixel run (in the row below the line) that lies under the hole.
     */
    private void attachPendingHoles() {
        for (PendingHoles p : pendingHoles) {
            int x = p.probeX;
            while (x > 0 && (below[x] & 0xff) == p.label) { // below[x] is pixel x - 1
                x--;
            }
            Chain owner = nextDepart[x] == null ? null : nextDepart[x].find();
            if (owner == null || owner.label != p.label) {
                throw new IllegalStateException("internal error: no open boundary around a hole of class " + p.label);
            }
            owner.addHoles(p.holes, p.vertices);
            if (p.spilled >= 0) {
                if (owner.spilled < 0) {
                    owner.spilled = p.spilled;
                } else if (owner.spilled != p.spilled) {
                    spill.merge(p.spilled, owner.spilled);
                }
            }
            spillIfLarge(owner);
        }
        pendingHoles.clear();
    }

    /** Hands the holes of an open region over to the spill once they are many. */
    private void spillIfLarge(Chain chain) {
        if (spill != null && chain.holeVertices() > HoleSpill.HELD_VERTICES) {
            if (chain.spilled < 0) {
                chain.spilled = nextSpilledRegion++;
            }
            ArrayDeque<int[]> holes = chain.takeHoles();
            List<Ring> rings = new ArrayList<>(holes.size());
            for (int[] h : holes) {
                rings.add(toRing(h));
            }
            spill.store(chain.spilled, rings);
        }
    }

    private void emit(int label, int[] shell, Collection<int[]> holes, long spilled) {
        List<Ring> holeRings = new ArrayList<>(holes.size());
        for (int[] h : holes) {
            holeRings.add(toRing(h));
        }
        ClassifiedPolygon polygon = new ClassifiedPolygon(classes.get(label), new Polygon(toRing(shell), holeRings));
        polygonsHandedOn++;
        if (spilled >= 0) {
            spill.close(spilled, polygon);
        } else if (listener != null) {
            listener.accept(polygon);
        } else {
            collected.add(polygon);
        }
    }

    /** The ring starting at its top-left vertex (smallest y, then smallest x), for a canonical form. */
    private static Ring toRing(int[] xy) {
        int n = xy.length / 2;
        int first = 0;
        for (int i = 1; i < n; i++) {
            int y = xy[2 * i + 1];
            int fy = xy[2 * first + 1];
            if (y < fy || (y == fy && xy[2 * i] < xy[2 * first])) {
                first = i;
            }
        }
        double[] d = new double[xy.length];
        for (int i = 0; i < n; i++) {
            int k = (first + i) % n;
            d[2 * i] = xy[2 * k];
            d[2 * i + 1] = xy[2 * k + 1];
        }
        return Ring.wrap(d);
    }

    /** Holes of a region closed on this line with their vertices, and the spill number of those already handed over (-1: none). */
    private record PendingHoles(int label, ArrayDeque<int[]> holes, long vertices, int probeX, long spilled) {
    }
}
