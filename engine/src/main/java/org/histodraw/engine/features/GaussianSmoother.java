package org.histodraw.engine.features;

/**
 * Separable Gaussian smoothing of part of a plane, with the plane's borders mirrored
 * (half-sample symmetric: {@code ... c b a | a b c ...}, scipy's "reflect").
 *
 * <p>Every output pixel is the same float expression of the same inputs, summed from the centre
 * outwards, wherever it lies and whatever part of the plane is asked for: results do not depend on
 * tiling, bit for bit. Loops run over whole rows so the JIT can vectorise them.
 *
 * <p>Holds scratch rows: not thread-safe.
 */
final class GaussianSmoother {
    private float[] pad = new float[0];
    private float[] rows = new float[0];

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
        int rowsNeeded = (hy1 - hy0) * ow;
        if (rows.length < rowsNeeded) {
            rows = new float[rowsNeeded];
        }
        float[] w = kernel.weights;

        // Horizontal pass: rows hy0..hy1 (all the vertical pass will read), columns of the output.
        int left = hx0 - (ox - r);
        for (int y = hy0; y < hy1; y++) {
            int srcRow = (y - sy) * sw - sx;
            System.arraycopy(src, srcRow + hx0, pad, left, hx1 - hx0);
            for (int j = 0; j < left; j++) {
                pad[j] = src[srcRow + reflect(ox - r + j, frameWidth)];
            }
            for (int j = left + hx1 - hx0; j < padLength; j++) {
                pad[j] = src[srcRow + reflect(ox - r + j, frameWidth)];
            }
            filterRow(pad, r, w, rows, (y - hy0) * ow, ow);
        }

        // Vertical pass: one output row at a time, mirrored rows by index.
        float w0 = w[0];
        for (int y = oy; y < oy + oh; y++) {
            int o = dstOffset + (y - oy) * dstStride;
            int c = (y - hy0) * ow;
            for (int x = 0; x < ow; x++) {
                dst[o + x] = w0 * rows[c + x];
            }
            int k = 1;
            for (; k + 3 <= r; k += 4) {
                int a1 = (reflect(y - k, frameHeight) - hy0) * ow, b1 = (reflect(y + k, frameHeight) - hy0) * ow;
                int a2 = (reflect(y - k - 1, frameHeight) - hy0) * ow, b2 = (reflect(y + k + 1, frameHeight) - hy0) * ow;
                int a3 = (reflect(y - k - 2, frameHeight) - hy0) * ow, b3 = (reflect(y + k + 2, frameHeight) - hy0) * ow;
                int a4 = (reflect(y - k - 3, frameHeight) - hy0) * ow, b4 = (reflect(y + k + 3, frameHeight) - hy0) * ow;
                float w1 = w[k], w2 = w[k + 1], w3 = w[k + 2], w4 = w[k + 3];
                for (int x = 0; x < ow; x++) {
                    dst[o + x] = dst[o + x] + w1 * (rows[a1 + x] + rows[b1 + x]) + w2 * (rows[a2 + x] + rows[b2 + x])
                            + w3 * (rows[a3 + x] + rows[b3 + x]) + w4 * (rows[a4 + x] + rows[b4 + x]);
                }
            }
            for (; k <= r; k++) {
                int a = (reflect(y - k, frameHeight) - hy0) * ow, b = (reflect(y + k, frameHeight) - hy0) * ow;
                float wk = w[k];
                for (int x = 0; x < ow; x++) {
                    dst[o + x] = dst[o + x] + wk * (rows[a + x] + rows[b + x]);
                }
            }
        }
    }

    /** out[o + x] = sum over k of w[k] (in[r + x - k] + in[r + x + k]), centre first, k rising. */
    private static void filterRow(float[] in, int r, float[] w, float[] out, int o, int n) {
        float w0 = w[0];
        for (int x = 0; x < n; x++) {
            out[o + x] = w0 * in[r + x];
        }
        int k = 1;
        // Four taps per sweep: the same sum in the same order as one tap per sweep, with fewer stores.
        for (; k + 3 <= r; k += 4) {
            float w1 = w[k], w2 = w[k + 1], w3 = w[k + 2], w4 = w[k + 3];
            int a1 = r - k, b1 = r + k;
            for (int x = 0; x < n; x++) {
                out[o + x] = out[o + x] + w1 * (in[a1 + x] + in[b1 + x]) + w2 * (in[a1 - 1 + x] + in[b1 + 1 + x])
                        + w3 * (in[a1 - 2 + x] + in[b1 + 2 + x]) + w4 * (in[a1 - 3 + x] + in[b1 + 3 + x]);
            }
        }
        for (; k <= r; k++) {
            float wk = w[k];
            int a = r - k, b = r + k;
            for (int x = 0; x < n; x++) {
                out[o + x] = out[o + x] + wk * (in[a + x] + in[b + x]);
            }
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
