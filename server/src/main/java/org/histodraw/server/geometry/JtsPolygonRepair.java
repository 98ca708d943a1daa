package org.histodraw.server.geometry;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.geojson.PolygonRepair;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.geom.util.GeometryFixer;

/**
 * Repairs invalid outlines read from users' files with JTS's {@link GeometryFixer} (which QuPath
 * also uses, for cell boundaries): a self-intersecting ring is noded and split into the polygons it
 * encloses, a hole crossing its shell is cut out of it, collapsed parts are dropped. The server's import and
 * {@code histodraw segment --labels} both use it, so a file is read the same way by both.
 */
public final class JtsPolygonRepair implements PolygonRepair {
    public static final JtsPolygonRepair INSTANCE = new JtsPolygonRepair();
    private static final GeometryFactory FACTORY = new GeometryFactory();

    private JtsPolygonRepair() {
    }

    @Override
    public List<Polygon> repair(Polygon invalid, String problem) {
        return fromJts(GeometryFixer.fix(toJts(List.of(invalid))));
    }

    /** Polygons as one JTS geometry: a Polygon, or a MultiPolygon for several. */
    public static Geometry toJts(List<Polygon> polygons) {
        org.locationtech.jts.geom.Polygon[] parts = new org.locationtech.jts.geom.Polygon[polygons.size()];
        for (int i = 0; i < parts.length; i++) {
            Polygon p = polygons.get(i);
            LinearRing[] holes = new LinearRing[p.holes().size()];
            for (int h = 0; h < holes.length; h++) {
                holes[h] = ring(p.holes().get(h));
            }
            parts[i] = FACTORY.createPolygon(ring(p.shell()), holes);
        }
        return parts.length == 1 ? parts[0] : FACTORY.createMultiPolygon(parts);
    }

    /** The polygons of a JTS geometry (lines and points in it are dropped), without repeated vertices. */
    public static List<Polygon> fromJts(Geometry g) {
        List<Polygon> out = new ArrayList<>();
        for (Object o : PolygonExtracter.getPolygons(g)) {
            org.locationtech.jts.geom.Polygon p = (org.locationtech.jts.geom.Polygon) o;
            Ring shell = ring(p.getExteriorRing().getCoordinates());
            if (p.isEmpty() || shell == null) {
                continue;
            }
            List<Ring> holes = new ArrayList<>();
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                Ring hole = ring(p.getInteriorRingN(h).getCoordinates());
                if (hole != null) {
                    holes.add(hole);
                }
            }
            out.add(new Polygon(shell, holes));
        }
        return out;
    }

    private static LinearRing ring(Ring r) {
        Coordinate[] c = new Coordinate[r.size() + 1];
        for (int i = 0; i < r.size(); i++) {
            c[i] = new Coordinate(r.x(i), r.y(i));
        }
        c[r.size()] = new Coordinate(c[0]);
        return FACTORY.createLinearRing(c);
    }

    /** A ring from closed JTS coordinates, repeated vertices dropped; null when fewer than 3 distinct remain. */
    private static Ring ring(Coordinate[] closed) {
        double[] xy = new double[2 * closed.length];
        int n = 0;
        for (int i = 0; i < closed.length - 1; i++) {
            if (n > 0 && closed[i].x == xy[2 * n - 2] && closed[i].y == xy[2 * n - 1]) {
                continue;
            }
            xy[2 * n] = closed[i].x;
            xy[2 * n + 1] = closed[i].y;
            n++;
        }
        while (n > 1 && xy[0] == xy[2 * n - 2] && xy[1] == xy[2 * n - 1]) {
            n--;
        }
        return n < 3 ? null : new Ring(java.util.Arrays.copyOf(xy, 2 * n));
    }
}
