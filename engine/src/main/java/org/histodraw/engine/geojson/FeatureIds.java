package org.histodraw.engine.geojson;

import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Ring;

/** Reproducible ids of written regions: a hash of a polygon's class and coordinates, and a bit mixer. */
final class FeatureIds {
    private FeatureIds() {
    }

    /** A stable 64-bit hash (FNV-1a) of a polygon's class and coordinates, for ids. */
    static long hash(ClassifiedPolygon p, long salt) {
        long h = 0xcbf29ce484222325L ^ salt;
        String name = p.imageClass().name();
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        h = mixRing(h, p.polygon().shell());
        for (Ring r : p.polygon().holes()) {
            h = mixRing(h, r);
        }
        return h;
    }

    private static long mixRing(long h, Ring r) {
        for (int i = 0; i < r.size(); i++) {
            h = (h ^ Double.doubleToLongBits(r.x(i))) * 0x100000001b3L;
            h = (h ^ Double.doubleToLongBits(r.y(i))) * 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64 finaliser: spreads the bits of a hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
