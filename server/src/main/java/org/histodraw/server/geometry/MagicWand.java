package org.histodraw.server.geometry;

import java.awt.image.BufferedImage;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.PolygonSimplifier;
import org.histodraw.engine.vector.Ring;
import org.histodraw.server.store.InvalidInput;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;

/**
 * The magic wand: from a clicked pixel, the 4-connected area whose colours lie within
 * {@code tolerance} (Euclidean RGB distance, 0..441) of the clicked colour, traced into a polygon
 * with holes by the engine's {@link ClassMapVectoriser}. {@link #around} looks in a window of
 * {@value #WINDOW} screen pixels each way around a click on the slide, read at the resolution the
 * user sees, so the area is bounded by that window ({@link Selection#truncated()} says so).
 */
public final class MagicWand {
    /** The wand looks at most this many screen pixels around the click, each way. */
    public static final int WINDOW = 512;
    private static final GeometryFactory FACTORY = new GeometryFactory();

    /** The traced area in picture pixels (pixel edges), its pixel count, and whether it reached the picture's edge. */
    public record Result(Polygon polygon, long pixels, boolean touchesEdge) {
    }

    /** The selected area in slide pixels, how many picture pixels it covers, and whether the window cut it. */
    public record Selection(Geometry geometry, long pixels, boolean truncated) {
    }

    /** Reads a region of the slide scaled to {@code width x height} pixels (from the level that suits it). */
    @FunctionalInterface
    public interface PictureReader {
        BufferedImage read(PixelRegion region, int width, int height);
    }

    private MagicWand() {
    }

    /**
     * The area around a click at slide pixel (x, y), seen at {@code downsample} slide pixels per
     * screen pixel: a window of {@value #WINDOW} screen pixels each way (inside the slide) is read,
     * flooded from the click, traced, its pixel staircases straightened (within one picture pixel)
     * and brought back to slide pixels (to 1/100 px).
     */
    public static Selection around(PictureReader slide, int slideWidth, int slideHeight, double x, double y,
                                   double downsample, double tolerance) {
        if (x < 0 || y < 0 || x >= slideWidth || y >= slideHeight) {
            throw new InvalidInput("the click (" + x + ", " + y + ") is outside the slide (" + slideWidth + " x " + slideHeight + ")");
        }
        double half = WINDOW * downsample;
        int x0 = (int) Math.max(0, Math.floor(x - half)), y0 = (int) Math.max(0, Math.floor(y - half));
        int x1 = (int) Math.min(slideWidth, Math.ceil(x + half)), y1 = (int) Math.min(slideHeight, Math.ceil(y + half));
        PixelRegion window = new PixelRegion(x0, y0, x1 - x0, y1 - y0);
        int w = Math.max(1, (int) Math.round(window.width() / downsample));
        int h = Math.max(1, (int) Math.round(window.height() / downsample));
        BufferedImage picture = slide.read(window, w, h);
        double sx = (double) window.width() / w, sy = (double) window.height() / h;
        int px = (int) Math.min(w - 1, Math.floor((x - x0) / sx)), py = (int) Math.min(h - 1, Math.floor((y - y0) / sy));
        Result result = select(picture, px, py, tolerance);
        Geometry g = toSlide(PolygonSimplifier.simplify(result.polygon(), 0.7), x0, y0, sx, sy);
        if (!g.isValid()) {
            g = toSlide(result.polygon(), x0, y0, sx, sy);
        }
        return new Selection(g, result.pixels(), result.touchesEdge());
    }

    private static Geometry toSlide(Polygon p, double x0, double y0, double sx, double sy) {
        LinearRing shell = ring(p.shell(), x0, y0, sx, sy);
        LinearRing[] holes = new LinearRing[p.holes().size()];
        for (int i = 0; i < holes.length; i++) {
            holes[i] = ring(p.holes().get(i), x0, y0, sx, sy);
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(Ring r, double x0, double y0, double sx, double sy) {
        Coordinate[] c = new Coordinate[r.size() + 1];
        for (int i = 0; i < r.size(); i++) {
            c[i] = new Coordinate(round(x0 + r.x(i) * sx), round(y0 + r.y(i) * sy));
        }
        c[r.size()] = new Coordinate(c[0]);
        return FACTORY.createLinearRing(c);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    public static Result select(BufferedImage picture, int seedX, int seedY, double tolerance) {
        int w = picture.getWidth(), h = picture.getHeight();
        if (seedX < 0 || seedY < 0 || seedX >= w || seedY >= h) {
            throw new InvalidInput("the click is outside the picture");
        }
        int[] rgb = picture.getRGB(0, 0, w, h, null, 0, w);
        int seed = rgb[seedY * w + seedX];
        double limit = tolerance * tolerance;
        byte[] mask = new byte[w * h];
        int[] queue = new int[w * h];
        int head = 0, tail = 0;
        queue[tail++] = seedY * w + seedX;
        mask[seedY * w + seedX] = 1;
        boolean edge = false;
        while (head < tail) {
            int p = queue[head++];
            int x = p % w, y = p / w;
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                edge = true;
            }
            for (int k = 0; k < 4; k++) {
                int nx = x + (k == 0 ? 1 : k == 1 ? -1 : 0), ny = y + (k == 2 ? 1 : k == 3 ? -1 : 0);
                if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                    continue;
                }
                int q = ny * w + nx;
                if (mask[q] == 0 && distance2(rgb[q], seed) <= limit) {
                    mask[q] = 1;
                    queue[tail++] = q;
                }
            }
        }
        List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(new LabelRaster(w, h, mask), ClassList.numbered(1));
        // The flood is 4-connected and so is the tracer: one polygon, the one holding the seed.
        Polygon best = null;
        for (ClassifiedPolygon cp : traced) {
            if (cp.polygon().shell().contains(seedX + 0.5, seedY + 0.5)) {
                best = cp.polygon();
            }
        }
        if (best == null) {
            throw new IllegalStateException("traced outline lost the clicked pixel");
        }
        return new Result(best, tail, edge);
    }

    private static double distance2(int a, int b) {
        int dr = ((a >> 16) & 0xFF) - ((b >> 16) & 0xFF);
        int dg = ((a >> 8) & 0xFF) - ((b >> 8) & 0xFF);
        int db = (a & 0xFF) - (b & 0xFF);
        return dr * dr + dg * dg + db * db;
    }
}
