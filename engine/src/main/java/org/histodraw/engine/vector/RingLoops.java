package org.histodraw.engine.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a traced ring that passes twice through a saddle vertex into simple loops. Such a ring is
 * a shell with a hole that touches it at one point (or two holes touching at one point); OGC wants
 * them as separate rings, so the ring is cut at every repeated vertex.
 */
final class RingLoops {
    private RingLoops() {
    }

    /** Twice the signed area (shoelace, positive for a shell in our y-down tracing), exact in longs. */
    static long doubleSignedArea(int[] xy) {
        long s = 0;
        int n = xy.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            s += (long) xy[2 * j] * xy[2 * i + 1] - (long) xy[2 * i] * xy[2 * j + 1];
        }
        return s;
    }

    /**
     * @param ring    flat x, y vertices of a closed ring (closing vertex implied)
     * @param saddles packed vertices ({@link Chain#pack}) that may occur twice
     */
    static List<int[]> split(int[] ring, long[] saddles) {
        List<int[]> loops = new ArrayList<>();
        if (saddles.length == 0) {
            loops.add(ring);
            return loops;
        }
        Set<Long> saddleSet = new HashSet<>();
        for (long s : saddles) {
            saddleSet.add(s);
        }
        Map<Long, Integer> position = new HashMap<>();
        int[] stack = new int[ring.length];
        int top = 0; // in vertices
        int n = ring.length / 2;
        for (int i = 0; i < n; i++) {
            int x = ring[2 * i];
            int y = ring[2 * i + 1];
            long key = Chain.pack(x, y);
            if (saddleSet.contains(key)) {
                Integer first = position.get(key);
                if (first != null) {
                    loops.add(Arrays.copyOfRange(stack, 2 * first, 2 * top));
                    for (int j = first + 1; j < top; j++) {
                        position.remove(Chain.pack(stack[2 * j], stack[2 * j + 1]));
                    }
                    top = first + 1;
                    continue;
                }
                position.put(key, top);
            }
            stack[2 * top] = x;
            stack[2 * top + 1] = y;
            top++;
        }
        loops.add(Arrays.copyOf(stack, 2 * top));
        return loops;
    }
}
