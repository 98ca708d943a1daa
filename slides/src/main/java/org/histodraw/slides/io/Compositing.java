package org.histodraw.slides.io;

/** Transparent pixels laid on white (a slide's blank glass), in 8-bit integers. */
final class Compositing {
    private Compositing() {
    }

    /**
     * One colour sample over white: {@code c * a + 255 * (1 - a)} for a straight sample, or
     * {@code c + 255 - a} for one already multiplied by its alpha (OpenSlide's, TIFF's associated alpha).
     */
    static int onWhite(int sample, int alpha, boolean premultiplied) {
        int v = premultiplied ? sample + 255 - alpha : (sample * alpha + 255 * (255 - alpha) + 127) / 255;
        return v > 255 ? 255 : (v < 0 ? 0 : v);
    }

    /** OpenSlide's premultiplied ARGB into opaque 0xFFRRGGBB, in place. */
    static int[] premultipliedOnWhite(int[] argb) {
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int a = p >>> 24;
            if (a != 255) {
                int r = onWhite((p >> 16) & 0xff, a, true);
                int g = onWhite((p >> 8) & 0xff, a, true);
                int b = onWhite(p & 0xff, a, true);
                argb[i] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        return argb;
    }
}
