package org.histodraw.engine.vector;

import java.util.function.Consumer;

/**
 * The clean-up between the contour tracer and whoever takes its polygons: regions under a minimum
 * area are dropped first, the rest simplified within a tolerance (both optional). One place, so
 * the CLI, the service and the Spark job give the same polygons for the same settings.
 */
public final class PolygonCleaning {
    private PolygonCleaning() {
    }

    /**
     * A consumer that cleans each polygon and hands it to {@code sink}.
     *
     * @param simplify tolerance in pixels (0: keep every vertex)
     * @param minArea  smallest area kept, in square pixels (0: keep all)
     */
    public static Consumer<ClassifiedPolygon> before(Consumer<ClassifiedPolygon> sink, double simplify, double minArea) {
        if (!(simplify >= 0) || !(minArea >= 0)) {
            throw new IllegalArgumentException("simplify and minimum area must be at least 0: " + simplify + ", " + minArea);
        }
        Consumer<ClassifiedPolygon> out = sink;
        if (simplify > 0) {
            PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(simplify);
            Consumer<ClassifiedPolygon> next = out;
            out = p -> next.accept(simplifier.apply(p));
        }
        if (minArea > 0) {
            out = new MinimumAreaFilter(minArea).forwardingTo(out);
        }
        return out;
    }
}
