package org.histodraw.engine.geojson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.histodraw.engine.vector.Polygon;

/**
 * One object of a QuPath GeoJSON file as read: everything QuPath writes about it, so that what came
 * in can go back out.
 *
 * @param at             where it is in the file, for reports ({@code feature 3}, {@code feature 3, child 0})
 * @param id             QuPath's object id (a UUID since QuPath 0.4), or null when the file gives none
 * @param objectType     {@code annotation}, {@code detection}, {@code cell}, {@code tile} or {@code tmaCore}
 * @param name           the object's name, or null
 * @param classification its class, or null when unclassified
 * @param polygons       the outline, one or more valid polygons (several for a MultiPolygon)
 * @param nucleus        a cell's nucleus outline (empty for other objects or a cell without one)
 * @param measurements   QuPath's measurement list in file order; NaN and infinities as QuPath keeps them
 * @param properties     every other property as read (colour, isLocked, metadata, plane, unknown keys), JSON
 *                       values as {@link Json#parse} gives them
 * @param notes          what reading changed or left out, for the report (empty when the object came through whole)
 */
public record QuPathObject(String at, String id, String objectType, String name, Classification classification,
                           List<Polygon> polygons, List<Polygon> nucleus, Map<String, Double> measurements,
                           Map<String, Object> properties, List<String> notes) {
    public static final String ANNOTATION = "annotation";
    public static final String DETECTION = "detection";
    public static final String CELL = "cell";
    public static final String TILE = "tile";
    public static final String TMA_CORE = "tmaCore";

    public QuPathObject {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(objectType, "objectType");
        polygons = List.copyOf(polygons);
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException(at + ": an object needs at least one polygon");
        }
        nucleus = List.copyOf(nucleus);
        measurements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        notes = List.copyOf(notes);
    }

    /** Detections, cells and tiles: objects QuPath made by analysis rather than drawing. */
    public boolean isDetection() {
        return objectType.equals(DETECTION) || objectType.equals(CELL) || objectType.equals(TILE);
    }

    /** The class name, or null when unclassified. */
    public String className() {
        return classification == null ? null : classification.name();
    }
}
