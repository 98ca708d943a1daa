package org.histodraw.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * A region's outline as GeoJSON Polygon or MultiPolygon in full-resolution pixel coordinates,
 * checked with JTS ({@link IsValidOp}: no self-intersections, holes inside their shell...) and kept
 * in a compact normal form (closed rings, whole numbers without a fraction). It comes from a
 * client's GeoJSON ({@link #parse}) or from a shape edit's JTS result ({@link #of}), through the
 * same checks. Invalid input fails with an {@link InvalidInput} naming the problem and where it is;
 * more than {@value #MAX_VERTICES} vertices with a {@link LimitExceeded}.
 */
public record RegionGeometry(String json, Envelope envelope, int vertices) {
    public static final int MAX_VERTICES = 200_000;
    /** Coordinates beyond this (pixels) are refused: no slide is that large, and JTS stays exact. */
    static final double MAX_COORDINATE = 1e9;
    private static final GeometryFactory FACTORY = new GeometryFactory();

    /** A GeoJSON geometry object from a client. */
    public static RegionGeometry parse(JsonNode geometry) {
        if (geometry == null || !geometry.isObject()) {
            throw new InvalidInput("feature needs a \"geometry\" object (Polygon or MultiPolygon)");
        }
        String type = geometry.path("type").asText("");
        JsonNode coords = geometry.get("coordinates");
        if (coords == null || !coords.isArray()) {
            throw new InvalidInput("geometry needs \"coordinates\" as an array");
        }
        int[] count = {0};
        Geometry g;
        if (type.equals("Polygon")) {
            g = polygon(coords, count, "polygon");
        } else if (type.equals("MultiPolygon")) {
            if (coords.isEmpty()) {
                throw new InvalidInput("MultiPolygon has no polygons");
            }
            Polygon[] parts = new Polygon[coords.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = polygon(coords.get(i), count, "polygon " + i);
            }
            g = FACTORY.createMultiPolygon(parts);
        } else {
            throw new InvalidInput("geometry type must be Polygon or MultiPolygon, got " + (type.isEmpty() ? "none" : type));
        }
        return of(g);
    }

    /** A Polygon or MultiPolygon made by a shape edit (split, merge, fill holes, magic wand). */
    public static RegionGeometry of(Geometry g) {
        if (!(g instanceof Polygon) && !(g instanceof MultiPolygon)) {
            throw new InvalidInput("a region must be a Polygon or MultiPolygon, not a " + g.getGeometryType());
        }
        if (g.isEmpty()) {
            throw new InvalidInput("the region is empty");
        }
        int vertices = g.getNumPoints();
        if (vertices > MAX_VERTICES) {
            throw new LimitExceeded("maxVertices", MAX_VERTICES, "region has more than " + MAX_VERTICES
                    + " vertices; simplify it first");
        }
        for (Coordinate c : g.getCoordinates()) {
            checkPoint(c.x, c.y, "point");
        }
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            Coordinate at = error.getCoordinate();
            throw new InvalidInput("invalid polygon: " + error.getMessage()
                    + (at == null ? "" : String.format(Locale.ROOT, " at (%s, %s)", num(at.x), num(at.y))));
        }
        StringBuilder out = new StringBuilder(vertices * 16 + 48);
        if (g instanceof Polygon p) {
            out.append("{\"type\":\"Polygon\",\"coordinates\":");
            write(p, out);
        } else {
            out.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (int i = 0; i < g.getNumGeometries(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write((Polygon) g.getGeometryN(i), out);
            }
            out.append(']');
        }
        return new RegionGeometry(out.append('}').toString(), g.getEnvelopeInternal(), vertices);
    }

    private static Polygon polygon(JsonNode rings, int[] count, String what) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new InvalidInput(what + " needs at least one ring");
        }
        LinearRing shell = ring(rings.get(0), count, what + " shell");
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int r = 1; r < rings.size(); r++) {
            holes[r - 1] = ring(rings.get(r), count, what + " hole " + r);
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode points, int[] count, String what) {
        if (!points.isArray()) {
            throw new InvalidInput(what + " must be an array of [x, y] points");
        }
        // Counted before anything is built, so a huge ring costs no more than its JSON.
        if (count[0] + points.size() > MAX_VERTICES) {
            throw new LimitExceeded("maxVertices", MAX_VERTICES, "region has more than " + MAX_VERTICES
                    + " vertices; simplify it first");
        }
        int n = points.size();
        Coordinate[] coords = new Coordinate[n + 1];
        for (int i = 0; i < n; i++) {
            JsonNode p = points.get(i);
            if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw new InvalidInput(what + ", point " + i + ": expected [x, y] numbers, got " + p);
            }
            double x = p.get(0).asDouble(), y = p.get(1).asDouble();
            checkPoint(x, y, what + ", point " + i);
            coords[i] = new Coordinate(x, y);
        }
        if (n > 0 && coords[0].equals2D(coords[n - 1])) {
            coords = Arrays.copyOf(coords, n);
        } else if (n > 0) {
            coords[n] = new Coordinate(coords[0]);
        }
        if (coords.length < 4) {
            throw new InvalidInput(what + " needs at least 3 distinct points, got " + Math.max(0, coords.length - 1));
        }
        count[0] += coords.length;
        return FACTORY.createLinearRing(coords);
    }

    private static void checkPoint(double x, double y, String what) {
        if (!Double.isFinite(x) || !Double.isFinite(y) || Math.abs(x) > MAX_COORDINATE || Math.abs(y) > MAX_COORDINATE) {
            throw new InvalidInput(what + ": coordinates out of range: [" + x + ", " + y + "]");
        }
    }

    private static void write(Polygon p, StringBuilder out) {
        out.append('[');
        write(p.getExteriorRing().getCoordinates(), out);
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
            out.append(',');
            write(p.getInteriorRingN(h).getCoordinates(), out);
        }
        out.append(']');
    }

    private static void write(Coordinate[] ring, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < ring.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('[').append(num(ring[i].x)).append(',').append(num(ring[i].y)).append(']');
        }
        out.append(']');
    }

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
