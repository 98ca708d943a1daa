package org.histodraw.engine.labels;

import java.util.Arrays;
import java.util.List;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/**
 * Fills polygons with holes into a label raster: the training labels of regions users drew.
 *
 * <p>Pixel-centre rule: pixel {@code (x, y)} takes the polygon's class when its centre
 * {@code (x + 0.5, y + 0.5)} is inside the polygon by the even-odd rule over the shell and all
 * holes, so holes stay as they were and a polygon traced from a class map fills exactly the pixels
 * it was traced from. A centre exactly on a vertical edge counts as inside on the edge's right
 * (half-open spans {@code [left, right)}), and on a horizontal edge as inside below it, so two
 * polygons that share an edge never both claim a pixel.
 *
 * <p>Order: polygons are filled in list order and later ones overwrite earlier ones where they
 * overlap. Pixels no polygon covers keep their value (0 in a fresh raster).
 *
 * <p>Scanline with sorted edge crossings: cost is proportional to the edges plus the filled rows,
 * never a point-in-polygon test per pixel. A raster may cover a sub-region of a big image (a tile):
 * polygons stay in image coordinates and are clipped to the region.
 */
public final class PolygonRasteriser {

    private PolygonRasteriser() {
    }

    /** A new {@code width x height} raster with the polygons filled in (later ones on top). */
    public static LabelRaster rasterise(List<ClassifiedPolygon> polygons, int width, int height) {
        LabelRaster raster = LabelRaster.allocate(width, height);
        fill(raster, PixelRegion.of(width, height), polygons);
        return raster;
    }

    /**
     * Fills the polygons into {@code target}, which holds the pixels of {@code region} of the image
     * (its pixel (0, 0) is image pixel (region.x, region.y)).
     */
    public static void fill(LabelRaster target, PixelRegion region, List<ClassifiedPolygon> polygons) {
        checkTarget(target, region);
        for (ClassifiedPolygon p : polygons) {
            fill(target, region, p.polygon(), p.imageClass().index());
        }
    }

    /** Fills one polygon with {@code label} into {@code target}, which holds {@code region} of the image. */
    public static void fill(LabelRaster target, PixelRegion region, Polygon polygon, int label) {
        checkTarget(target, region);
        if (label < 0 || label > 255) {
            throw new IllegalArgumentException("label must be 0..255: " + label);
        }
        Edges edges = Edges.of(polygon, region.y() + 0.5, region.endY() - 0.5);
        if (edges.count == 0) {
            return;
        }
        int firstRow = Math.max(region.y(), (int) Math.ceil(edges.minY - 0.5));
        int endRow = Math.min(region.endY(), (int) Math.ceil(edges.maxY - 0.5));
        byte[] data = target.data();
        byte value = (byte) label;
        double[] crossings = new double[16];
        int[] active = new int[16];
        int activeCount = 0;
        int nextEdge = 0;
        for (int row = firstRow; row < endRow; row++) {
            double yc = row + 0.5;
            // drop edges that ended, take in edges that started
            int kept = 0;
            for (int i = 0; i < activeCount; i++) {
                if (edges.y1[active[i]] > yc) {
                    active[kept++] = active[i];
                }
            }
            activeCount = kept;
            while (nextEdge < edges.count && edges.y0[nextEdge] <= yc) {
                if (edges.y1[nextEdge] > yc) {
                    if (activeCount == active.length) {
                        active = Arrays.copyOf(active, activeCount * 2);
                    }
                    active[activeCount++] = nextEdge;
                }
                nextEdge++;
            }
            if (activeCount < 2) {
                continue;
            }
            if (crossings.length < activeCount) {
                crossings = new double[active.length];
            }
            for (int i = 0; i < activeCount; i++) {
                int e = active[i];
                crossings[i] = edges.x0[e] + (yc - edges.y0[e]) * edges.slope[e];
            }
            Arrays.sort(crossings, 0, activeCount);
            int rowOffset = (row - region.y()) * region.width() - region.x();
            for (int i = 0; i + 1 < activeCount; i += 2) {
                int from = Math.max(region.x(), (int) Math.ceil(crossings[i] - 0.5));
                int to = Math.min(region.endX(), (int) Math.ceil(crossings[i + 1] - 0.5));
                if (from < to) {
                    Arrays.fill(data, rowOffset + from, rowOffset + to, value);
                }
            }
        }
    }

    private static void checkTarget(LabelRaster target, PixelRegion region) {
        if (target.width() != region.width() || target.height() != region.height()) {
            throw new IllegalArgumentException("target raster " + target.width() + " x " + target.height()
                    + " does not match region " + region);
        }
    }

    /** Non-horizontal edges of all rings overlapping the rows, sorted by their upper end. */
    private static final class Edges {
        int count;
        double[] x0;
        double[] y0;
        double[] y1;
        double[] slope;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;

        static Edges of(Polygon polygon, double firstCentre, double lastCentre) {
            int total = polygon.shell().size();
            for (Ring h : polygon.holes()) {
                total += h.size();
            }
            Edges e = new Edges();
            double[][] raw = new double[4][total];
            e.collect(polygon.shell(), raw, firstCentre, lastCentre);
            for (Ring h : polygon.holes()) {
                e.collect(h, raw, firstCentre, lastCentre);
            }
            int[] order = sortedByKey(raw[1], e.count);
            e.x0 = new double[e.count];
            e.y0 = new double[e.count];
            e.y1 = new double[e.count];
            e.slope = new double[e.count];
            for (int i = 0; i < e.count; i++) {
                int k = order[i];
                e.x0[i] = raw[0][k];
                e.y0[i] = raw[1][k];
                e.y1[i] = raw[3][k];
                e.slope[i] = raw[2][k];
            }
            return e;
        }

        /** Indices 0..n-1 ordered by {@code keys} (stable merge sort, no boxing). */
        private static int[] sortedByKey(double[] keys, int n) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = i;
            }
            int[] b = new int[n];
            for (int width = 1; width < n; width *= 2) {
                for (int lo = 0; lo < n; lo += 2 * width) {
                    int mid = Math.min(lo + width, n);
                    int hi = Math.min(lo + 2 * width, n);
                    int i = lo;
                    int j = mid;
                    int k = lo;
                    while (i < mid && j < hi) {
                        b[k++] = keys[a[j]] < keys[a[i]] ? a[j++] : a[i++];
                    }
                    while (i < mid) {
                        b[k++] = a[i++];
                    }
                    while (j < hi) {
                        b[k++] = a[j++];
                    }
                }
                int[] t = a;
                a = b;
                b = t;
            }
            return a;
        }

        private void collect(Ring ring, double[][] raw, double firstCentre, double lastCentre) {
            int n = ring.size();
            for (int i = 0, j = n - 1; i < n; j = i++) {
                double xa = ring.x(j);
                double ya = ring.y(j);
                double xb = ring.x(i);
                double yb = ring.y(i);
                if (!Double.isFinite(xa) || !Double.isFinite(ya) || !Double.isFinite(xb) || !Double.isFinite(yb)) {
                    throw new IllegalArgumentException("polygon vertex is not a finite number: (" + xb + ", " + yb + ")");
                }
                if (ya == yb) {
                    continue; // horizontal edges never cross a scanline between their ends
                }
                if (ya > yb) {
                    double t = xa;
                    xa = xb;
                    xb = t;
                    t = ya;
                    ya = yb;
                    yb = t;
                }
                if (yb <= firstCentre || ya > lastCentre) {
                    continue; // misses every pixel centre of the target rows
                }
                raw[0][count] = xa;
                raw[1][count] = ya;
                raw[2][count] = (xb - xa) / (yb - ya);
                raw[3][count] = yb;
                count++;
                minY = Math.min(minY, ya);
                maxY = Math.max(maxY, yb);
            }
        }
    }
}
