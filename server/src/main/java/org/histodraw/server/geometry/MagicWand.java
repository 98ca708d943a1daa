package org.histodraw.server.geometry;

import java.awt.image.BufferedImage;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;

/**
 * The magic wand: from a clicked pixel, the 4-connected area whose colours lie within
 * {@code tolerance} (Euclidean RGB distance, 0..441) of the clicked colour, traced into a polygon
 * with holes by the engine's {@link ClassMapVectoriser}. Works on a picture the caller cut from the
 * slide pyramid, so the area is bounded by that window ({@link Result#touchesEdge()} says so).
 */
public final class MagicWand {
    /** The traced area in picture pixels (pixel edges), its pixel count, and whether it reached the picture's edge. */
    public record Result(Polygon polygon, long pixels, boolean touchesEdge) {
    }

    private MagicWand() {
    }

    public static Result select(BufferedImage picture, int seedX, int seedY, double tolerance) {
        int w = picture.getWidth(), h = picture.getHeight();
        if (seedX < 0 || seedY < 0 || seedX >= w || seedY >= h) {
            throw new IllegalArgumentException("the click is outside the slide");
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
