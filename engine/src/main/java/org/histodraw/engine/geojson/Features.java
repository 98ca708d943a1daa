package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/** Helpers shared by the GeoJSON and MicroDraw readers: typed access with clear errors, and class lists. */
final class Features {
    private Features() {
    }

    /** A region before its class is resolved: class name, colour (or -1) and polygon. */
    record Named(String name, int rgb, Polygon polygon) {
    }

    static IllegalArgumentException fail(String where, String problem) {
        return new IllegalArgumentException(where + ": " + problem);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String where, String what) {
        if (!(value instanceof Map)) {
            throw fail(where, what + " must be a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object value, String where, String what) {
        if (!(value instanceof List)) {
            throw fail(where, what + " must be a JSON array, got " + describe(value));
        }
        return (List<Object>) value;
    }

    static double number(Object value, String where, String what) {
        if (!(value instanceof Double d)) {
            throw fail(where, what + " must be a number, got " + describe(value));
        }
        return d;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (value instanceof Double d) {
            return "the number " + JsonWriter.number(d);
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof List<?> l) {
            return "an array of " + l.size();
        }
        return "an object";
    }

    /**
     * A ring from flat coordinates, with a repeated closing vertex and repeated consecutive
     * vertices removed; fails when fewer than 3 vertices remain.
     */
    static Ring ring(double[] xy, int count, String where) {
        double[] clean = new double[2 * count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            double x = xy[2 * i];
            double y = xy[2 * i + 1];
            if (n > 0 && clean[2 * n - 2] == x && clean[2 * n - 1] == y) {
                continue;
            }
            clean[2 * n] = x;
            clean[2 * n + 1] = y;
            n++;
        }
        while (n > 1 && clean[0] == clean[2 * n - 2] && clean[1] == clean[2 * n - 1]) {
            n--;
        }
        if (n < 3) {
            throw fail(where, "needs at least 3 distinct vertices, has " + n);
        }
        return new Ring(java.util.Arrays.copyOf(clean, 2 * n));
    }

    /** Resolves names against a given class list; unknown names fail together, named. */
    static List<ClassifiedPolygon> resolve(List<Named> named, ClassList classes) {
        List<String> unknown = new ArrayList<>();
        List<ClassifiedPolygon> out = new ArrayList<>(named.size());
        for (Named n : named) {
            int index = classes.indexOf(n.name());
            if (index < 0) {
                if (!unknown.contains(n.name())) {
                    unknown.add(n.name());
                }
                continue;
            }
            out.add(new ClassifiedPolygon(classes.get(index), n.polygon()));
        }
        if (!unknown.isEmpty()) {
            List<String> known = classes.classes().stream().map(ImageClass::name).toList();
            throw new IllegalArgumentException("unknown class" + (unknown.size() > 1 ? "es " : " ") + String.join(", ", unknown)
                    + " (the class list has " + (known.isEmpty() ? "no classes" : String.join(", ", known)) + ")");
        }
        return out;
    }

    /** Builds the class list in order of first appearance; a class takes the first colour given for it. */
    static LabelledRegions collect(List<Named> named) {
        Map<String, Integer> colours = new LinkedHashMap<>();
        for (Named n : named) {
            Integer c = colours.get(n.name());
            if (c == null || (c < 0 && n.rgb() >= 0)) {
                colours.put(n.name(), n.rgb());
            }
        }
        if (colours.size() > 255) {
            throw new IllegalArgumentException("too many classes: " + colours.size() + " (at most 255)");
        }
        List<ImageClass> list = new ArrayList<>();
        for (Map.Entry<String, Integer> e : colours.entrySet()) {
            int index = list.size() + 1;
            list.add(new ImageClass(index, e.getKey(), e.getValue() >= 0 ? e.getValue() : ImageClass.defaultColour(index)));
        }
        ClassList classes = new ClassList(list);
        return new LabelledRegions(classes, resolve(named, classes));
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
