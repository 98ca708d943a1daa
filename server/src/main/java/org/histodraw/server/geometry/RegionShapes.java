package org.histodraw.server.geometry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.histodraw.server.store.InvalidInput;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.polygonize.Polygonizer;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * The shape edits users asked MicroDraw for, on JTS geometries in slide pixels: split a region
 * along a drawn line, merge regions, fill holes. Each returns valid polygons or fails with an
 * InvalidInput that says why in the user's terms.
 */
public final class RegionShapes {
    private static final GeometryFactory FACTORY = new GeometryFactory();

    private RegionShapes() {
    }

    /**
     * The parts a line cuts a (multi)polygon into, largest first. The line is noded with the
     * region's outline and the result polygonised; parts are the faces inside the region. Fails
     * when the line leaves the region in one piece (it must cross it from edge to edge).
     */
    public static List<Polygon> split(Geometry region, LineString line) {
        Geometry noded = region.getBoundary().union(line);
        Polygonizer polygonizer = new Polygonizer();
        polygonizer.add(noded);
        List<Polygon> parts = new ArrayList<>();
        for (Object o : polygonizer.getPolygons()) {
            Polygon face = (Polygon) o;
            if (face.getArea() > 0 && region.contains(face.getInteriorPoint())) {
                parts.add(face);
            }
        }
        if (parts.size() < 2) {
            throw new InvalidInput("the line does not cut the region in two: draw it across the region, "
                    + "from outside one edge to outside another");
        }
        parts.sort(Comparator.comparingDouble(Geometry::getArea).reversed());
        return parts;
    }

    /** One region covering all the given ones (a MultiPolygon when they do not touch). */
    public static Geometry merge(List<Geometry> regions) {
        Geometry union = UnaryUnionOp.union(regions);
        if (union == null || union.isEmpty() || !(union.getDimension() == 2)) {
            throw new InvalidInput("the regions merge into nothing");
        }
        return polygonal(union);
    }

    /**
     * The region with its holes filled: all of them, or only those smaller than {@code maxArea}
     * square pixels when it is positive. Parts that sat in a filled hole are absorbed.
     */
    public static Geometry fillHoles(Geometry region, double maxArea) {
        List<Geometry> parts = new ArrayList<>();
        int filled = 0;
        for (int i = 0; i < region.getNumGeometries(); i++) {
            Polygon p = (Polygon) region.getGeometryN(i);
            List<LinearRing> kept = new ArrayList<>();
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                LinearRing hole = p.getInteriorRingN(h);
                if (maxArea > 0 && FACTORY.createPolygon(hole).getArea() >= maxArea) {
                    kept.add(hole);
                } else {
                    filled++;
                }
            }
            parts.add(FACTORY.createPolygon(p.getExteriorRing(), kept.toArray(new LinearRing[0])));
        }
        if (filled == 0) {
            throw new InvalidInput(maxArea > 0 ? "the region has no holes smaller than " + maxArea + " square pixels"
                    : "the region has no holes");
        }
        return polygonal(UnaryUnionOp.union(parts));
    }

    private static Geometry polygonal(Geometry g) {
        List<Polygon> polys = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
                polys.add(p);
            }
        }
        return polys.size() == 1 ? polys.get(0) : FACTORY.createMultiPolygon(polys.toArray(new Polygon[0]));
    }
}
