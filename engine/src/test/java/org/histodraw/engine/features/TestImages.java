package org.histodraw.engine.features;

import java.util.Random;
import org.histodraw.engine.raster.Raster;

/** Synthetic test images. */
final class TestImages {
    private TestImages() {
    }

    /** Tissue-like RGB: pink background, purple blobs, 8-bit noise; the same for the same seed. */
    static Raster tissue(int width, int height, long seed) {
        Random random = new Random(seed);
        int blobs = Math.max(3, width * height / 600);
        double[] bx = new double[blobs], by = new double[blobs], br = new double[blobs];
        for (int i = 0; i < blobs; i++) {
            bx[i] = random.nextDouble() * width;
            by[i] = random.nextDouble() * height;
            br[i] = 2 + random.nextDouble() * 6;
        }
        int[] packed = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double nucleus = 0;
                for (int i = 0; i < blobs; i++) {
                    double dx = x - bx[i], dy = y - by[i];
                    if (dx * dx + dy * dy < br[i] * br[i]) {
                        nucleus = 1;
                        break;
                    }
                }
                double wave = 0.5 + 0.5 * Math.sin(x * 0.05) * Math.cos(y * 0.07);
                int r = clamp(230 - 140 * nucleus - 30 * wave + random.nextGaussian() * 8);
                int g = clamp(170 - 120 * nucleus - 40 * wave + random.nextGaussian() * 8);
                int b = clamp(210 - 40 * nucleus - 20 * wave + random.nextGaussian() * 8);
                packed[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
        return Raster.fromPackedRgb(width, height, packed);
    }

    /** A grey raster whose three channels all hold {@code value(x, y)}. */
    static Raster grey(int width, int height, PixelFunction value) {
        Raster r = Raster.allocate(width, height, 3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = (float) value.at(x, y);
                for (int c = 0; c < 3; c++) {
                    r.set(c, x, y, v);
                }
            }
        }
        return r;
    }

    interface PixelFunction {
        double at(int x, int y);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
