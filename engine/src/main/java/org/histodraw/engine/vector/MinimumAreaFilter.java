package org.histodraw.engine.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drops specks: holes smaller than the minimum hole area are filled (removed from their polygon),
 * then polygons whose remaining area (shell minus holes) is below the minimum area are dropped.
 * Areas are in square pixels; one minimum serves for both unless a hole minimum is given. A filled hole may hide a small polygon of another class inside it; that polygon is
 * kept (and dropped only if it is itself too small), so where they overlap the order of the list
 * decides the label, as in {@link org.histodraw.engine.labels.PolygonRasteriser}.
 *
 * <p>Works on a list, one polygon at a time, or as a filter in front of a listener, e.g. between
 * the {@link ClassMapVectoriser} and a GeoJSON writer. Immutable and thread-safe.
 */
public final class MinimumAreaFilter {
    private final double minimumArea;
    private final double minimumHoleArea;

    public MinimumAreaFilter(double minimumArea) {
        this(minimumArea, minimumArea);
    }

    /** Regions under {@code minimumArea} dropped, holes under {@code minimumHoleArea} filled (px²). */
    public MinimumAreaFilter(double minimumArea, double minimumHoleArea) {
        if (!(minimumArea >= 0) || Double.isInfinite(minimumArea)) {
            throw new IllegalArgumentException("minimum area must be a finite number >= 0: " + minimumArea);
        }
        if (!(minimumHoleArea >= 0) || Double.isInfinite(minimumHoleArea)) {
            throw new IllegalArgumentException("minimum hole area must be a finite number >= 0: " + minimumHoleArea);
        }
        this.minimumArea = minimumArea;
        this.minimumHoleArea = minimumHoleArea;
    }

    public double minimumHoleArea() {
        return minimumHoleArea;
    }

    public double minimumArea() {
        return minimumArea;
    }

    /** The polygon with small holes filled, or null when the polygon itself is too small. */
    public ClassifiedPolygon apply(ClassifiedPolygon polygon) {
        Polygon p = apply(polygon.polygon());
        if (p == null) {
            return null;
        }
        return p == polygon.polygon() ? polygon : new ClassifiedPolygon(polygon.imageClass(), p);
    }

    /** The polygon with small holes filled, or null when the polygon itself is too small. */
    public Polygon apply(Polygon polygon) {
        List<Ring> kept = new ArrayList<>(polygon.holes().size());
        for (Ring h : polygon.holes()) {
            if (h.area() >= minimumHoleArea) {
                kept.add(h);
            }
        }
        Polygon filled = kept.size() == polygon.holes().size() ? polygon : new Polygon(polygon.shell(), kept);
        return filled.area() >= minimumArea ? filled : null;
    }

    /** The polygons large enough, with small holes filled, in their order. */
    public List<ClassifiedPolygon> apply(List<ClassifiedPolygon> polygons) {
        List<ClassifiedPolygon> out = new ArrayList<>(polygons.size());
        for (ClassifiedPolygon p : polygons) {
            ClassifiedPolygon q = apply(p);
            if (q != null) {
                out.add(q);
            }
        }
        return out;
    }

    /** A listener that passes on the polygons large enough (with small holes filled) to {@code next}. */
    public Consumer<ClassifiedPolygon> forwardingTo(Consumer<ClassifiedPolygon> next) {
        return p -> {
            ClassifiedPolygon q = apply(p);
            if (q != null) {
                next.accept(q);
            }
        };
    }
}
