package org.histodraw.engine.geojson;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.histodraw.engine.vector.Polygon;

/**
 * One MicroDraw annotation as read: a region (closed paths, as polygons in image pixels), a line
 * (an open path) or a text ({@code PointText}). Lines and texts have no area, so they are no
 * regions; they are kept as MicroDraw wrote them ({@link #annotation}) for whoever keeps them.
 *
 * @param at         where it is in the file, for reports ({@code MicroDraw region 3})
 * @param uid        MicroDraw's uid, or null when the file gives none
 * @param name       the region's class (MicroDraw names regions by their ontology term); texts are {@code textAnnotation}
 * @param polygons   a region's polygons (a CompoundPath may hold several); empty for lines and texts
 * @param rgb        the fill colour as 0xRRGGBB, or -1
 * @param annotation the annotation object as read ({@code name}, {@code uid}, {@code path} as a JSON tree)
 */
public record MicroDrawAnnotation(String at, String uid, String name, Kind kind, List<Polygon> polygons, int rgb,
                                  Map<String, Object> annotation) {
    /** What an annotation is. */
    public enum Kind {
        REGION, LINE, TEXT;

        /** "a region", "a line", "a text" */
        public String article() {
            return this == REGION ? "a region" : this == LINE ? "a line" : "a text";
        }
    }

    public MicroDrawAnnotation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        polygons = List.copyOf(polygons);
        if ((kind == Kind.REGION) == polygons.isEmpty()) {
            throw new IllegalArgumentException(at + ": a region has polygons, a line or a text none");
        }
        annotation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotation));
    }
}
