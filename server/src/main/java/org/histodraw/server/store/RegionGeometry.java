package org.histodraw.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * A region's outline as GeoJSON Polygon or MultiPolygon in full-resolution pixel coordinates,
 * checked with JTS ({@link IsValidOp}: no self-intersections, holes inside their shell...) and kept
 * in a compact normal form (closed rings, numbers as written). Invalid input fails with an
 * IllegalArgumentException naming the problem and where it is.
 */
public record RegionGeometry(String json, Envelope envelope, int vertices) {
    public static final int MAX_VERTICES = 200_000;
    private static final GeometryFactory FACTORY = new GeometryFactory();

    public static RegionGeometry parse(JsonNode geometry) {
        if (geometry == null || !geometry.isObject()) {
            throw new IllegalArgumentException("feature needs a \"geometry\" object (Polygon or MultiPolygon)");
        }
        String type = geometry.path("type").asText("");
        JsonNode coords = geometry.get("coordinates");
        if (coords == null || !coords.isArray()) {
            throw new IllegalArgumentException("geometry needs \"coordinates\" as an array");
        }
        Geometry g;
        StringBuilder out = new StringBuilder(coords.size() * 64);
        int[] count = {0};
        if (type.equals("Polygon")) {
            out.append("{\"type\":\"Polygon\",\"coordinates\":");
            g = polygon(coords, out, count, "polygon");
        } else if (type.equals("MultiPolygon")) {
            out.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            Polygon[] parts = new Polygon[coords.size()];
            if (parts.length == 0) {
                throw new IllegalArgumentException("MultiPolygon has no polygons");
            }
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                parts[i] = polygon(coords.get(i), out, count, "polygon " + i);
            }
            out.append(']');
            g = FACTORY.createMultiPolygon(parts);
        } else {
            throw new IllegalArgumentException("geometry type must be Polygon or MultiPolygon, got "
                    + (type.isEmpty() ? "none" : type));
        }
        out.append('}');
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            Coordinate at = error.getCoordinate();
            throw new IllegalArgumentException("invalid polygon: " + error.getMessage()
                    + (at == null ? "" : String.format(Locale.ROOT, " at (%s, %s)", num(at.x), num(at.y))));
        }
        return new RegionGeometry(out.toString(), g.getEnvelopeInternal(), count[0]);
    }

    private static Polygon polygon(JsonNode rings, StringBuilder out, int[] count, String what) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one ring");
        }
        out.append('[');
        LinearRing shell = null;
        List<LinearRing> holes = new ArrayList<>();
        for (int r = 0; r < rings.size(); r++) {
            if (r > 0) {
                out.append(',');
            }
            LinearRing ring = ring(rings.get(r), out, count, what + (r == 0 ? " shell" : " hole " + r));
            if (r == 0) {
                shell = ring;
            } else {
                holes.add(ring);
            }
        }
        out.append(']');
        return FACTORY.createPolygon(shell, holes.toArray(new LinearRing[0]));
    }

    private static LinearRing ring(JsonNode points, StringBuilder out, int[] count, String what) {
        if (!points.isArray()) {
            throw new IllegalArgumentException(what + " must be an array of [x, y] points");
        }
        List<Coordinate> coords = new ArrayList<>(points.size() + 1);
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw new IllegalArgumentException(what + ", point " + i + ": expected [x, y] numbers, got " + p);
            }
            double x = p.get(0).asDouble(), y = p.get(1).asDouble();
            if (!Double.isFinite(x) || !Double.isFinite(y) || Math.abs(x) > 1e9 || Math.abs(y) > 1e9) {
                throw new IllegalArgumentException(what + ", point " + i + ": coordinates out of range: " + p);
            }
            coords.add(new Coordinate(x, y));
        }
        if (!coords.isEmpty() && !coords.get(0).equals2D(coords.get(coords.size() - 1))) {
            coords.add(new Coordinate(coords.get(0)));
        }
        if (coords.size() < 4) {
            throw new IllegalArgumentException(what + " needs at least 3 distinct points, got " + Math.max(0, coords.size() - 1));
        }
        count[0] += coords.size();
        if (count[0] > MAX_VERTICES) {
            throw new IllegalArgumentException("region has more than " + MAX_VERTICES + " vertices; simplify it first");
        }
        out.append('[');
        for (int i = 0; i < coords.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('[').append(num(coords.get(i).x)).append(',').append(num(coords.get(i).y)).append(']');
        }
        out.append(']');
        return FACTORY.createLinearRing(coords.toArray(new Coordinate[0]));
    }

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
