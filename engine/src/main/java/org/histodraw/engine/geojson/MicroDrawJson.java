package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/**
 * Regions in MicroDraw's JSON (github.com/neuroanatomy/microdraw): per slice, an array of
 * {@code {"annotation": {"name": "...", "uid": "...", "path": PAPER_JSON}}}, where the path is
 * Paper.js's {@code exportJSON()} of a {@code Path} or {@code CompoundPath}:
 * <pre>
 * ["Path", {"applyMatrix": true, "segments": [[x, y], [[x, y], [inX, inY], [outX, outY]], ...],
 *           "closed": true, "fillColor": [r, g, b, a], "strokeColor": [0, 0, 0], "strokeScaling": false}]
 * ["CompoundPath", {"applyMatrix": true, "children": [["Path", {...}], ...], "fillColor": [...]}]
 * </pre>
 * Segment handles are relative to their point, colours are 0..1, and an optional
 * {@code "matrix": [a, b, c, d, tx, ty]} maps a point to {@code (a x + c y + tx, b x + d y + ty)}.
 *
 * <p>Coordinates: MicroDraw draws in a Paper.js project whose width spans {@value #MICRODRAW_WIDTH}
 * units across the image whatever its size ({@code magicV} in microdraw.js), so one unit is
 * {@code imageWidth / 1000} pixels: use {@link #forImageWidth}. Older MicroDraw versions used other
 * factors; {@link #withScale} takes any pixels-per-unit factor (1 for files already in pixels).
 *
 * <p>Reading also accepts the localStorage form {@code {"Regions": [{"name", "uid", "path"}]}} and
 * paths stored as JSON text. Béziers are flattened into line segments no farther than
 * {@link #flatness} pixels from the curve. The children of a CompoundPath are sorted by nesting:
 * rings inside an odd number of others are holes of the smallest ring around them, the rest are
 * shells (so one MicroDraw region may give several polygons). Open paths (lines) and text
 * ({@code PointText}) are not regions and are skipped. Errors name the region (0-based index) and
 * what is wrong.
 *
 * <p>Writing gives the upload/database form (a JSON array), one region per polygon, with straight
 * segments, shells and holes wound in opposite directions (so Paper's default non-zero fill rule
 * shows the holes), the class colour at 50 % alpha and a reproducible hexadecimal uid.
 */
public final class MicroDrawJson {
    /** Width of MicroDraw's annotation project in its own units ({@code magicV}). */
    public static final double MICRODRAW_WIDTH = 1000;
    /**
     * Points one annotation's curves may flatten into; more is refused. Each bézier is cut at most
     * 16 times deep (65,536 points), so a few segments with huge handles would otherwise make
     * hundreds of millions.
     */
    public static final int MAX_FLATTENED_POINTS = 1_000_000;

    private final double pixelsPerUnit;
    private final double flatness;

    private MicroDrawJson(double pixelsPerUnit, double flatness) {
        this.pixelsPerUnit = pixelsPerUnit;
        this.flatness = flatness;
    }

    /** For an image {@code imageWidth} pixels wide, as current MicroDraw stores it. */
    public static MicroDrawJson forImageWidth(int imageWidth) {
        if (imageWidth <= 0) {
            throw new IllegalArgumentException("image width must be positive: " + imageWidth);
        }
        return new MicroDrawJson(imageWidth / MICRODRAW_WIDTH, 0.25);
    }

    /** With an explicit factor: image pixels per MicroDraw unit. */
    public static MicroDrawJson withScale(double pixelsPerUnit) {
        if (!(pixelsPerUnit > 0) || Double.isInfinite(pixelsPerUnit)) {
            throw new IllegalArgumentException("pixels per unit must be a positive number: " + pixelsPerUnit);
        }
        return new MicroDrawJson(pixelsPerUnit, 0.25);
    }

    /** The same reader with béziers flattened to within {@code pixels} of the curve (default 0.25). */
    public MicroDrawJson flatness(double pixels) {
        if (!(pixels > 0) || Double.isInfinite(pixels)) {
            throw new IllegalArgumentException("flatness must be a positive number of pixels: " + pixels);
        }
        return new MicroDrawJson(pixelsPerUnit, pixels);
    }

    public double pixelsPerUnit() {
        return pixelsPerUnit;
    }

    /** Regions with a class list built from the region names, in order of first appearance. */
    public LabelledRegions readRegions(String json) {
        return Features.collect(readNamed(json));
    }

    /** Regions whose names must all be classes of {@code classes}; unknown names fail, all named at once. */
    public List<ClassifiedPolygon> readRegions(String json, ClassList classes) {
        return Features.resolve(readNamed(json), classes);
    }

    /**
     * Every annotation of a file: regions, lines and texts, each with its uid; an annotation that
     * cannot be read is in {@link MicroDrawFile#skipped()} with the reason, and the others are read.
     *
     * @throws JsonException            when the text is not JSON
     * @throws IllegalArgumentException when the top level is neither an array nor {@code {"Regions": [...]}}
     */
    public MicroDrawFile read(String json) {
        List<Object> items = items(Json.parse(json));
        List<MicroDrawAnnotation> annotations = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "MicroDraw region " + i;
            try {
                annotations.add(annotation(items.get(i), at));
            } catch (IllegalArgumentException e) {
                Object uid = items.get(i) instanceof Map<?, ?> m ? uidOf(m) : null;
                String message = e.getMessage();
                String reason = message.startsWith(at + ": ") ? message.substring(at.length() + 2)
                        : message.startsWith(at + " ") ? message.substring(at.length() + 1) : message;
                skipped.add(new Skipped(at, uid == null ? null : uid.toString(), reason));
            }
        }
        return new MicroDrawFile(annotations, skipped);
    }

    /**
     * One annotation: {@code {"name", "uid", "path"}}, or a database document holding it under
     * {@code "annotation"} (what MicroDraw's {@code GET /api} answers).
     *
     * @throws IllegalArgumentException naming {@code at} and what is wrong
     */
    public MicroDrawAnnotation annotation(Object item, String at) {
        Map<String, Object> region = Features.object(item, at, "a region");
        if (region.containsKey("annotation")) {
            region = Features.object(region.get("annotation"), at, "\"annotation\"");
        }
        Object nameValue = region.get("name");
        if (!(nameValue instanceof String name) || name.isBlank()) {
            throw Features.fail(at, "needs a \"name\" (the class), got " + Features.describe(nameValue));
        }
        String where = at + " (\"" + name + "\")";
        Object pathValue = region.get("path");
        if (pathValue instanceof String text) {
            pathValue = Json.parse(text); // localStorage keeps exportJSON() text
        }
        List<Object> path = Features.array(pathValue, where, "\"path\"");
        if (path.size() != 2 || !(path.get(0) instanceof String type)) {
            throw Features.fail(where, "\"path\" must be [type, properties], got " + Features.describe(pathValue));
        }
        Map<String, Object> props = Features.object(path.get(1), where, "the path properties");
        double[] matrix = matrix(props, where);
        int rgb = colour(props.get("fillColor"));
        Object uidValue = uidOf(region);
        String uid = uidValue == null ? null : uidValue instanceof Double d ? JsonWriter.number(d) : uidValue.toString();
        Map<String, Object> kept = new java.util.LinkedHashMap<>(region);
        kept.put("path", pathValue);
        List<Ring> rings = new ArrayList<>();
        switch (type) {
            case "Path" -> addRing(props, matrix, where, rings);
            case "CompoundPath" -> {
                List<Object> children = Features.array(props.get("children"), where, "CompoundPath \"children\"");
                for (int c = 0; c < children.size(); c++) {
                    String childWhere = where + ", child " + c;
                    List<Object> child = Features.array(children.get(c), childWhere, "a child path");
                    if (child.size() != 2 || !"Path".equals(child.get(0))) {
                        throw Features.fail(childWhere, "must be [\"Path\", properties], got " + Features.describe(children.get(c)));
                    }
                    Map<String, Object> childProps = Features.object(child.get(1), childWhere, "the path properties");
                    addRing(childProps, compose(matrix, matrix(childProps, childWhere)), childWhere, rings);
                }
            }
            case "PointText" -> {
                return new MicroDrawAnnotation(at, uid, name, MicroDrawAnnotation.Kind.TEXT, List.of(), rgb, kept);
            }
            default -> throw Features.fail(where, "has path type " + type + "; MicroDraw's annotations are Path, CompoundPath and PointText");
        }
        if (rings.isEmpty()) { // only open paths
            return new MicroDrawAnnotation(at, uid, name, MicroDrawAnnotation.Kind.LINE, List.of(), rgb, kept);
        }
        return new MicroDrawAnnotation(at, uid, name, MicroDrawAnnotation.Kind.REGION, nest(rings), rgb, kept);
    }

    /** The annotations of a file: an array, or localStorage's {@code {"Regions": [...]}}. */
    private static List<Object> items(Object root) {
        if (root instanceof Map<?, ?> m && m.containsKey("Regions")) {
            return Features.array(m.get("Regions"), "MicroDraw", "\"Regions\"");
        }
        if (root instanceof List<?>) {
            return Features.array(root, "MicroDraw", "the top level");
        }
        throw new IllegalArgumentException("MicroDraw: expected an array of regions (or {\"Regions\": [...]}), got "
                + Features.describe(root));
    }

    private static Object uidOf(Map<?, ?> item) {
        Object inner = item.get("annotation");
        return inner instanceof Map<?, ?> m ? m.get("uid") : item.get("uid");
    }

    /** Writes the polygons as a MicroDraw annotation array (the form its upload API and database use). */
    public void write(List<ClassifiedPolygon> polygons, Appendable out) {
        JsonWriter w = new JsonWriter(out);
        w.beginArray();
        for (int i = 0; i < polygons.size(); i++) {
            writeRegion(w, polygons.get(i), i);
        }
        w.endArray();
        w.requireComplete();
    }

    public String toText(List<ClassifiedPolygon> polygons) {
        StringBuilder sb = new StringBuilder();
        write(polygons, sb);
        return sb.toString();
    }

    // ---- reading ----

    /** The regions of a file, strictly: an annotation that cannot be read fails the file; lines and texts are left out. */
    private List<Features.Named> readNamed(String json) {
        List<Features.Named> out = new ArrayList<>();
        List<Object> items = items(Json.parse(json));
        for (int i = 0; i < items.size(); i++) {
            MicroDrawAnnotation a = annotation(items.get(i), "MicroDraw region " + i);
            for (Polygon p : a.polygons()) {
                out.add(new Features.Named(a.name(), a.rgb(), p));
            }
        }
        return out;
    }

    private void addRing(Map<String, Object> props, double[] matrix, String where, List<Ring> rings) {
        if (!Boolean.TRUE.equals(props.get("closed"))) {
            return; // an open path is a line, not a region
        }
        List<Object> segments = Features.array(props.get("segments"), where, "\"segments\"");
        int n = segments.size();
        double[][] seg = new double[n][];
        for (int i = 0; i < n; i++) {
            seg[i] = segment(segments.get(i), where + ", segment " + i, matrix);
        }
        double[] xy = new double[64];
        int count = 0;
        for (int i = 0; i < n; i++) {
            double[] a = seg[i];
            double[] b = seg[(i + 1) % n];
            if (count == 0) {
                xy[0] = a[0];
                xy[1] = a[1];
                count = 1;
            }
            boolean straight = a[4] == a[0] && a[5] == a[1] && b[2] == b[0] && b[3] == b[1];
            if (straight) {
                xy = put(xy, count++, b[0], b[1]);
            } else {
                double[] pts = new double[64];
                int[] k = {0};
                pts = flatten(a[0], a[1], a[4], a[5], b[2], b[3], b[0], b[1], 0, pts, k);
                for (int j = 0; j < k[0]; j++) {
                    xy = put(xy, count++, pts[2 * j], pts[2 * j + 1]);
                }
            }
            if (count + points(rings) > MAX_FLATTENED_POINTS) {
                throw Features.fail(where, "its curves flatten into more than " + MAX_FLATTENED_POINTS + " points");
            }
        }
        if (n > 0) {
            rings.add(Features.ring(xy, count, where));
        } else {
            throw Features.fail(where, "has no segments");
        }
    }

    private static long points(List<Ring> rings) {
        long n = 0;
        for (Ring r : rings) {
            n += r.size();
        }
        return n;
    }

    private static double[] put(double[] xy, int i, double x, double y) {
        if (2 * i + 2 > xy.length) {
            xy = java.util.Arrays.copyOf(xy, xy.length * 2);
        }
        xy[2 * i] = x;
        xy[2 * i + 1] = y;
        return xy;
    }

    /**
     * A segment in pixels: {x, y, inX, inY, outX, outY} with the handles made absolute, through
     * the matrix and the scale.
     */
    private double[] segment(Object value, String where, double[] matrix) {
        List<Object> s = Features.array(value, where, "a segment");
        double x;
        double y;
        double ix = 0;
        double iy = 0;
        double ox = 0;
        double oy = 0;
        if (s.size() == 2 && s.get(0) instanceof Double) {
            x = Features.number(s.get(0), where, "x");
            y = Features.number(s.get(1), where, "y");
        } else if (s.size() >= 3 && s.get(0) instanceof List<?>) {
            double[] p = point(s.get(0), where, "the point");
            double[] in = point(s.get(1), where, "handle in");
            double[] out = point(s.get(2), where, "handle out");
            x = p[0];
            y = p[1];
            ix = in[0];
            iy = in[1];
            ox = out[0];
            oy = out[1];
        } else {
            throw Features.fail(where, "must be [x, y] or [[x, y], [inX, inY], [outX, outY]], got " + Features.describe(value));
        }
        double[] r = new double[6];
        transform(matrix, x, y, r, 0);
        transform(matrix, x + ix, y + iy, r, 2);
        transform(matrix, x + ox, y + oy, r, 4);
        if (ix == 0 && iy == 0) {
            r[2] = r[0];
            r[3] = r[1];
        }
        if (ox == 0 && oy == 0) {
            r[4] = r[0];
            r[5] = r[1];
        }
        return r;
    }

    private static double[] point(Object value, String where, String what) {
        List<Object> p = Features.array(value, where, what);
        if (p.size() != 2) {
            throw Features.fail(where, what + " must be [x, y], got " + Features.describe(value));
        }
        return new double[] {Features.number(p.get(0), where, what + " x"), Features.number(p.get(1), where, what + " y")};
    }

    private void transform(double[] m, double x, double y, double[] out, int at) {
        double tx = m == null ? x : m[0] * x + m[2] * y + m[4];
        double ty = m == null ? y : m[1] * x + m[3] * y + m[5];
        out[at] = tx * pixelsPerUnit;
        out[at + 1] = ty * pixelsPerUnit;
    }

    private static double[] matrix(Map<String, Object> props, String where) {
        Object value = props.get("matrix");
        if (value == null) {
            return null;
        }
        List<Object> m = Features.array(value, where, "\"matrix\"");
        if (m.size() != 6) {
            throw Features.fail(where, "\"matrix\" must be [a, b, c, d, tx, ty], got " + Features.describe(value));
        }
        double[] r = new double[6];
        for (int i = 0; i < 6; i++) {
            r[i] = Features.number(m.get(i), where, "matrix[" + i + "]");
        }
        return r;
    }

    /** outer ∘ inner: a child's own matrix first, then its parent's. */
    private static double[] compose(double[] outer, double[] inner) {
        if (outer == null) {
            return inner;
        }
        if (inner == null) {
            return outer;
        }
        return new double[] {
            outer[0] * inner[0] + outer[2] * inner[1],
            outer[1] * inner[0] + outer[3] * inner[1],
            outer[0] * inner[2] + outer[2] * inner[3],
            outer[1] * inner[2] + outer[3] * inner[3],
            outer[0] * inner[4] + outer[2] * inner[5] + outer[4],
            outer[1] * inner[4] + outer[3] * inner[5] + outer[5],
        };
    }

    /**
     * Appends points along the cubic from (x0, y0) to (x3, y3), excluding the start and including
     * the end, until each piece is within {@link #flatness} of its chord.
     */
    private double[] flatten(double x0, double y0, double x1, double y1, double x2, double y2, double x3, double y3,
                             int depth, double[] pts, int[] k) {
        double dx = x3 - x0;
        double dy = y3 - y0;
        double len = Math.hypot(dx, dy);
        double d1;
        double d2;
        if (len < 1e-12) {
            d1 = Math.hypot(x1 - x0, y1 - y0);
            d2 = Math.hypot(x2 - x0, y2 - y0);
        } else {
            d1 = Math.abs((x1 - x0) * dy - (y1 - y0) * dx) / len;
            d2 = Math.abs((x2 - x0) * dy - (y2 - y0) * dx) / len;
        }
        // the curve lies within 3/4 of the control points' distance from the chord
        if (depth >= 16 || 0.75 * Math.max(d1, d2) <= flatness) {
            if (2 * k[0] + 2 > pts.length) {
                pts = java.util.Arrays.copyOf(pts, pts.length * 2);
            }
            pts[2 * k[0]] = x3;
            pts[2 * k[0] + 1] = y3;
            k[0]++;
            return pts;
        }
        double ax = (x0 + x1) / 2, ay = (y0 + y1) / 2;
        double bx = (x1 + x2) / 2, by = (y1 + y2) / 2;
        double cx = (x2 + x3) / 2, cy = (y2 + y3) / 2;
        double abx = (ax + bx) / 2, aby = (ay + by) / 2;
        double bcx = (bx + cx) / 2, bcy = (by + cy) / 2;
        double mx = (abx + bcx) / 2, my = (aby + bcy) / 2;
        pts = flatten(x0, y0, ax, ay, abx, aby, mx, my, depth + 1, pts, k);
        return flatten(mx, my, bcx, bcy, cx, cy, x3, y3, depth + 1, pts, k);
    }

    /** 0xRRGGBB from a Paper colour ([r, g, b(, a)] or grey [g(, a)], components 0..1), or -1. */
    private static int colour(Object value) {
        if (!(value instanceof List<?> c) || c.isEmpty()) {
            return -1;
        }
        for (Object o : c) {
            if (!(o instanceof Double)) {
                return -1; // e.g. ["hsb", ...] or a gradient: no plain colour to take
            }
        }
        double r;
        double g;
        double b;
        if (c.size() >= 3) {
            r = (Double) c.get(0);
            g = (Double) c.get(1);
            b = (Double) c.get(2);
        } else {
            r = g = b = (Double) c.get(0);
        }
        return channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    /** Sorts closed rings into polygons by nesting depth (even = shell, odd = hole of the smallest shell around it). */
    private static List<Polygon> nest(List<Ring> rings) {
        int n = rings.size();
        int[] depth = new int[n];
        for (int i = 0; i < n; i++) {
            Ring r = rings.get(i);
            for (int j = 0; j < n; j++) {
                if (i != j && rings.get(j).contains(r.x(0), r.y(0))) {
                    depth[i]++;
                }
            }
        }
        List<Integer> shells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (depth[i] % 2 == 0) {
                shells.add(i);
            }
        }
        List<List<Ring>> holes = new ArrayList<>();
        for (int s = 0; s < shells.size(); s++) {
            holes.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            if (depth[i] % 2 == 1) {
                int best = -1;
                for (int s = 0; s < shells.size(); s++) {
                    Ring shell = rings.get(shells.get(s));
                    if (depth[shells.get(s)] == depth[i] - 1 && shell.contains(rings.get(i).x(0), rings.get(i).y(0))
                            && (best < 0 || shell.area() < rings.get(shells.get(best)).area())) {
                        best = s;
                    }
                }
                if (best >= 0) {
                    holes.get(best).add(rings.get(i));
                }
            }
        }
        List<Polygon> out = new ArrayList<>();
        for (int s = 0; s < shells.size(); s++) {
            out.add(new Polygon(rings.get(shells.get(s)), holes.get(s)));
        }
        return out;
    }

    // ---- writing ----

    private void writeRegion(JsonWriter w, ClassifiedPolygon p, int index) {
        ImageClass c = p.imageClass();
        w.beginObject().name("annotation");
        writeAnnotation(w, List.of(p.polygon()), c.name(), Long.toHexString(Features.mix(Features.hash(p, index))), c.rgb());
        w.endObject();
    }

    /**
     * One region as MicroDraw's annotation object {@code {"path", "name", "uid"}}: a Path for a
     * polygon without holes, else one CompoundPath holding every shell and hole (shells and holes
     * wound in opposite directions, so Paper's non-zero fill shows the holes); the fill is the class
     * colour at 50 % alpha.
     */
    public void writeAnnotation(JsonWriter w, List<Polygon> polygons, String name, String uid, int rgb) {
        w.beginObject();
        w.name("path").beginArray();
        if (polygons.size() == 1 && polygons.get(0).holes().isEmpty()) {
            w.value("Path").beginObject().name("applyMatrix").value(true);
            writeSegments(w, polygons.get(0).shell(), true);
            w.name("closed").value(true);
        } else {
            w.value("CompoundPath").beginObject().name("applyMatrix").value(true).name("children").beginArray();
            for (Polygon polygon : polygons) {
                writeChild(w, polygon.shell(), true);
                for (Ring h : polygon.holes()) {
                    writeChild(w, h, false);
                }
            }
            w.endArray();
        }
        w.name("fillColor").beginArray().value(unit(rgb >> 16)).value(unit(rgb >> 8)).value(unit(rgb)).value(0.5).endArray();
        w.name("strokeColor").beginArray().value(0L).value(0L).value(0L).endArray();
        w.name("strokeScaling").value(false);
        w.endObject().endArray();
        w.name("name").value(name);
        w.name("uid").value(uid);
        w.endObject();
    }

    private static double unit(int channel) {
        return Math.round((channel & 0xff) / 255.0 * 1000) / 1000.0;
    }

    private void writeChild(JsonWriter w, Ring ring, boolean shell) {
        w.beginArray().value("Path").beginObject().name("applyMatrix").value(true);
        writeSegments(w, ring, shell);
        w.name("closed").value(true).endObject().endArray();
    }

    private void writeSegments(JsonWriter w, Ring ring, boolean shell) {
        int n = ring.size();
        boolean reverse = (ring.signedArea() > 0) != shell;
        w.name("segments").beginArray();
        for (int k = 0; k < n; k++) {
            int i = reverse ? (n - k) % n : k;
            w.beginArray().value(ring.x(i) / pixelsPerUnit).value(ring.y(i) / pixelsPerUnit).endArray();
        }
        w.endArray();
    }
}
