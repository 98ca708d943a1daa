package org.histodraw.engine.features;

/**
 * Separable Gaussian smoothing of part of a plane, with the plane's borders mirrored
 * (half-sample symmetric: {@code ... c b a | a b c ...}, scipy's "reflect").
 *
 * <p>Every output pixel is the same arithmetic on the same inputs, summed from the centre outwards
 * two taps at a time, wherever it lies and whatever part of the plane is asked for: results do not
 * depend on tiling, bit for bit. The horizontal pass accumulates in double, the vertical pass
 * rounds to float after each pair of taps.
 *
 * <p>Why the loops look the way they do (measured on JDK 25, AVX-512): HotSpot's C2 vectorises a
 * loop only when it can rule out that a store overlaps a later load, so each pass reads one array
 * type and writes the other (float rows in, double rows between the passes, float rows out); it
 * stalls on loads it knows to be a small constant apart, so tap offsets come from the kernel's
 * tables ({@link GaussianKernel#before}); bodies hold at most two taps so that they are unrolled;
 * the vertical pass runs over chunks of several rows (mirrored rows copied in) so that the loops
 * are long. Together about 5x faster than the plain loops.
 *
 * <p>Holds scratch rows: not thread-safe.
 */
final class GaussianSmoother {
    private float[] pad = new float[0];
    private double[] rows = new double[0];
    private float[] chunk = new float[0];
    /** Output pixels per vertical-pass chunk: 16 KB of floats, well inside the L1 cache. */
    private static final int CHUNK = 4096;

    /**
     * Smooths the frame pixels {@code [ox, ox + ow) x [oy, oy + oh)} (inside the frame) into
     * {@code dst}, row {@code i} starting at {@code dstOffset + i * dstStride}.
     *
     * @param frameWidth  width of the plane whose borders are mirrored
     * @param frameHeight height of that plane
     * @param src         the known part of the plane: pixels {@code [sx, sx + sw) x [sy, sy + sh)},
     *                    row-major with stride {@code sw}; must cover the output grown by the kernel
     *                    radius (clipped to the frame)
     */
    void smooth(GaussianKernel kernel, int frameWidth, int frameHeight,
                float[] src, int sx, int sy, int sw, int sh,
                int ox, int oy, int ow, int oh,
                float[] dst, int dstOffset, int dstStride) {
        int r = kernel.radius;
        int hx0 = Math.max(0, ox - r), hx1 = Math.min(frameWidth, ox + ow + r);
        int hy0 = Math.max(0, oy - r), hy1 = Math.min(frameHeight, oy + oh + r);
        if (hx0 < sx || hy0 < sy || hx1 > sx + sw || hy1 > sy + sh) {
            throw new IllegalStateException("smoothing " + ow + " x " + oh + " at " + ox + "," + oy
                    + " needs pixels outside the known " + sw + " x " + sh + " at " + sx + "," + sy);
        }
        int padLength = ow + 2 * r;
        if (pad.length < padLength) {
            pad = new float[padLength];
        }
        int top = oy - r;
        int rowsNeeded = (oh + 2 * r) * ow;
        if (rows.length < rowsNeeded) {
            rows = new double[rowsNeeded];
        }
        float[] w = kernel.weights;
        int[] before = kernel.before, after = kernel.after;
        float[] p = pad;
        double[] h = rows;

        // Horizontal pass: rows hy0..hy1 (all the vertical pass will read), columns of the output.
        int left = hx0 - (ox - r);
        for (int y = hy0; y < hy1; y++) {
            int srcRow = (y - sy) * sw - sx;
            System.arraycopy(src, srcRow + hx0, p, left, hx1 - hx0);
            for (int j = 0; j < left; j++) {
                p[j] = src[srcRow + reflect(ox - r + j, frameWidth)];
            }
            for (int j = left + hx1 - hx0; j < padLength; j++) {
                p[j] = src[srcRow + reflect(ox - r + j, frameWidth)];
            }
            int d = (y - top) * ow;
            horizontalCentre(p, h, d, r, ow, w[0]);
            int k = 1;
            for (; k + 1 <= r; k += 2) {
                horizontalPair(p, h, d, before[k], after[k], before[k + 1], after[k + 1], ow, w[k], w[k + 1]);
            }
            if (k <= r) {
                horizontalTap(p, h, d, before[k], after[k], ow, w[k]);
            }
        }

        // Rows above and below the frame, mirrored, so that the vertical pass reads rows at fixed steps.
        for (int y = top; y < oy + oh + r; y++) {
            if (y < hy0 || y >= hy1) {
                System.arraycopy(h, (reflect(y, frameHeight) - top) * ow, h, (y - top) * ow, ow);
            }
        }

        // Vertical pass, a few output rows at a time: long loops, a chunk that stays in cache.
        int chunkRows = Math.max(1, CHUNK / ow);
        if (chunk.length < chunkRows * ow) {
            chunk = new float[chunkRows * ow];
        }
        float[] acc = chunk;
        for (int y0 = oy; y0 < oy + oh; y0 += chunkRows) {
            int rowsHere = Math.min(chunkRows, oy + oh - y0);
            int n = rowsHere * ow;
            int c = (y0 - top) * ow;
            verticalCentre(h, acc, c, n, w[0]);
            int k = 1;
            for (; k + 1 <= r; k += 2) {
                verticalPair(h, acc, c - k * ow, c + k * ow, c - (k + 1) * ow, c + (k + 1) * ow, n, w[k], w[k + 1]);
            }
            if (k <= r) {
                verticalTap(h, acc, c - k * ow, c + k * ow, n, w[k]);
            }
            int o = dstOffset + (y0 - oy) * dstStride;
            for (int i = 0; i < rowsHere; i++) {
                System.arraycopy(acc, i * ow, dst, o + i * dstStride, ow);
            }
        }
    }

    private static void horizontalCentre(float[] p, double[] h, int d, int c, int n, float w0) {
        for (int x = 0; x < n; x++) {
            h[d + x] = w0 * p[c + x];
        }
    }

    private static void horizontalPair(float[] p, double[] h, int d, int a1, int b1, int a2, int b2, int n,
                                       float w1, float w2) {
        for (int x = 0; x < n; x++) {
            h[d + x] = h[d + x] + (w1 * (p[a1 + x] + p[b1 + x]) + w2 * (p[a2 + x] + p[b2 + x]));
        }
    }

    private static void horizontalTap(float[] p, double[] h, int d, int a, int b, int n, float w) {
        for (int x = 0; x < n; x++) {
            h[d + x] = h[d + x] + w * (p[a + x] + p[b + x]);
        }
    }

    private static void verticalCentre(double[] h, float[] acc, int c, int n, float w0) {
        for (int x = 0; x < n; x++) {
            acc[x] = (float) (w0 * h[c + x]);
        }
    }

    private static void verticalPair(double[] h, float[] acc, int a1, int b1, int a2, int b2, int n,
                                     float w1, float w2) {
        for (int x = 0; x < n; x++) {
            acc[x] = (float) (acc[x] + w1 * (h[a1 + x] + h[b1 + x]) + w2 * (h[a2 + x] + h[b2 + x]));
        }
    }

    private static void verticalTap(double[] h, float[] acc, int a, int b, int n, float w) {
        for (int x = 0; x < n; x++) {
            acc[x] = (float) (acc[x] + w * (h[a + x] + h[b + x]));
        }
    }

    /** Half-sample symmetric mirror of index i into [0, n), repeating for indices far outside. */
    static int reflect(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
