package org.histodraw.engine.labels;

import java.util.Objects;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;

/**
 * How big the labelled structures are: for every labelled pixel, its distance to the nearest pixel
 * not of its class (another class, unlabelled, or beyond the image), counted per class. Labels lie
 * inside what they label, so a class drawn as small discs inside nuclei has small distances, one
 * drawn as broad strokes or regions over tissue large ones, and the labels of a slide scanned at
 * twice the magnification twice the distances.
 *
 * <p>Distances are chamfer distances (3-4 weights, within 8% of Euclidean), capped at
 * {@value #MAX_DISTANCE} pixels: larger structures all count as large. Feed it label tiles read
 * with a margin of at least {@value #MAX_DISTANCE} pixels around the part counted (clipped at the
 * image's border, which counts as a boundary), each labelled pixel once; parts combine with
 * {@link #add(LabelledStructures)} in any order to the same counts.
 */
public final class LabelledStructures {
    /** Distances are counted up to this many pixels. */
    public static final int MAX_DISTANCE = 64;
    /** The share of a class's labelled pixels at most this far inside is what its size is read from. */
    static final double PERCENTILE = 0.9;
    /**
     * A disc of radius R has 90% of its pixels within 0.684 R of its border (and a band of half-width
     * h within 0.9 h): the 90th percentile divided by this is the disc's radius.
     */
    static final double DISC_FRACTION = 1 - Math.sqrt(1 - PERCENTILE);

    /** counts[c][d]: pixels of class c at distance d (in whole pixels, rounded down). */
    private final long[][] counts = new long[256][MAX_DISTANCE + 1];

    /**
     * Counts the labelled pixels of {@code inner} (in {@code labels}' coordinates). {@code labels}
     * must reach {@value #MAX_DISTANCE} pixels beyond {@code inner} on every side where the image does.
     */
    public void add(LabelRaster labels, PixelRegion inner) {
        Objects.requireNonNull(labels, "labels");
        if (!PixelRegion.of(labels.width(), labels.height()).contains(inner)) {
            throw new IllegalArgumentException(inner + " is not inside the labels " + labels.width() + " x " + labels.height());
        }
        int w = labels.width(), h = labels.height();
        byte[] l = labels.data();
        // Chamfer distance in thirds of a pixel, two passes; pixels beyond the raster are not of any class.
        int cap = 3 * MAX_DISTANCE + 4;
        int[] d = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (l[i] == 0) {
                    continue;
                }
                int best = Math.min(cap, 3 * Math.min(Math.min(x + 1, y + 1), Math.min(w - x, h - y)));
                best = Math.min(best, from(l, d, i, x - 1, y, w, h, 3));
                best = Math.min(best, from(l, d, i, x - 1, y - 1, w, h, 4));
                best = Math.min(best, from(l, d, i, x, y - 1, w, h, 3));
                best = Math.min(best, from(l, d, i, x + 1, y - 1, w, h, 4));
                d[i] = best;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int i = y * w + x;
                if (l[i] == 0) {
                    continue;
                }
                int best = d[i];
                best = Math.min(best, from(l, d, i, x + 1, y, w, h, 3));
                best = Math.min(best, from(l, d, i, x + 1, y + 1, w, h, 4));
                best = Math.min(best, from(l, d, i, x, y + 1, w, h, 3));
                best = Math.min(best, from(l, d, i, x - 1, y + 1, w, h, 4));
                d[i] = best;
            }
        }
        for (int y = inner.y(); y < inner.endY(); y++) {
            for (int x = inner.x(); x < inner.endX(); x++) {
                int i = y * w + x;
                if (l[i] != 0) {
                    counts[l[i] & 0xff][Math.min(MAX_DISTANCE, d[i] / 3)]++;
                }
            }
        }
    }

    /** The distance through neighbour (nx, ny): 0 past a pixel of another class, else its distance plus the step. */
    private static int from(byte[] l, int[] d, int i, int nx, int ny, int w, int h, int step) {
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
            return step;
        }
        int n = ny * w + nx;
        return l[n] != l[i] ? step : d[n] + step;
    }

    /** Adds another part's counts. */
    public void add(LabelledStructures other) {
        for (int c = 0; c < 256; c++) {
            for (int k = 0; k <= MAX_DISTANCE; k++) {
                counts[c][k] += other.counts[c][k];
            }
        }
    }

    /** Labelled pixels of class {@code c} counted. */
    public long pixels(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return n;
    }

    /**
     * The radius of the structures class {@code c} is drawn in, in pixels: the distance that
     * {@value #PERCENTILE} of its labelled pixels lie within, over {@link #DISC_FRACTION} (exact for
     * discs); NaN for a class without labels.
     */
    public double radius(int c) {
        long total = pixels(c);
        if (total == 0) {
            return Double.NaN;
        }
        long below = 0;
        for (int k = 0; k <= MAX_DISTANCE; k++) {
            below += counts[c][k];
            if (below >= PERCENTILE * total) {
                // Distances k..k+1 fall in bin k: the percentile lies in the middle of it.
                return (k + 0.5) / DISC_FRACTION;
            }
        }
        return (MAX_DISTANCE + 0.5) / DISC_FRACTION;
    }

    /** The smallest radius of any labelled class (NaN without labels): the finest structure drawn. */
    public double smallestRadius() {
        double smallest = Double.NaN;
        for (int c = 1; c < 256; c++) {
            double r = radius(c);
            if (!Double.isNaN(r) && !(r >= smallest)) {
                smallest = r;
            }
        }
        return smallest;
    }
}
