package org.histodraw.engine.colour;

import java.util.Arrays;
import java.util.Objects;
import org.histodraw.engine.raster.Raster;

/**
 * Estimates a slide's two stain vectors from its pixels, as QuPath's "Estimate stain vectors" and
 * Macenko et al. (ISBI 2009) do: every pixel becomes an optical density (OD) vector; background and
 * faint pixels (any channel below {@value #MIN_DENSITY}), very dark ones (OD length above
 * {@value #MAX_DENSITY}) and grey ones (within {@value #GREY_ANGLE} radians of the grey axis) are
 * dropped; the plane through the origin that holds most of the rest (its two principal axes) is
 * found, each OD is given its angle in that plane, and the stains are the directions at the
 * {@value #IGNORED_PERCENT}th and (100 - {@value #IGNORED_PERCENT})th percentile of the angles: the
 * purest colours of the slide, robust to a few outliers. The two are matched to the reference pair
 * by colour (hematoxylin to hematoxylin) and named after it.
 *
 * <p>Usage: {@code StainEstimator.estimate(rgb, StainVectors.HEMATOXYLIN_EOSIN)} for one image, or
 * {@link #add} the sample windows of a slide one after the other, then {@link #estimate()}. The same
 * pixels in the same order give the same vectors. Each image added contributes at most
 * {@value #MAX_PIXELS_PER_IMAGE} pixels (an even grid of them); pixels are taken as 8-bit colours.
 *
 * <p>Guaranteed: the vectors are unit length to 3 decimals, with non-negative components. Not
 * guaranteed: a meaningful answer on a slide with one stain only or mostly background; then the
 * two directions are the spread of one stain. Fails with a message when too few stained pixels remain.
 */
public final class StainEstimator {
    /** Pixels with a channel's OD below this are background or too faint to tell their colour. */
    public static final double MIN_DENSITY = 0.05;
    /** Pixels with a longer OD vector are too dark (saturated, folds, debris) to tell their colour. */
    public static final double MAX_DENSITY = 2.0;
    /** Pixels within this angle (radians) of the grey axis are left out: no stain colours them. */
    public static final double GREY_ANGLE = 0.15;
    /** Percent of the angles ignored at each end (outliers). */
    public static final double IGNORED_PERCENT = 1;
    /** The fewest stained pixels an estimate is made from. */
    public static final int MIN_PIXELS = 100;
    static final int MAX_PIXELS_PER_IMAGE = 1 << 18;

    private static final double COS_GREY = Math.cos(GREY_ANGLE);
    private static final double INV_SQRT3 = 1 / Math.sqrt(3);

    private final StainVectors reference;
    private int[] colours = new int[1024];
    private int count;

    /** @param reference the stains to estimate (their names, and the order the result comes in) */
    public StainEstimator(StainVectors reference) {
        this.reference = Objects.requireNonNull(reference, "reference");
    }

    /** The stains of one image. */
    public static StainVectors estimate(Raster rgb, StainVectors reference) {
        StainEstimator e = new StainEstimator(reference);
        e.add(rgb);
        return e.estimate();
    }

    /** Adds the stained pixels of an image (or a sample window of a slide). */
    public void add(Raster rgb) {
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.channels() < 3) {
            throw new IllegalArgumentException("stain estimation needs an RGB raster, got " + rgb.channels() + " channels");
        }
        int w = rgb.width(), h = rgb.height();
        int step = (int) Math.ceil(Math.sqrt((double) w * h / MAX_PIXELS_PER_IMAGE));
        float[] red = rgb.plane(0), green = rgb.plane(1), blue = rgb.plane(2);
        for (int y = 0; y < h; y += step) {
            for (int x = 0; x < w; x += step) {
                int i = y * w + x;
                int r = level(red[i]), g = level(green[i]), b = level(blue[i]);
                if (stained(density(r), density(g), density(b))) {
                    if (count == colours.length) {
                        colours = Arrays.copyOf(colours, count * 2);
                    }
                    colours[count++] = r << 16 | g << 8 | b;
                }
            }
        }
    }

    /** Stained pixels gathered so far. */
    public int pixels() {
        return count;
    }

    /**
     * The two stains of the pixels added, named and ordered as the reference.
     *
     * @throws IllegalArgumentException when fewer than {@value #MIN_PIXELS} stained pixels were found
     */
    public StainVectors estimate() {
        if (count < MIN_PIXELS) {
            throw new IllegalArgumentException("too few stained pixels to estimate stain vectors (" + count
                    + ", at least " + MIN_PIXELS + " needed): choose an area with tissue of both stains");
        }
        // The plane through the origin that holds the most: the two leading eigenvectors of the
        // second-moment matrix of the densities (not centred: stains mix from zero, not from a mean).
        double[] m = new double[6]; // rr, rg, rb, gg, gb, bb
        for (int i = 0; i < count; i++) {
            double r = density(colours[i] >> 16 & 0xff), g = density(colours[i] >> 8 & 0xff), b = density(colours[i] & 0xff);
            m[0] += r * r;
            m[1] += r * g;
            m[2] += r * b;
            m[3] += g * g;
            m[4] += g * b;
            m[5] += b * b;
        }
        double[][] axes = principalAxes(m);
        double[] e1 = axes[0], e2 = axes[1];
        if (e1[0] + e1[1] + e1[2] < 0) {
            for (int k = 0; k < 3; k++) {
                e1[k] = -e1[k];
            }
        }
        int low = (int) Math.floor(IGNORED_PERCENT / 100 * count);
        int high = Math.max(low, (int) Math.ceil((1 - IGNORED_PERCENT / 100) * count) - 1);
        double[] at = anglesAtRanks(e1, e2, low, high);
        StainVector a = direction(at[0], e1, e2);
        StainVector b = direction(at[1], e1, e2);
        // Match to the reference by colour: whichever pairing is closer in angle.
        double straight = a.angleTo(reference.first()) + b.angleTo(reference.second());
        double crossed = b.angleTo(reference.first()) + a.angleTo(reference.second());
        if (crossed < straight) {
            StainVector t = a;
            a = b;
            b = t;
        }
        return new StainVectors(a.named(reference.first().name()), b.named(reference.second().name()));
    }

    /**
     * The angles of ranks {@code low} and {@code high} among the pixels' angles in the plane of e1
     * and e2, sorted: what sorting every pixel's angle gives, from each distinct colour once (a few
     * hundred thousand colours among millions of pixels; the angle is the colour's alone), so that a
     * slide's estimate takes milliseconds, not the 0.2 s of millions of arc tangents and a sort.
     */
    private double[] anglesAtRanks(double[] e1, double[] e2, int low, int high) {
        ColourCounts distinct = new ColourCounts();
        for (int i = 0; i < count; i++) {
            distinct.add(colours[i]);
        }
        int n = distinct.size();
        double[] angle = new double[n];
        for (int i = 0; i < n; i++) {
            int c = distinct.colour(i);
            double r = density(c >> 16 & 0xff), g = density(c >> 8 & 0xff), b = density(c & 0xff);
            angle[i] = Math.atan2(r * e2[0] + g * e2[1] + b * e2[2], r * e1[0] + g * e1[1] + b * e1[2]);
        }
        double[] sorted = angle.clone();
        Arrays.sort(sorted);
        // Pixels per sorted angle (colours of equal angle share one slot: same value, same ranks).
        long[] pixelsAt = new long[n];
        for (int i = 0; i < n; i++) {
            pixelsAt[Arrays.binarySearch(sorted, angle[i])] += distinct.pixels(i);
        }
        double[] at = new double[2];
        long before = 0;
        int found = 0;
        int[] ranks = {low, high};
        for (int k = 0; k < n && found < 2; k++) {
            before += pixelsAt[k];
            while (found < 2 && ranks[found] < before) {
                at[found++] = sorted[k];
            }
        }
        return at;
    }

    /** Distinct 24-bit colours and how many pixels have each: an open-addressing table. */
    private static final class ColourCounts {
        private int[] keys = new int[1 << 12];
        private int[] counts = new int[1 << 12];
        private int[] order = new int[1 << 11];
        private int size;

        ColourCounts() {
            Arrays.fill(keys, -1);
        }

        void add(int colour) {
            int mask = keys.length - 1;
            int slot = (colour * 0x9E3779B9) >>> 7 & mask;
            while (keys[slot] != colour && keys[slot] != -1) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == -1) {
                if (2 * (size + 1) > keys.length) {
                    grow();
                    add(colour);
                    return;
                }
                keys[slot] = colour;
                if (size == order.length) {
                    order = Arrays.copyOf(order, size * 2);
                }
                order[size++] = slot;
            }
            counts[slot]++;
        }

        private void grow() {
            int[] oldKeys = keys, oldCounts = counts, oldOrder = order;
            int oldSize = size;
            keys = new int[oldKeys.length * 2];
            counts = new int[oldKeys.length * 2];
            order = new int[oldKeys.length];
            Arrays.fill(keys, -1);
            size = 0;
            for (int i = 0; i < oldSize; i++) {
                int slot = oldOrder[i];
                add(oldKeys[slot]);
                counts[order[size - 1]] = oldCounts[slot];
            }
        }

        int size() {
            return size;
        }

        int colour(int i) {
            return keys[order[i]];
        }

        int pixels(int i) {
            return counts[order[i]];
        }
    }

    /** The unit vector at {@code angle} in the plane of e1 and e2, in the positive octant, to 3 decimals. */
    private static StainVector direction(double angle, double[] e1, double[] e2) {
        double c = Math.cos(angle), s = Math.sin(angle);
        double[] v = new double[3];
        double length = 0;
        for (int k = 0; k < 3; k++) {
            v[k] = Math.max(0, c * e1[k] + s * e2[k]); // a density is never negative
            length += v[k] * v[k];
        }
        length = Math.sqrt(length);
        return new StainVector("stain", round3(v[0] / length), round3(v[1] / length), round3(v[2] / length));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    private static double density(int level) {
        return StainDeconvolution.opticalDensity(level / 255f);
    }

    private static boolean stained(double r, double g, double b) {
        if (r < MIN_DENSITY || g < MIN_DENSITY || b < MIN_DENSITY) {
            return false;
        }
        double length = Math.sqrt(r * r + g * g + b * b);
        return length <= MAX_DENSITY && (r + g + b) * INV_SQRT3 / length < COS_GREY;
    }

    /**
     * The eigenvectors of the two largest eigenvalues of a symmetric 3 x 3 matrix (given as its upper
     * triangle rr, rg, rb, gg, gb, bb), by cyclic Jacobi rotations: small, exact enough, and
     * dependency-free.
     */
    static double[][] principalAxes(double[] upper) {
        double[][] a = {
                {upper[0], upper[1], upper[2]},
                {upper[1], upper[3], upper[4]},
                {upper[2], upper[4], upper[5]}};
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
            double scale = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2];
            if (off <= 1e-30 * scale) {
                break;
            }
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = {0, 1, 2};
        Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[][] axes = new double[2][3];
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                axes[n][k] = v[k][order[n]];
            }
        }
        return axes;
    }
}
