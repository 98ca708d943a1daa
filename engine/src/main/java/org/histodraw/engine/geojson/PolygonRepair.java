package org.histodraw.engine.geojson;

import java.util.List;
import org.histodraw.engine.vector.Polygon;

/**
 * What a reader does with a polygon that is not valid ({@link org.histodraw.engine.vector.PolygonValidity}):
 * a self-intersecting outline, a hole crossing its shell. The engine itself can only refuse
 * ({@link #REFUSE}): repairing needs noding, which the server's geometry library does
 * ({@code org.histodraw.server.geometry.JtsPolygonRepair}); the server's import and
 * {@code histodraw segment --labels} both use that one, so both accept the same files.
 */
@FunctionalInterface
public interface PolygonRepair {
    /** Refuses every invalid polygon (the reader reports why). */
    PolygonRepair REFUSE = (polygon, problem) -> List.of();

    /**
     * Valid polygons covering what the invalid one meant, or an empty list when it cannot be
     * repaired (for example when nothing with an area is left).
     *
     * @param problem what is wrong with it, as {@link org.histodraw.engine.vector.PolygonValidity} says
     */
    List<Polygon> repair(Polygon invalid, String problem);
}
