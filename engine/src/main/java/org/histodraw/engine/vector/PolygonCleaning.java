package org.histodraw.engine.vector;

import java.util.function.Consumer;

/**
 * How regions traced from a class map are cleaned before anyone sees them, as QuPath's "create
 * objects" offers: regions smaller than {@code minRegionArea} dropped, holes smaller than
 * {@code minHoleArea} filled, outlines simplified within {@code simplify} pixels (Douglas-Peucker)
 * and smoothed by {@code smoothing} passes of corner cutting (see {@link PolygonSimplifier}). One
 * value used by {@code histodraw segment}, the segmentation service's jobs and the Spark cohort job
 * alike, so the same settings give the same polygons everywhere.
 *
 * <p>Areas are in µm² on a slide that knows its pixel size and in pixels² on one that does not
 * ({@link #minRegionPixels(Double)} turns them into pixels²). A null area means the default:
 * {@value #DEFAULT_MICRONS2} µm², or {@value #DEFAULT_PIXELS2} px² without a pixel size (the same
 * area at 0.5 µm per pixel, a 20x scan). The defaults drop the specks of one to a few pixels that a
 * pixel classifier leaves along class borders (on the demo's 512 x 512 IHC slice, 1,510 regions
 * without them, 58 with them) and keep nuclei, which are 100-750 px² at 40x.
 *
 * @param minRegionArea smallest region kept (µm² or px², see above; null = default; 0 keeps all)
 * @param minHoleArea   smallest hole kept (µm² or px²; null = default; 0 keeps all)
 * @param simplify      Douglas-Peucker tolerance in pixels (0 keeps every vertex of the pixel outline)
 * @param smoothing     passes of Chaikin corner cutting after simplifying, 0..{@value PolygonSimplifier#MAX_SMOOTHING}
 */
public record PolygonCleaning(Double minRegionArea, Double minHoleArea, double simplify, int smoothing) {
    public static final double DEFAULT_MICRONS2 = 10;
    public static final double DEFAULT_PIXELS2 = 40;
    public static final double DEFAULT_SIMPLIFY = 1.0;

    public PolygonCleaning {
        check("minimum region area", minRegionArea);
        check("minimum hole area", minHoleArea);
        if (!(simplify >= 0) || Double.isInfinite(simplify)) {
            throw new IllegalArgumentException("simplify must be a finite number of pixels >= 0: " + simplify);
        }
        if (smoothing < 0 || smoothing > PolygonSimplifier.MAX_SMOOTHING) {
            throw new IllegalArgumentException("smoothing must be 0.." + PolygonSimplifier.MAX_SMOOTHING + " passes: " + smoothing);
        }
    }

    private static void check(String what, Double area) {
        if (area != null && (!(area >= 0) || Double.isInfinite(area))) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0 (µm², or px² without a pixel size): " + area);
        }
    }

    /** The defaults: specks dropped, small holes filled, outlines simplified by 1 px, no smoothing. */
    public static PolygonCleaning defaults() {
        return new PolygonCleaning(null, null, DEFAULT_SIMPLIFY, 0);
    }

    /** Every traced region and vertex kept as it is. */
    public static PolygonCleaning none() {
        return new PolygonCleaning(0.0, 0.0, 0, 0);
    }

    public PolygonCleaning withMinRegionArea(Double area) {
        return new PolygonCleaning(area, minHoleArea, simplify, smoothing);
    }

    public PolygonCleaning withMinHoleArea(Double area) {
        return new PolygonCleaning(minRegionArea, area, simplify, smoothing);
    }

    public PolygonCleaning withSimplify(double pixels) {
        return new PolygonCleaning(minRegionArea, minHoleArea, pixels, smoothing);
    }

    public PolygonCleaning withSmoothing(int passes) {
        return new PolygonCleaning(minRegionArea, minHoleArea, simplify, passes);
    }

    /** The smallest region kept, in pixels², on a slide of this pixel size (null or not positive: unknown). */
    public double minRegionPixels(Double micronsPerPixel) {
        return pixels(minRegionArea, micronsPerPixel);
    }

    /** The smallest hole kept, in pixels², on a slide of this pixel size. */
    public double minHolePixels(Double micronsPerPixel) {
        return pixels(minHoleArea, micronsPerPixel);
    }

    private static double pixels(Double area, Double micronsPerPixel) {
        boolean known = micronsPerPixel != null && micronsPerPixel > 0 && Double.isFinite(micronsPerPixel);
        if (area == null) {
            return known ? DEFAULT_MICRONS2 / (micronsPerPixel * micronsPerPixel) : DEFAULT_PIXELS2;
        }
        return known ? area / (micronsPerPixel * micronsPerPixel) : area;
    }

    /** A consumer that cleans each polygon of a slide of this pixel size and hands it to {@code sink}. */
    public Consumer<ClassifiedPolygon> before(Consumer<ClassifiedPolygon> sink, Double micronsPerPixel) {
        Consumer<ClassifiedPolygon> out = sink;
        if (simplify > 0 || smoothing > 0) {
            PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(simplify).smoothing(smoothing);
            Consumer<ClassifiedPolygon> next = out;
            out = p -> next.accept(simplifier.apply(p));
        }
        double region = minRegionPixels(micronsPerPixel), hole = minHolePixels(micronsPerPixel);
        if (region > 0 || hole > 0) {
            out = new MinimumAreaFilter(region, hole).forwardingTo(out);
        }
        return out;
    }

    /** The settings as a user would type them, e.g. "min area 10 µm², min hole 10 µm², simplify 1 px, smoothing 0". */
    public String describe(Double micronsPerPixel) {
        boolean known = micronsPerPixel != null && micronsPerPixel > 0;
        String unit = known ? " µm²" : " px²";
        double r = known ? minRegionPixels(micronsPerPixel) * micronsPerPixel * micronsPerPixel : minRegionPixels(null);
        double h = known ? minHolePixels(micronsPerPixel) * micronsPerPixel * micronsPerPixel : minHolePixels(null);
        return "min region " + trim(r) + unit + ", min hole " + trim(h) + unit + ", simplify " + trim(simplify) + " px, smoothing " + smoothing;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(Math.round(v * 1000) / 1000.0);
    }
}
