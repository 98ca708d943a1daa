package org.histodraw.engine.vector;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * An open piece of a region's boundary while the class map is being scanned: the corner vertices
 * (integer lattice points) from its head to its tail, in the direction of travel (region on the
 * right in y-down image coordinates). Both ends grow, so the vertices sit in a double-ended buffer.
 * When two chains are joined the shorter is copied into the longer and the absorbed one forwards to
 * the survivor ({@link #find()}), so slots that still point at it stay valid.
 */
final class Chain {
    final int label;
    private int[] xy;
    private int start;
    private int end;
    private Chain mergedInto;
    /**
     * Closed holes of the same region, waiting for the region's outer ring to close. A deque: two
     * lists are joined by moving the shorter into the longer, at either end, so that holes keep
     * their order and each hole moves O(log n) times however often the region's chains join and
     * close (the tissue of a slide map holds its nuclei as holes, handed from chain to chain).
     */
    private ArrayDeque<int[]> holes;
    /** Vertices of {@link #holes}. */
    private long holeVertices;
    /** The region's number in a {@link HoleSpill} once it handed holes over, else -1. */
    long spilled = -1;
    /** Saddle vertices on this chain (packed x, y), where the ring may touch itself. */
    private long[] saddles;
    private int saddleCount;

    Chain(int label) {
        this.label = label;
        this.xy = new int[16];
        this.start = 8;
        this.end = 8;
    }

    Chain find() {
        Chain c = this;
        while (c.mergedInto != null) {
            c = c.mergedInto;
        }
        Chain p = this;
        while (p.mergedInto != null && p.mergedInto != c) { // path compression
            Chain next = p.mergedInto;
            p.mergedInto = c;
            p = next;
        }
        return c;
    }

    void append(int x, int y) {
        if (end + 2 > xy.length) {
            grow(0, 2);
        }
        xy[end++] = x;
        xy[end++] = y;
    }

    void prepend(int x, int y) {
        if (start < 2) {
            grow(2, 0);
        }
        xy[--start] = y;
        xy[--start] = x;
    }

    void markSaddle(int x, int y) {
        if (saddles == null) {
            saddles = new long[2];
        } else if (saddleCount == saddles.length) {
            saddles = Arrays.copyOf(saddles, saddleCount * 2);
        }
        saddles[saddleCount++] = pack(x, y);
    }

    static long pack(int x, int y) {
        return ((long) x << 32) | (y & 0xffffffffL);
    }

    /**
     * Takes these holes (and the list: the caller gives it up) after the ones held, with their
     * vertex count: the holes themselves are not read.
     */
    void addHoles(ArrayDeque<int[]> more, long vertices) {
        if (more == null || more.isEmpty()) {
            return;
        }
        if (holes == null || holes.isEmpty()) {
            holes = more;
        } else if (holes.size() >= more.size()) {
            holes.addAll(more);
        } else {
            for (var it = holes.descendingIterator(); it.hasNext(); ) {
                more.addFirst(it.next());
            }
            holes = more;
        }
        holeVertices += vertices;
    }

    long holeVertices() {
        return holeVertices;
    }

    /** The holes held, which the chain forgets (handed over to a spill, or to the region around it). */
    ArrayDeque<int[]> takeHoles() {
        ArrayDeque<int[]> taken = holes == null ? new ArrayDeque<>() : holes;
        holes = null;
        holeVertices = 0;
        return taken;
    }

    long[] saddles() {
        return saddles == null ? new long[0] : Arrays.copyOf(saddles, saddleCount);
    }

    /** The vertices as a flat array, head first. */
    int[] vertices() {
        return Arrays.copyOfRange(xy, start, end);
    }

    /**
     * Joins {@code tail} (whose last vertex meets the next chain) with {@code head} (which starts
     * there) into one chain and returns the survivor. Both must be roots and distinct.
     */
    static Chain join(Chain tail, Chain head) {
        Chain survivor;
        if (tail.end - tail.start >= head.end - head.start) {
            tail.appendAll(head);
            survivor = tail;
            head.mergedInto = tail;
            survivor.absorbExtras(head);
            head.release();
        } else {
            head.prependAll(tail);
            survivor = head;
            tail.mergedInto = head;
            survivor.absorbExtras(tail);
            tail.release();
        }
        return survivor;
    }

    private void absorbExtras(Chain other) {
        // Holes keep their order: this chain's first, then the other's. The other chain is released after this.
        long vertices = other.holeVertices;
        addHoles(other.takeHoles(), vertices);
        if (spilled < 0) {
            spilled = other.spilled; // else the tracer merges the two in its spill
        }
        for (int i = 0; i < other.saddleCount; i++) {
            long s = other.saddles[i];
            markSaddle((int) (s >> 32), (int) s);
        }
    }

    private void release() {
        xy = null;
        holes = null;
        holeVertices = 0;
        saddles = null;
    }

    private void appendAll(Chain other) {
        int n = other.end - other.start;
        if (end + n > xy.length) {
            grow(0, n);
        }
        System.arraycopy(other.xy, other.start, xy, end, n);
        end += n;
    }

    private void prependAll(Chain other) {
        int n = other.end - other.start;
        if (start < n) {
            grow(n, 0);
        }
        start -= n;
        System.arraycopy(other.xy, other.start, xy, start, n);
    }

    /** Reallocates with at least {@code front} free ints before and {@code back} after the data. */
    private void grow(int front, int back) {
        int used = end - start;
        int capacity = Math.max(xy.length * 2, used + front + back + 16);
        int[] bigger = new int[capacity];
        int spare = capacity - used - front - back;
        int newStart = front + ((spare / 2) & ~1); // centred: both ends keep room to grow
        System.arraycopy(xy, start, bigger, newStart, used);
        xy = bigger;
        start = newStart;
        end = newStart + used;
    }
}
