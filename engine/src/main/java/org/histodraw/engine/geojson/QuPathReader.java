package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.PolygonValidity;
import org.histodraw.engine.vector.Ring;

/**
 * Reads GeoJSON as QuPath writes it ("Export objects as GeoJSON", {@code exportObjectsToGeoJson},
 * its ROI and hierarchy serialisers, versions 0.2 to 0.6), feature by feature: one feature that
 * cannot become a region (a point, a line, an outline that cannot be repaired) is reported and the
 * others are read. This is the one reader of region files: the server's import, the MicroDraw
 * compatibility code and {@code histodraw segment --labels} all use it, so they accept the same.
 *
 * <p>Accepted at the top level: a FeatureCollection, a Feature, a bare geometry (QuPath writes one
 * for a ROI) or an array of Features or geometries. Per feature:
 * <ul>
 *   <li>id: the Feature's {@code id} (QuPath's UUID); QuPath 0.2 wrote the object type there instead
 *       ({@code PathAnnotationObject}...), which is read as the type;</li>
 *   <li>type: {@code properties.objectType} (also {@code object_type} and {@code type}, as QuPath
 *       reads them): annotation, detection, cell, tile, tmaCore; unknown ones are read as annotations;</li>
 *   <li>class: {@code classification} as an object with {@code name} or {@code names} (a derived
 *       class, joined with ": ") and {@code color} ([r, g, b] or [r, g, b, a]), QuPath 0.3's form
 *       with {@code colorRGB} (packed ARGB) and a {@code parentClass} chain, or a plain string.
 *       Files that are not QuPath's (no objectType) may give the class as {@code properties.class}
 *       or, failing that, {@code properties.name};</li>
 *   <li>{@code name}, {@code measurements} (a map, NaN and infinities as the strings QuPath writes,
 *       or QuPath 0.3's list of {name, value}), every other property as it is;</li>
 *   <li>geometry: Polygon or MultiPolygon (one object, several polygons); a GeometryCollection
 *       gives its polygons and the report counts what else it held; Point, MultiPoint, LineString
 *       and MultiLineString give no region (HistoDraw's regions are areas) and are reported;
 *       {@code plane} and {@code isEllipse} are kept as properties;</li>
 *   <li>cells: {@code nucleusGeometry} beside {@code geometry};</li>
 *   <li>hierarchies ({@code childObjects} or {@code children}): the children are read as objects of
 *       their own, after their parent; the hierarchy's root gives none.</li>
 * </ul>
 * Rings may repeat their first vertex or not; the first ring is the shell, the others holes,
 * whatever their orientation. With a {@link PolygonRepair}, every polygon is checked with
 * {@link PolygonValidity} and an invalid one is repaired (reported) or refused (reported); without
 * one (null) polygons are taken as they are, for files the project wrote itself.
 */
public final class QuPathReader {
    /** Hears of each object and each skipped feature, in file order. */
    public interface Sink {
        void object(QuPathObject object);

        void skipped(Skipped skipped);
    }

    private static final Set<String> GEOMETRY_TYPES = Set.of("Point", "MultiPoint", "LineString", "MultiLineString",
            "Polygon", "MultiPolygon", "GeometryCollection");
    private static final String ROOT = "root";

    private final PolygonRepair repair;
    private final Sink sink;

    private QuPathReader(PolygonRepair repair, Sink sink) {
        this.repair = repair;
        this.sink = sink;
    }

    /**
     * Reads a whole file.
     *
     * @param repair what to do with invalid polygons, or null to take polygons as they are
     * @throws JsonException            when the text is not JSON
     * @throws IllegalArgumentException when the top level is none of the accepted forms
     */
    public static QuPathFile read(String json, PolygonRepair repair) {
        List<QuPathObject> objects = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        readDocument(Json.parse(json), repair, new Sink() {
            @Override
            public void object(QuPathObject object) {
                objects.add(object);
            }

            @Override
            public void skipped(Skipped s) {
                skipped.add(s);
            }
        });
        return new QuPathFile(objects, skipped);
    }

    /** Reads a parsed document (as {@link Json#parse} gives it; numbers may be any {@link Number}). */
    public static void readDocument(Object root, PolygonRepair repair, Sink sink) {
        QuPathReader reader = new QuPathReader(repair, sink);
        if (root instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                reader.element(list.get(i), "feature " + i);
            }
            return;
        }
        Object type = root instanceof Map<?, ?> m ? m.get("type") : null;
        if ("FeatureCollection".equals(type)) {
            List<Object> features = Features.array(((Map<?, ?>) root).get("features"), "GeoJSON FeatureCollection", "\"features\"");
            for (int i = 0; i < features.size(); i++) {
                reader.element(features.get(i), "feature " + i);
            }
        } else if ("Feature".equals(type) || GEOMETRY_TYPES.contains(type)) {
            reader.element(root, "feature 0");
        } else {
            throw new IllegalArgumentException("GeoJSON: expected a FeatureCollection, a Feature, a geometry or an array of them, got "
                    + (root instanceof Map<?, ?> ? type == null ? "an object without \"type\"" : "type " + Features.describe(type)
                    : Features.describe(root)));
        }
    }

    /**
     * Reads one element of a FeatureCollection's {@code features} (for callers that stream a file
     * and hold one feature at a time); {@code index} names it in reports.
     */
    public static void readFeature(Object feature, int index, PolygonRepair repair, Sink sink) {
        new QuPathReader(repair, sink).element(feature, "feature " + index);
    }

    // ---- features ----

    private void element(Object value, String at) {
        if (!(value instanceof Map<?, ?>)) {
            sink.skipped(new Skipped(at, null, "is not a JSON object but " + Features.describe(value)));
            return;
        }
        Map<String, Object> m = Features.object(value, at, "a feature");
        Object type = m.get("type");
        if (GEOMETRY_TYPES.contains(type)) {
            List<String> notes = new ArrayList<>();
            notes.add("a bare geometry (no properties): read as an unclassified annotation");
            Map<String, Object> properties = new LinkedHashMap<>();
            try {
                List<Polygon> polygons = geometry(m, notes, properties);
                sink.object(new QuPathObject(at, null, QuPathObject.ANNOTATION, null, null, polygons, List.of(), Map.of(),
                        properties, notes));
            } catch (Unusable e) {
                sink.skipped(new Skipped(at, null, e.getMessage()));
            }
        } else if (!"Feature".equals(type)) {
            sink.skipped(new Skipped(at, null, "\"type\" must be \"Feature\" or a geometry type, got " + Features.describe(type)));
        } else {
            feature(m, at);
        }
    }

    private void feature(Map<String, Object> feature, String at) {
        String id = null;
        String legacyType = null;
        Object idValue = feature.get("id");
        if (idValue instanceof String s && !s.isBlank()) {
            legacyType = objectTypeOf(s, true);
            id = legacyType == null ? s : null; // QuPath 0.2 put the object type there
        } else if (idValue instanceof Number n) {
            id = JsonWriter.number(n.doubleValue());
        }
        Object propertiesValue = feature.get("properties");
        if (propertiesValue != null && !(propertiesValue instanceof Map<?, ?>)) {
            sink.skipped(new Skipped(at, id, "\"properties\" must be a JSON object, got " + Features.describe(propertiesValue)));
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>(propertiesValue == null ? Map.of()
                : Features.object(propertiesValue, at, "\"properties\""));
        List<String> notes = new ArrayList<>();
        boolean qupath = legacyType != null || properties.containsKey("objectType") || properties.containsKey("object_type");
        String objectType = objectType(properties, legacyType, notes);
        Object children = properties.containsKey("childObjects") ? properties.remove("childObjects") : properties.remove("children");
        if (!ROOT.equals(objectType)) {
            object(feature, properties, at, id, objectType, qupath || !objectType.equals(QuPathObject.ANNOTATION), notes);
        }
        if (children instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                element(list.get(i), at + ", child " + i);
            }
        } else if (children != null) {
            sink.skipped(new Skipped(at + ", children", id, "must be a JSON array, got " + Features.describe(children)));
        }
    }

    /** @param qupath whether the feature is QuPath's (then {@code name} is the object's name, never its class) */
    private void object(Map<String, Object> feature, Map<String, Object> properties, String at, String id, String objectType,
                        boolean qupath, List<String> notes) {
        String name = null;
        if (properties.get("name") instanceof String s) {
            properties.remove("name");
            name = s;
        }
        Classification classification = classification(properties.remove("classification"), notes);
        if (classification == null && properties.get("class") instanceof String s && !s.isBlank()) {
            properties.remove("class");
            classification = new Classification(s, -1);
        }
        if (classification == null && !qupath && name != null && !name.isBlank()) {
            classification = new Classification(name, -1); // not QuPath's: other tools name the class "name"
        }
        Map<String, Double> measurements = measurements(properties.remove("measurements"), notes);
        Object geometry = feature.get("geometry");
        if (geometry == null) {
            sink.skipped(new Skipped(at, id, "has no geometry"));
            return;
        }
        List<Polygon> polygons;
        try {
            polygons = geometry(geometry, notes, properties);
        } catch (Unusable e) {
            sink.skipped(new Skipped(at, id, e.getMessage()));
            return;
        }
        List<Polygon> nucleus = List.of();
        Object nucleusGeometry = feature.get("nucleusGeometry");
        if (nucleusGeometry != null) {
            List<String> nucleusNotes = new ArrayList<>();
            try {
                nucleus = geometry(nucleusGeometry, nucleusNotes, new LinkedHashMap<>());
                for (String n : nucleusNotes) {
                    notes.add("nucleus: " + n);
                }
            } catch (Unusable e) {
                notes.add("nucleus outline left out: it " + e.getMessage());
            }
        }
        sink.object(new QuPathObject(at, id, objectType, name, classification, polygons, nucleus, measurements, properties, notes));
    }

    private static String objectType(Map<String, Object> properties, String legacyType, List<String> notes) {
        for (String key : new String[] {"objectType", "object_type", "type"}) {
            if (properties.get(key) instanceof String s) {
                String type = objectTypeOf(s, false);
                if (type != null) {
                    properties.remove(key);
                    return type;
                }
                if (!key.equals("type")) { // "type" may mean anything in files of other tools
                    properties.remove(key);
                    notes.add("unknown object type \"" + s + "\": read as an annotation");
                    return QuPathObject.ANNOTATION;
                }
            }
        }
        return legacyType != null ? legacyType : QuPathObject.ANNOTATION;
    }

    /** The object type a name stands for (QuPath's current names, and with {@code legacy} its 0.2 class names), or null. */
    private static String objectTypeOf(String s, boolean legacyOnly) {
        String t = s.toLowerCase(Locale.ROOT);
        if (legacyOnly) {
            return switch (t) {
                case "pathannotationobject" -> QuPathObject.ANNOTATION;
                case "pathdetectionobject" -> QuPathObject.DETECTION;
                case "pathcellobject" -> QuPathObject.CELL;
                case "pathtileobject" -> QuPathObject.TILE;
                case "tmacoreobject" -> QuPathObject.TMA_CORE;
                case "pathrootobject" -> ROOT;
                default -> null;
            };
        }
        return switch (t) {
            case "annotation", "pathannotationobject" -> QuPathObject.ANNOTATION;
            case "detection", "pathdetectionobject" -> QuPathObject.DETECTION;
            case "cell", "pathcellobject" -> QuPathObject.CELL;
            case "tile", "pathtileobject" -> QuPathObject.TILE;
            case "tmacore", "tma_core", "tmacoreobject" -> QuPathObject.TMA_CORE;
            case "root", "pathrootobject" -> ROOT;
            default -> null;
        };
    }

    // ---- classes and measurements ----

    private static Classification classification(Object value, List<String> notes) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s.isBlank() ? null : new Classification(s, -1);
        }
        if (!(value instanceof Map<?, ?>)) {
            notes.add("classification " + Features.describe(value) + " is not a class: read as unclassified");
            return null;
        }
        Map<?, ?> c = (Map<?, ?>) value;
        String name = null;
        if (c.get("names") instanceof List<?> names && !names.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Object n : names) {
                if (!(n instanceof String s) || s.isBlank()) {
                    notes.add("classification.names holds " + Features.describe(n) + ": read as unclassified");
                    return null;
                }
                parts.add(s);
            }
            name = String.join(Classification.SEPARATOR, parts);
        } else if (c.get("name") instanceof String s && !s.isBlank()) {
            name = s;
            // QuPath 0.3 wrote a derived class as a chain of parentClass objects
            Object parent = c.get("parentClass");
            for (int depth = 0; parent instanceof Map<?, ?> p && p.get("name") instanceof String ps && depth < 64; depth++) {
                name = ps + Classification.SEPARATOR + name;
                parent = p.get("parentClass");
            }
        }
        if (name == null) {
            if (!c.isEmpty()) { // QuPath writes {} for "no class"
                notes.add("classification has no name: read as unclassified");
            }
            return null;
        }
        return new Classification(name, colour(c, notes));
    }

    /** 0xRRGGBB from {@code color} ([r, g, b(, a)], 0..255) or QuPath 0.3's packed {@code colorRGB}; -1 when absent or unusable. */
    private static int colour(Map<?, ?> c, List<String> notes) {
        Object color = c.get("color");
        if (color instanceof List<?> rgb && rgb.size() >= 3) {
            int v = 0;
            for (int i = 0; i < 3; i++) {
                if (!(rgb.get(i) instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 255)) {
                    notes.add("classification.color " + Features.describe(color) + " is not [r, g, b] in 0..255: colour left out");
                    return -1;
                }
                v = (v << 8) | (int) Math.round(n.doubleValue());
            }
            return v;
        }
        if (color instanceof Number n) {
            return (int) n.longValue() & 0xffffff;
        }
        if (c.get("colorRGB") instanceof Number n) {
            return (int) n.longValue() & 0xffffff;
        }
        if (color != null) {
            notes.add("classification.color " + Features.describe(color) + " is not [r, g, b]: colour left out");
        }
        return -1;
    }

    private static Map<String, Double> measurements(Object value, List<String> notes) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                measurement(String.valueOf(e.getKey()), e.getValue(), out, notes);
            }
        } else if (value instanceof List<?> list) { // QuPath 0.3 and before: [{"name": ..., "value": ...}]
            for (Object item : list) {
                if (item instanceof Map<?, ?> m && m.get("name") instanceof String name) {
                    measurement(name, m.get("value"), out, notes);
                } else {
                    notes.add("measurement " + Features.describe(item) + " has no name: left out");
                }
            }
        } else {
            notes.add("measurements " + Features.describe(value) + " are neither a map nor a list: left out");
        }
        return out;
    }

    private static void measurement(String name, Object value, Map<String, Double> out, List<String> notes) {
        if (value instanceof Number n) {
            out.put(name, n.doubleValue());
            return;
        }
        if (value instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "nan" -> out.put(name, Double.NaN);
                case "infinity", "inf" -> out.put(name, Double.POSITIVE_INFINITY);
                case "-infinity", "-inf" -> out.put(name, Double.NEGATIVE_INFINITY);
                default -> notes.add("measurement \"" + name + "\" is " + Features.describe(value) + ", not a number: left out");
            }
            return;
        }
        notes.add("measurement \"" + name + "\" is " + Features.describe(value) + ", not a number: left out");
    }

    // ---- geometry ----

    /** Why a feature gives no region. Carries no stack trace: it is an answer, not a failure. */
    private static final class Unusable extends RuntimeException {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The polygons of a geometry; plane and ellipse flags go to {@code properties}. */
    private List<Polygon> geometry(Object value, List<String> notes, Map<String, Object> properties) {
        if (!(value instanceof Map<?, ?>)) {
            throw new Unusable("has a geometry that is not a JSON object but " + Features.describe(value));
        }
        Map<?, ?> g = (Map<?, ?>) value;
        if (g.get("plane") instanceof Map<?, ?> plane && !isDefaultPlane(plane)) {
            properties.put("plane", plane);
            notes.add("lies on plane " + Json.write(plane) + " of a z-stack or time series; HistoDraw slices are 2-D: kept as property \"plane\"");
        }
        if (Boolean.TRUE.equals(g.get("isEllipse"))) {
            properties.put("isEllipse", true); // QuPath writes an ellipse as its polygon and this flag
        }
        int[] dropped = new int[2]; // points, lines
        List<Polygon> polygons = new ArrayList<>();
        collect(g, polygons, dropped, notes, 0);
        if (polygons.isEmpty()) {
            if (dropped[0] > 0 && dropped[1] == 0) {
                throw new Unusable("is a point (QuPath's points annotation): a point has no area and HistoDraw's regions are areas");
            }
            if (dropped[1] > 0 && dropped[0] == 0) {
                throw new Unusable("is a line (QuPath's line or polyline annotation): a line has no area and HistoDraw's regions are areas");
            }
            if (dropped[0] > 0) {
                throw new Unusable("holds only points and lines: they have no area and HistoDraw's regions are areas");
            }
            throw new Unusable("has no polygon with an area");
        }
        if (dropped[0] + dropped[1] > 0) {
            notes.add("its GeometryCollection also held " + dropped[0] + " point(s) and " + dropped[1] + " line(s), left out (no area)");
        }
        return repair == null ? polygons : checked(polygons, notes);
    }

    private static boolean isDefaultPlane(Map<?, ?> plane) {
        return zero(plane.get("z")) && zero(plane.get("t"));
    }

    private static boolean zero(Object v) {
        return v == null || (v instanceof Number n && n.doubleValue() == 0);
    }

    private void collect(Map<?, ?> g, List<Polygon> out, int[] dropped, List<String> notes, int depth) {
        Object type = g.get("type");
        Object coordinates = g.get("coordinates");
        if ("Polygon".equals(type)) {
            Polygon p = polygon(coordinates, "polygon", notes);
            if (p == null) {
                throw new Unusable("has a polygon with fewer than 3 distinct vertices (no area)");
            }
            out.add(p);
        } else if ("MultiPolygon".equals(type)) {
            if (!(coordinates instanceof List<?> parts)) {
                throw new Unusable("has MultiPolygon coordinates that are not an array but " + Features.describe(coordinates));
            }
            for (int i = 0; i < parts.size(); i++) {
                Polygon p = polygon(parts.get(i), "polygon " + i, notes);
                if (p == null) {
                    notes.add("polygon " + i + " has fewer than 3 distinct vertices (no area): left out");
                } else {
                    out.add(p);
                }
            }
        } else if ("GeometryCollection".equals(type) && depth < 16) {
            if (!(g.get("geometries") instanceof List<?> members)) {
                throw new Unusable("has a GeometryCollection without a \"geometries\" array");
            }
            for (Object member : members) {
                if (member instanceof Map<?, ?> m) {
                    collect(m, out, dropped, notes, depth + 1);
                } else {
                    throw new Unusable("has a GeometryCollection member that is not an object but " + Features.describe(member));
                }
            }
        } else if ("Point".equals(type) || "MultiPoint".equals(type)) {
            dropped[0]++;
        } else if ("LineString".equals(type) || "MultiLineString".equals(type)) {
            dropped[1]++;
        } else {
            throw new Unusable("has geometry type " + (type instanceof String s ? s : Features.describe(type))
                    + ", which is not a GeoJSON geometry");
        }
    }

    /** A polygon from GeoJSON rings, or null when its shell has fewer than 3 distinct vertices. */
    private static Polygon polygon(Object coordinates, String what, List<String> notes) {
        if (!(coordinates instanceof List<?> rings)) {
            throw new Unusable("has " + what + " coordinates that are not an array but " + Features.describe(coordinates));
        }
        if (rings.isEmpty()) {
            return null;
        }
        Ring shell = ring(rings.get(0), what + " shell");
        if (shell == null) {
            return null;
        }
        List<Ring> holes = new ArrayList<>();
        for (int r = 1; r < rings.size(); r++) {
            Ring hole = ring(rings.get(r), what + " hole " + (r - 1));
            if (hole == null) {
                notes.add(what + " hole " + (r - 1) + " has fewer than 3 distinct vertices (no area): left out");
            } else {
                holes.add(hole);
            }
        }
        return new Polygon(shell, holes);
    }

    private static Ring ring(Object value, String what) {
        if (!(value instanceof List<?> positions)) {
            throw new Unusable("has a " + what + " that is not an array of positions but " + Features.describe(value));
        }
        double[] xy = new double[2 * positions.size()];
        for (int i = 0; i < positions.size(); i++) {
            if (!(positions.get(i) instanceof List<?> p) || p.size() < 2
                    || !(p.get(0) instanceof Number x) || !(p.get(1) instanceof Number y)) {
                throw new Unusable("has a " + what + " whose position " + i + " is not [x, y] numbers but "
                        + Features.describe(positions.get(i)));
            }
            xy[2 * i] = x.doubleValue();
            xy[2 * i + 1] = y.doubleValue();
            if (!Double.isFinite(xy[2 * i]) || !Double.isFinite(xy[2 * i + 1])) {
                throw new Unusable("has a " + what + " whose position " + i + " is not finite");
            }
        }
        try {
            return Features.ring(xy, positions.size(), what);
        } catch (IllegalArgumentException e) {
            return null; // fewer than 3 distinct vertices
        }
    }

    /** Valid polygons: each invalid one repaired (noted) or, when it cannot be, left out (noted) or refused. */
    private List<Polygon> checked(List<Polygon> polygons, List<String> notes) {
        List<Polygon> out = new ArrayList<>();
        String refused = null;
        for (int i = 0; i < polygons.size(); i++) {
            Polygon p = polygons.get(i);
            List<PolygonValidity.Problem> problems = PolygonValidity.problems(p);
            if (problems.isEmpty()) {
                out.add(p);
                continue;
            }
            // a crossing says more than the zero area a figure-of-eight also has
            PolygonValidity.Problem first = problems.stream().filter(q -> q.kind() != PolygonValidity.Kind.ZERO_AREA).findFirst()
                    .orElse(problems.get(0));
            String problem = first.message() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
            String what = polygons.size() == 1 ? "the polygon" : "polygon " + i;
            List<Polygon> fixed = repair.repair(p, problem);
            if (!fixed.isEmpty() && fixed.stream().allMatch(PolygonValidity::isValid)) {
                out.addAll(fixed);
                notes.add("repaired " + what + ": " + problem + (fixed.size() > 1 ? " (it became " + fixed.size() + " polygons)" : ""));
            } else {
                refused = what + " is invalid (" + problem + ") and could not be repaired";
                notes.add(refused + ": left out");
            }
        }
        if (out.isEmpty()) {
            throw new Unusable(refused);
        }
        return out;
    }
}
