package org.histodraw.engine.features;

/**
 * Derivative features of a smoothed plane by finite differences, one output row at a time.
 *
 * <p>The smoothed plane {@code g} is row-major with stride {@code stride}; {@code origin} is the
 * index of the first output pixel, and the pixels one step outside the output on every side must
 * exist in {@code g} (the caller mirrors them at image borders). Output planes are row-major with
 * stride {@code width}. All arithmetic is float, in a fixed order: a pixel's value never depends on
 * where it lies, so results do not depend on tiling.
 *
 * <p>Why the loops look the way they do: HotSpot's C2 vectorises a loop only when no store can
 * overlap a later load, and stalls on loads whose offsets it knows to differ by a small constant.
 * So formulas read float rows and write double scratch rows (a different array type, so no
 * overlap), the last step reads double rows and writes float output, and neighbour offsets come
 * from {@link #shift}, which the compiler cannot see through.
 *
 * <p>Holds scratch rows: not thread-safe.
 */
final class FiniteDifferences {
    /** {-1, +1}: left and right neighbour offsets, read from memory to stay opaque to the JIT. */
    private final int[] shift = {-1, 1};
    private double[] s1 = new double[0];
    private double[] s2 = new double[0];
    private double[] s3 = new double[0];

    private void ensure(int n) {
        if (s1.length < n) {
            s1 = new double[n];
            s2 = new double[n];
            s3 = new double[n];
        }
    }

    /** Sobel gradient magnitude, scaled so that a ramp of slope a gives a. */
    void gradientMagnitude(float[] g, int stride, int origin, int width, int height, float[] out) {
        ensure(width);
        double[] gx = s1, gy = s2;
        int l = shift[0], r = shift[1];
        for (int y = 0; y < height; y++) {
            int c = origin + y * stride, up = c - stride, dn = c + stride;
            // gx = ((ur - ul) + (dr - dl) + 2 (cr - cl)) / 8, gy = ((dl - ul) + (dr - ur) + 2 (dc - uc)) / 8
            differencePair(g, gx, up + l, up + r, dn + l, dn + r, width);
            sobelFinish(g, gx, c + l, c + r, width);
            differencePair(g, gy, up + l, dn + l, up + r, dn + r, width);
            sobelFinish(g, gy, up, dn, width);
            magnitude(gx, gy, out, y * width, width);
        }
    }

    /** 5-point Laplacian: (left + right) + (up + down) - 4 centre. */
    void laplacian(float[] g, int stride, int origin, int width, int height, float[] out) {
        ensure(width);
        double[] lap = s1;
        int l = shift[0], r = shift[1];
        for (int y = 0; y < height; y++) {
            int c = origin + y * stride;
            laplacianRow(g, lap, c + l, c + r, c - stride, c + stride, c, width);
            toFloat(lap, out, y * width, width);
        }
    }

    /** Eigenvalues of the Hessian (3-point second differences, 4-point cross term), larger into {@code first}. */
    void hessianEigenvalues(float[] g, int stride, int origin, int width, int height, float[] first, float[] second) {
        ensure(width);
        double[] xx = s1, yy = s2, xy = s3;
        int l = shift[0], r = shift[1];
        for (int y = 0; y < height; y++) {
            int c = origin + y * stride, up = c - stride, dn = c + stride;
            secondDifference(g, xx, c + l, c + r, c, width);
            secondDifference(g, yy, up, dn, c, width);
            crossDifference(g, xy, up + l, up + r, dn + l, dn + r, width);
            eigenRoot(xx, yy, xy, width);
            meanPlusMinus(xx, yy, xy, first, second, y * width, width);
        }
    }

    /**
     * Central-difference gradient products for the structure tensor, as float planes of stride
     * {@code width}: xx = gx², xy = gx gy, yy = gy².
     */
    void gradientProducts(float[] g, int stride, int origin, int width, int height,
                          float[] xx, float[] xy, float[] yy) {
        ensure(width);
        double[] gx = s1, gy = s2;
        int l = shift[0], r = shift[1];
        for (int y = 0; y < height; y++) {
            int c = origin + y * stride;
            centralDifference(g, gx, c + l, c + r, width);
            centralDifference(g, gy, c - stride, c + stride, width);
            int o = y * width;
            product(gx, gx, xx, o, width);
            product(gx, gy, xy, o, width);
            product(gy, gy, yy, o, width);
        }
    }

    /** Eigenvalues of symmetric 2x2 tensors given as planes, in place: xx becomes the larger, yy the smaller. */
    void tensorEigenvalues(float[] xx, float[] xy, float[] yy, int width, int height) {
        ensure(width);
        double[] mean = s1, root = s2;
        for (int y = 0; y < height; y++) {
            int o = y * width;
            halfSum(xx, yy, mean, o, width);
            eigenRoot(xx, yy, xy, root, o, width);
            plusMinus(mean, root, xx, yy, o, width);
        }
    }

    /** out = g - out, for the difference of Gaussians (g over the output window). */
    void subtractFrom(float[] g, int stride, int origin, int width, int height, float[] out) {
        ensure(width);
        double[] row = s1;
        for (int y = 0; y < height; y++) {
            copy(g, row, origin + y * stride, width);
            difference(row, out, y * width, width);
        }
    }

    // ---- float rows in, double rows out (float arithmetic, exact in double) ----

    private static void differencePair(float[] g, double[] o, int a1, int b1, int a2, int b2, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = (g[b1 + x] - g[a1 + x]) + (g[b2 + x] - g[a2 + x]);
        }
    }

    /** In place: o = (o + 2 (g[after] - g[before])) / 8. */
    private static void sobelFinish(float[] g, double[] o, int before, int after, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = ((float) o[x] + 2f * (g[after + x] - g[before + x])) * 0.125f;
        }
    }

    private static void laplacianRow(float[] g, double[] o, int l, int r, int u, int d, int c, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = ((g[l + x] + g[r + x]) + (g[u + x] + g[d + x])) - 4f * g[c + x];
        }
    }

    private static void secondDifference(float[] g, double[] o, int before, int after, int c, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = (g[before + x] + g[after + x]) - 2f * g[c + x];
        }
    }

    private static void crossDifference(float[] g, double[] o, int ul, int ur, int dl, int dr, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = ((g[dr + x] - g[dl + x]) - (g[ur + x] - g[ul + x])) * 0.25f;
        }
    }

    private static void centralDifference(float[] g, double[] o, int before, int after, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = (g[after + x] - g[before + x]) * 0.5f;
        }
    }

    private static void copy(float[] g, double[] o, int c, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = g[c + x];
        }
    }

    private static void halfSum(float[] a, float[] b, double[] o, int i, int n) {
        for (int x = 0; x < n; x++) {
            o[x] = (a[i + x] + b[i + x]) * 0.5f;
        }
    }

    private static void eigenRoot(float[] a, float[] d, float[] b, double[] o, int i, int n) {
        for (int x = 0; x < n; x++) {
            float half = (a[i + x] - d[i + x]) * 0.5f;
            float off = b[i + x];
            o[x] = (float) Math.sqrt(half * half + off * off);
        }
    }

    // ---- double rows in (holding floats), float rows out ----

    private static void magnitude(double[] gx, double[] gy, float[] out, int o, int n) {
        for (int x = 0; x < n; x++) {
            float a = (float) gx[x], b = (float) gy[x];
            out[o + x] = (float) Math.sqrt(a * a + b * b);
        }
    }

    private static void toFloat(double[] a, float[] out, int o, int n) {
        for (int x = 0; x < n; x++) {
            out[o + x] = (float) a[x];
        }
    }

    /** In place: xy becomes sqrt(((xx - yy) / 2)² + xy²). */
    private static void eigenRoot(double[] xx, double[] yy, double[] xy, int n) {
        for (int x = 0; x < n; x++) {
            float half = ((float) xx[x] - (float) yy[x]) * 0.5f, b = (float) xy[x];
            xy[x] = (float) Math.sqrt(half * half + b * b);
        }
    }

    private static void meanPlusMinus(double[] xx, double[] yy, double[] root, float[] first, float[] second,
                                      int o, int n) {
        for (int x = 0; x < n; x++) {
            float mean = ((float) xx[x] + (float) yy[x]) * 0.5f, r = (float) root[x];
            first[o + x] = mean + r;
            second[o + x] = mean - r;
        }
    }

    private static void product(double[] a, double[] b, float[] out, int o, int n) {
        for (int x = 0; x < n; x++) {
            out[o + x] = (float) a[x] * (float) b[x];
        }
    }

    private static void plusMinus(double[] mean, double[] root, float[] first, float[] second, int o, int n) {
        for (int x = 0; x < n; x++) {
            float m = (float) mean[x], r = (float) root[x];
            first[o + x] = m + r;
            second[o + x] = m - r;
        }
    }

    private static void difference(double[] g, float[] out, int o, int n) {
        for (int x = 0; x < n; x++) {
            out[o + x] = (float) g[x] - out[o + x];
        }
    }
}
