package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;

/**
 * Regions as GeoJSON, the way QuPath reads and writes annotations: pixel coordinates of the full
 * resolution image, x to the right, y down, origin at the top-left corner.
 *
 * <p>Reading ({@link #readRegions}) is strict, for files the project wrote itself: every feature
 * must be a classified polygon or multipolygon (each polygon becomes its own region), else the
 * first that is not is named in the exception. It reads through {@link QuPathReader}, which is
 * what reads files from users: that one reports a feature it cannot use and goes on.
 *
 * <p>Writing ({@link GeoJsonWriter}) gives a QuPath-compatible FeatureCollection: closed rings,
 * shells with positive shoelace area in the raw coordinates (counter-clockwise in a y-up frame, as
 * RFC 7946 asks; clockwise as seen on screen) and holes the other way round.
 */
public final class GeoJson {
    private GeoJson() {
    }

    /** Regions whose classes must all be in {@code classes}; unknown class names fail, all named at once. */
    public static List<ClassifiedPolygon> readRegions(String json, ClassList classes) {
        return Features.resolve(readNamed(json), classes);
    }

    /** Regions with a class list built in order of first appearance (colours from the file where given). */
    public static LabelledRegions readRegions(String json) {
        return Features.collect(readNamed(json));
    }

    /** Writes the polygons as one FeatureCollection. */
    public static void write(List<ClassifiedPolygon> polygons, Appendable out) {
        write(polygons, out, Map.of());
    }

    /**
     * Writes the polygons as one FeatureCollection; every feature's properties also get
     * {@code extraProperties} (e.g. provenance: which model produced them).
     */
    public static void write(List<ClassifiedPolygon> polygons, Appendable out, Map<String, Object> extraProperties) {
        GeoJsonWriter writer = new GeoJsonWriter(out, extraProperties);
        for (ClassifiedPolygon p : polygons) {
            writer.accept(p);
        }
        writer.finish();
    }

    /** The polygons as FeatureCollection text. */
    public static String toText(List<ClassifiedPolygon> polygons) {
        StringBuilder sb = new StringBuilder();
        write(polygons, sb);
        return sb.toString();
    }

    /**
     * Every feature as a classified region, or an exception naming the first that is not one: for
     * files the project writes itself (models, the service's regions), where anything else is a bug.
     * Files from users go through {@link QuPathReader}, which reports and goes on.
     */
    private static List<Features.Named> readNamed(String json) {
        QuPathFile file = QuPathReader.read(json, null);
        if (!file.skipped().isEmpty()) {
            throw new IllegalArgumentException("GeoJSON " + file.skipped().get(0).message());
        }
        List<Features.Named> named = new ArrayList<>();
        for (QuPathObject o : file.objects()) {
            if (o.classification() == null) {
                throw new IllegalArgumentException("GeoJSON " + o.at()
                        + ": has no class: expected properties.classification.name, properties.name or properties.class");
            }
            for (Polygon p : o.polygons()) {
                named.add(new Features.Named(o.classification().name(), o.classification().rgb(), p));
            }
        }
        return named;
    }
}
