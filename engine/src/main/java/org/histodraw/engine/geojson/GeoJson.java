package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/**
 * Regions as GeoJSON, the way QuPath reads and writes annotations: pixel coordinates of the full
 * resolution image, x to the right, y down, origin at the top-left corner.
 *
 * <p>Reading accepts a FeatureCollection, a single Feature, or a JSON array of Features (QuPath
 * exports both), with Polygon or MultiPolygon geometry; each polygon of a MultiPolygon becomes its
 * own region. The class name comes from {@code properties.classification.name} (QuPath;
 * {@code classification.names} of a derived class are joined with ": ", and a plain string is taken
 * as the name), else {@code properties.name}, else {@code properties.class}. The colour comes from
 * {@code classification.color} ({@code [r, g, b]}) or QuPath's older packed {@code colorRGB}. Rings
 * may repeat their first vertex or not; the first ring is the shell, the others holes, whatever
 * their orientation. Errors name the feature (0-based index in the file) and what is wrong.
 *
 * <p>Writing ({@link GeoJsonWriter}) gives a QuPath-compatible FeatureCollection: closed rings,
 * shells with positive shoelace area in the raw coordinates (counter-clockwise in a y-up frame, as
 * RFC 7946 asks; clockwise as seen on screen) and holes the other way round.
 */
public final class GeoJson {
    private GeoJson() {
    }

    /** Regions whose classes must all be in {@code classes}; unknown class names fail, all named at once. */
    public static List<ClassifiedPolygon> readRegions(String json, ClassList classes) {
        return NamedRegions.resolve(readNamed(json), classes);
    }

    /** Regions with a class list built in order of first appearance (colours from the file where given). */
    public static LabelledRegions readRegions(String json) {
        return NamedRegions.collect(readNamed(json));
    }

    /** Writes the polygons as one FeatureCollection. */
    public static void write(List<ClassifiedPolygon> polygons, Appendable out) {
        write(polygons, out, Map.of());
    }

    /**
     * Writes the polygons as one FeatureCollection; every feature's properties also get
     * {@code extraProperties} (e.g. provenance: which model produced them).
     */
    public static void write(List<ClassifiedPolygon> polygons, Appendable out, Map<String, Object> extraProperties) {
        GeoJsonWriter writer = new GeoJsonWriter(out, extraProperties);
        for (ClassifiedPolygon p : polygons) {
            writer.accept(p);
        }
        writer.finish();
    }

    /** The polygons as FeatureCollection text. */
    public static String toText(List<ClassifiedPolygon> polygons) {
        StringBuilder sb = new StringBuilder();
        write(polygons, sb);
        return sb.toString();
    }

    private static List<NamedRegions.Named> readNamed(String json) {
        Object root = Json.parse(json);
        List<Object> features;
        if (root instanceof List<?>) {
            features = JsonValues.array(root, "GeoJSON", "the top level");
        } else {
            Map<String, Object> top = JsonValues.object(root, "GeoJSON", "the top level");
            Object type = top.get("type");
            if ("FeatureCollection".equals(type)) {
                features = JsonValues.array(top.get("features"), "GeoJSON FeatureCollection", "\"features\"");
            } else if ("Feature".equals(type)) {
                features = List.of(top);
            } else {
                throw new IllegalArgumentException("GeoJSON: expected a FeatureCollection, a Feature or an array of features, got "
                        + (type == null ? "an object without \"type\"" : "type " + JsonValues.describe(type)));
            }
        }
        List<NamedRegions.Named> named = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            readFeature(features.get(i), "GeoJSON feature " + i, named);
        }
        return named;
    }

    private static void readFeature(Object value, String where, List<NamedRegions.Named> out) {
        Map<String, Object> feature = JsonValues.object(value, where, "a feature");
        if (!"Feature".equals(feature.get("type"))) {
            throw JsonValues.fail(where, "\"type\" must be \"Feature\", got " + JsonValues.describe(feature.get("type")));
        }
        Object propertiesValue = feature.get("properties");
        Map<String, Object> properties = propertiesValue == null ? Map.of()
                : JsonValues.object(propertiesValue, where, "\"properties\"");
        String name = className(properties, where);
        int rgb = colour(properties, where);
        Object geometryValue = feature.get("geometry");
        if (geometryValue == null) {
            throw JsonValues.fail(where, "has no geometry");
        }
        Map<String, Object> geometry = JsonValues.object(geometryValue, where, "\"geometry\"");
        Object type = geometry.get("type");
        Object coordinates = geometry.get("coordinates");
        if ("Polygon".equals(type)) {
            out.add(new NamedRegions.Named(name, rgb, polygon(coordinates, where)));
        } else if ("MultiPolygon".equals(type)) {
            List<Object> parts = JsonValues.array(coordinates, where, "MultiPolygon coordinates");
            for (int p = 0; p < parts.size(); p++) {
                out.add(new NamedRegions.Named(name, rgb, polygon(parts.get(p), where + ", polygon " + p)));
            }
        } else {
            throw JsonValues.fail(where, "has geometry type " + (type instanceof String s ? s : JsonValues.describe(type))
                    + "; only Polygon and MultiPolygon are supported");
        }
    }

    private static String className(Map<String, Object> properties, String where) {
        Object classification = properties.get("classification");
        String name = nameOf(classification, where, "properties.classification");
        if (name == null) {
            name = nameOf(properties.get("name"), where, "properties.name");
        }
        if (name == null) {
            name = nameOf(properties.get("class"), where, "properties.class");
        }
        if (name == null) {
            throw JsonValues.fail(where, "has no class: expected properties.classification.name, properties.name or properties.class");
        }
        return name;
    }

    private static String nameOf(Object value, String where, String what) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s.isBlank() ? null : s;
        }
        if (value instanceof Map<?, ?>) {
            Map<String, Object> m = JsonValues.object(value, where, what);
            if (m.get("name") instanceof String s && !s.isBlank()) {
                return s;
            }
            if (m.get("names") instanceof List<?> names && !names.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Object n : names) {
                    if (!(n instanceof String s)) {
                        throw JsonValues.fail(where, what + ".names must hold strings, got " + JsonValues.describe(n));
                    }
                    parts.add(s);
                }
                return String.join(": ", parts);
            }
            return null;
        }
        throw JsonValues.fail(where, what + " must be a string or an object with a name, got " + JsonValues.describe(value));
    }

    /** 0xRRGGBB from the classification, or -1 when none is given. */
    private static int colour(Map<String, Object> properties, String where) {
        if (!(properties.get("classification") instanceof Map<?, ?>)) {
            return -1;
        }
        Map<String, Object> c = JsonValues.object(properties.get("classification"), where, "properties.classification");
        Object color = c.get("color");
        if (color instanceof List<?>) {
            List<Object> rgb = JsonValues.array(color, where, "classification.color");
            if (rgb.size() < 3) {
                throw JsonValues.fail(where, "classification.color needs [r, g, b], got " + JsonValues.describe(color));
            }
            int v = 0;
            for (int i = 0; i < 3; i++) {
                double d = JsonValues.number(rgb.get(i), where, "classification.color[" + i + "]");
                if (d < 0 || d > 255) {
                    throw JsonValues.fail(where, "classification.color values must be 0..255, got " + JsonWriter.number(d));
                }
                v = (v << 8) | (int) Math.round(d);
            }
            return v;
        }
        if (c.get("colorRGB") != null) {
            double packed = JsonValues.number(c.get("colorRGB"), where, "classification.colorRGB");
            return (int) (long) packed & 0xffffff;
        }
        return -1;
    }

    private static Polygon polygon(Object coordinates, String where) {
        List<Object> rings = JsonValues.array(coordinates, where, "Polygon coordinates");
        if (rings.isEmpty()) {
            throw JsonValues.fail(where, "Polygon coordinates have no rings");
        }
        Ring shell = ring(rings.get(0), where + ", shell");
        List<Ring> holes = new ArrayList<>();
        for (int r = 1; r < rings.size(); r++) {
            holes.add(ring(rings.get(r), where + ", hole " + (r - 1)));
        }
        return new Polygon(shell, holes);
    }

    private static Ring ring(Object value, String where) {
        List<Object> positions = JsonValues.array(value, where, "a ring");
        double[] xy = new double[2 * positions.size()];
        for (int i = 0; i < positions.size(); i++) {
            List<Object> position = JsonValues.array(positions.get(i), where, "position " + i);
            if (position.size() < 2) {
                throw JsonValues.fail(where, "position " + i + " needs [x, y], got " + JsonValues.describe(position));
            }
            xy[2 * i] = JsonValues.number(position.get(0), where, "x of position " + i);
            xy[2 * i + 1] = JsonValues.number(position.get(1), where, "y of position " + i);
        }
        return NamedRegions.ring(xy, positions.size(), where);
    }
}
