package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/**
 * Regions as the GeoJSON and MicroDraw readers find them, before their class is resolved: rings from
 * flat coordinates, and class names resolved against a class list or collected into one.
 */
final class NamedRegions {
    private NamedRegions() {
    }

    /** A region before its class is resolved: class name, colour (or -1) and polygon. */
    record Named(String name, int rgb, Polygon polygon) {
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
            throw JsonValues.fail(where, "needs at least 3 distinct vertices, has " + n);
        }
        return new Ring(Arrays.copyOf(clean, 2 * n));
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
}
