package org.histodraw.server.geometry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.histodraw.engine.vector.DouglasPeuckerRing;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * A region's outline as plain coordinate arrays: polygons, each a shell then holes, each ring
 * {@code x0, y0, x1, y1, ...} closed (last point = first). Read straight from the stored GeoJSON
 * text with a streaming parser, for drawing, simplifying for a zoom level and hit-testing, where
 * building a full JTS geometry per region would cost more than the work itself.
 */
public record Outline(List<List<double[]>> polygons) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final GeometryFactory FACTORY = new GeometryFactory();

    /** Reads a stored Polygon or MultiPolygon geometry (the server's compact GeoJSON). */
    public static Outline parse(String geometryJson) {
        try (JsonParser p = JSON.createParser(geometryJson)) {
            String type = null;
            List<List<double[]>> polygons = null;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("geometry is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("type")) {
                    type = p.getText();
                } else if (field.equals("coordinates")) {
                    polygons = coordinates(p, type);
                } else {
                    p.skipChildren();
                }
            }
            if (polygons == null) {
                throw new IllegalArgumentException("geometry has no coordinates");
            }
            return new Outline(polygons);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored geometry is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<List<double[]>> coordinates(JsonParser p, String type) throws IOException {
        List<List<double[]>> polygons = new ArrayList<>();
        if ("Polygon".equals(type)) {
            polygons.add(rings(p));
        } else if ("MultiPolygon".equals(type)) {
            while (p.nextToken() == JsonToken.START_ARRAY) {
                polygons.add(rings(p));
            }
        } else {
            throw new IllegalArgumentException("geometry type must come before coordinates and be Polygon or MultiPolygon: " + type);
        }
        return polygons;
    }

    /** At the START_ARRAY of a polygon's ring list; leaves the parser at its END_ARRAY. */
    private static List<double[]> rings(JsonParser p) throws IOException {
        List<double[]> rings = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            double[] xy = new double[64];
            int n = 0;
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                double x = p.getDoubleValue();
                p.nextToken();
                double y = p.getDoubleValue();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren(); // a third coordinate, if any
                }
                if (n + 2 > xy.length) {
                    xy = Arrays.copyOf(xy, xy.length * 2);
                }
                xy[n++] = x;
                xy[n++] = y;
            }
            rings.add(Arrays.copyOf(xy, n));
        }
        return rings;
    }

    public static Outline of(Geometry g) {
        List<List<double[]>> polygons = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Geometry part = g.getGeometryN(i);
            if (part instanceof Polygon poly && !poly.isEmpty()) {
                List<double[]> rings = new ArrayList<>();
                rings.add(xy(poly.getExteriorRing().getCoordinates()));
                for (int h = 0; h < poly.getNumInteriorRing(); h++) {
                    rings.add(xy(poly.getInteriorRingN(h).getCoordinates()));
                }
                polygons.add(rings);
            }
        }
        return new Outline(polygons);
    }

    private static double[] xy(Coordinate[] coords) {
        double[] xy = new double[coords.length * 2];
        for (int i = 0; i < coords.length; i++) {
            xy[2 * i] = coords[i].x;
            xy[2 * i + 1] = coords[i].y;
        }
        return xy;
    }

    public boolean isEmpty() {
        return polygons.isEmpty();
    }

    /** As a JTS Polygon or MultiPolygon. */
    public Geometry toJts() {
        Polygon[] parts = new Polygon[polygons.size()];
        for (int i = 0; i < parts.length; i++) {
            List<double[]> rings = polygons.get(i);
            LinearRing[] holes = new LinearRing[rings.size() - 1];
            for (int h = 1; h < rings.size(); h++) {
                holes[h - 1] = ring(rings.get(h));
            }
            parts[i] = FACTORY.createPolygon(ring(rings.get(0)), holes);
        }
        return parts.length == 1 ? parts[0] : FACTORY.createMultiPolygon(parts);
    }

    private static LinearRing ring(double[] xy) {
        Coordinate[] c = new Coordinate[xy.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        }
        return FACTORY.createLinearRing(c);
    }

    /**
     * The outline as it looks at a zoom where one screen pixel is {@code tolerance} slide pixels:
     * every ring Douglas-Peucker simplified within that tolerance, holes and parts whose box is
     * smaller than it dropped. For display only: the result may touch itself where the original
     * came closer than a pixel, which a screen cannot show anyway.
     */
    public Outline simplified(double tolerance) {
        List<List<double[]>> out = new ArrayList<>();
        for (List<double[]> rings : polygons) {
            List<double[]> kept = new ArrayList<>();
            for (int r = 0; r < rings.size(); r++) {
                double[] ring = rings.get(r);
                if (smallerThan(ring, tolerance)) {
                    if (r == 0) {
                        break; // a part smaller than a pixel goes with its holes
                    }
                    continue;
                }
                double[] s = simplifiedRing(ring, tolerance);
                if (s.length >= 8) {
                    kept.add(s);
                } else if (r == 0) {
                    break;
                }
            }
            if (!kept.isEmpty()) {
                out.add(kept);
            }
        }
        return new Outline(out);
    }

    /** A closed ring Douglas-Peucker simplified (a sliver keeps a triangle), closed again. */
    private static double[] simplifiedRing(double[] ring, double tolerance) {
        int n = ring.length / 2;
        boolean closed = n > 1 && ring[0] == ring[2 * n - 2] && ring[1] == ring[2 * n - 1];
        double[] open = DouglasPeuckerRing.simplifyKeepingTriangle(ring, closed ? n - 1 : n, tolerance);
        double[] out = Arrays.copyOf(open, open.length + 2);
        out[open.length] = open[0];
        out[open.length + 1] = open[1];
        return out;
    }

    private static boolean smallerThan(double[] ring, double size) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < ring.length; i += 2) {
            minX = Math.min(minX, ring[i]);
            maxX = Math.max(maxX, ring[i]);
            minY = Math.min(minY, ring[i + 1]);
            maxY = Math.max(maxY, ring[i + 1]);
        }
        return maxX - minX < size && maxY - minY < size;
    }

    /**
     * GeoJSON text, coordinates rounded to {@code grid} (e.g. 1 for whole pixels; 0 keeps them as
     * they are), which keeps zoomed-out answers small.
     */
    public String toJson(double grid) {
        StringBuilder sb = new StringBuilder(64 + polygons.size() * 256);
        boolean multi = polygons.size() != 1;
        sb.append(multi ? "{\"type\":\"MultiPolygon\",\"coordinates\":[" : "{\"type\":\"Polygon\",\"coordinates\":");
        for (int i = 0; i < polygons.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('[');
            List<double[]> rings = polygons.get(i);
            for (int r = 0; r < rings.size(); r++) {
                if (r > 0) {
                    sb.append(',');
                }
                sb.append('[');
                double[] xy = rings.get(r);
                for (int k = 0; k < xy.length; k += 2) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    sb.append('[').append(num(xy[k], grid)).append(',').append(num(xy[k + 1], grid)).append(']');
                }
                sb.append(']');
            }
            sb.append(']');
        }
        return sb.append(multi ? "]}" : "}").toString();
    }

    private static String num(double v, double grid) {
        if (grid <= 0) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
        double d = grid > 0 ? Math.round(v / grid) * grid : v;
        if (grid >= 1 || d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(Math.round(d));
        }
        // Grids below one pixel: a tenth or a hundredth; print without binary noise.
        double scaled = Math.round(d * 100) / 100.0;
        return Double.toString(scaled);
    }
}
