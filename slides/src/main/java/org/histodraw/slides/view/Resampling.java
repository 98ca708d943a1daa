package org.histodraw.slides.view;

/**
 * Area averaging of packed RGB pixels: each output pixel is the mean of the source area it covers,
 * partial pixels weighted by the part covered. Shrinks without the aliasing of bilinear sampling at
 * any factor (slide levels are often 4x apart). Separable, one output row at a time.
 */
final class Resampling {
    private Resampling() {
    }

    /**
     * Resamples the source rectangle starting at {@code (x0, y0)} (in pixels of {@code src}, possibly
     * fractional) of {@code outWidth * scaleX} by {@code outHeight * scaleY} source pixels into
     * {@code outWidth x outHeight} pixels. Pixels outside {@code src} repeat its edge.
     */
    static int[] area(int[] src, int srcWidth, int srcHeight, double x0, double y0, double scaleX, double scaleY,
                      int outWidth, int outHeight) {
        if (scaleX == 1 && scaleY == 1 && x0 == 0 && y0 == 0 && outWidth == srcWidth && outHeight == srcHeight) {
            return src.clone();
        }
        Span[] xs = spans(x0, scaleX, outWidth, srcWidth);
        Span[] ys = spans(y0, scaleY, outHeight, srcHeight);
        // Row by row: the source rows under one output row are summed (weighted) first, then the
        // columns; memory is three rows of the source, whatever the size.
        float[] r = new float[srcWidth], g = new float[srcWidth], b = new float[srcWidth];
        int[] out = new int[outWidth * outHeight];
        for (int j = 0; j < outHeight; j++) {
            Span sy = ys[j];
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(g, 0);
            java.util.Arrays.fill(b, 0);
            for (int k = 0; k < sy.weights.length; k++) {
                int base = (sy.first + k) * srcWidth;
                float w = sy.weights[k];
                for (int x = 0; x < srcWidth; x++) {
                    int p = src[base + x];
                    r[x] += w * ((p >> 16) & 0xff);
                    g[x] += w * ((p >> 8) & 0xff);
                    b[x] += w * (p & 0xff);
                }
            }
            for (int i = 0; i < outWidth; i++) {
                Span sx = xs[i];
                float rr = 0, gg = 0, bb = 0;
                for (int k = 0; k < sx.weights.length; k++) {
                    float w = sx.weights[k];
                    rr += w * r[sx.first + k];
                    gg += w * g[sx.first + k];
                    bb += w * b[sx.first + k];
                }
                out[j * outWidth + i] = 0xff000000 | eight(rr) << 16 | eight(gg) << 8 | eight(bb);
            }
        }
        return out;
    }

    private static int eight(float v) {
        int q = Math.round(v);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    /** The source pixels each output pixel covers, with their normalised weights. */
    private record Span(int first, float[] weights) {
    }

    private static Span[] spans(double start, double scale, int outCount, int srcCount) {
        Span[] out = new Span[outCount];
        for (int i = 0; i < outCount; i++) {
            double a = start + i * scale;
            double b = start + (i + 1) * scale;
            if (scale < 1) { // enlarging: the nearest source pixel
                int p = clamp((int) Math.floor((a + b) / 2), srcCount);
                out[i] = new Span(p, new float[] {1f});
                continue;
            }
            int first = (int) Math.floor(a);
            int last = (int) Math.ceil(b) - 1;
            float[] w = new float[Math.max(1, last - first + 1)];
            double total = 0;
            for (int k = 0; k < w.length; k++) {
                double lo = Math.max(a, first + k);
                double hi = Math.min(b, first + k + 1.0);
                w[k] = (float) Math.max(0, hi - lo);
                total += w[k];
            }
            int clampedFirst = clamp(first, srcCount);
            int clampedLast = clamp(first + w.length - 1, srcCount);
            float[] cw = new float[clampedLast - clampedFirst + 1];
            for (int k = 0; k < w.length; k++) {
                cw[clamp(first + k, srcCount) - clampedFirst] += (float) (w[k] / total);
            }
            out[i] = new Span(clampedFirst, cw);
        }
        return out;
    }

    private static int clamp(int v, int count) {
        return v < 0 ? 0 : (v >= count ? count - 1 : v);
    }
}
