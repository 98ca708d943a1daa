package org.histodraw.engine.forest;

import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;

/**
 * A made-up feature stack with histology-like structure: three smooth hidden fields decide the class
 * of each pixel (3 classes with ragged borders), and each feature is a noisy, sometimes non-linear
 * view of one field; a few features are pure noise. Deterministic for a seed.
 */
final class SyntheticStack {
    private SyntheticStack() {
    }

    static Raster features(int x0, int y0, int width, int height, int featureCount, long seed) {
        Raster r = Raster.allocate(width, height, featureCount);
        SplitMix64 random = new SplitMix64(seed);
        double[] gain = new double[featureCount];
        double[] noise = new double[featureCount];
        for (int f = 0; f < featureCount; f++) {
            gain[f] = 0.5 + random.nextInt(1000) / 1000.0;
            noise[f] = f % 10 == 9 ? 5.0 : 0.2 + 0.8 * random.nextInt(1000) / 1000.0;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int gx = x0 + x;
                int gy = y0 + y;
                double[] u = fields(gx, gy);
                int p = y * width + x;
                long h = hash(gx, gy, seed);
                for (int f = 0; f < featureCount; f++) {
                    double v = u[f % 3];
                    if (f % 4 == 1) {
                        v = v * v;
                    } else if (f % 4 == 2) {
                        v = Math.tanh(2 * v);
                    }
                    h = h * 6364136223846793005L + 1442695040888963407L;
                    double n = ((h >>> 40) / (double) (1 << 24)) - 0.5;
                    r.plane(f)[p] = (float) (gain[f] * v + noise[f] * n);
                }
            }
        }
        return r;
    }

    /** The true class (1..3) of a pixel. */
    static int classAt(int x, int y) {
        double[] u = fields(x, y);
        if (u[0] > 0.3 && u[1] < 0.4) {
            return 2;
        }
        if (u[2] + 0.5 * u[0] > 0.5) {
            return 3;
        }
        return 1;
    }

    static LabelRaster truth(int x0, int y0, int width, int height) {
        LabelRaster l = LabelRaster.allocate(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                l.set(x, y, classAt(x0 + x, y0 + y));
            }
        }
        return l;
    }

    private static double[] fields(int x, int y) {
        return new double[] {
            Math.sin(x * 0.031) * Math.cos(y * 0.027) + 0.3 * Math.sin((x + y) * 0.11),
            Math.cos(x * 0.017 + 1) * Math.sin(y * 0.041) + 0.3 * Math.cos((x - y) * 0.09),
            Math.sin(x * 0.053 + y * 0.012) * Math.cos(y * 0.023 - 2) + 0.2 * Math.sin(x * 0.2),
        };
    }

    private static long hash(int x, int y, long seed) {
        long z = seed + x * 0x9E3779B97F4A7C15L + y * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
