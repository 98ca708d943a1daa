package org.histodraw.engine.vector;

import java.util.SplittableRandom;
import org.histodraw.engine.raster.LabelRaster;

/** Class maps for tests: drawn from text, random noise, and smooth blobs. */
final class ClassMaps {
    private ClassMaps() {
    }

    /** One row per string, one digit per pixel ('.' = 0). */
    static LabelRaster of(String... rows) {
        int w = rows[0].length();
        LabelRaster r = LabelRaster.allocate(w, rows.length);
        for (int y = 0; y < rows.length; y++) {
            if (rows[y].length() != w) {
                throw new IllegalArgumentException("row " + y + " has length " + rows[y].length());
            }
            for (int x = 0; x < w; x++) {
                char ch = rows[y].charAt(x);
                r.set(x, y, ch == '.' ? 0 : ch - '0');
            }
        }
        return r;
    }

    /** Independent random classes 0..classes per pixel, with probability {@code zeroShare} of 0. */
    static LabelRaster noise(int w, int h, int classes, double zeroShare, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LabelRaster r = LabelRaster.allocate(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.set(x, y, random.nextDouble() < zeroShare ? 0 : 1 + random.nextInt(classes));
            }
        }
        return r;
    }

    /**
     * Realistic blobs: value noise on a coarse grid, interpolated, thresholded into {@code classes}
     * bands (the lowest band is class 1, so there is no 0 unless {@code withBackground}).
     */
    static LabelRaster blobs(int w, int h, int classes, int cell, boolean withBackground, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int gw = w / cell + 2;
        int gh = h / cell + 2;
        double[] grid = new double[gw * gh];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = random.nextDouble();
        }
        // a second, finer octave for ragged borders
        int cell2 = Math.max(2, cell / 4);
        int gw2 = w / cell2 + 2;
        int gh2 = h / cell2 + 2;
        double[] fine = new double[gw2 * gh2];
        for (int i = 0; i < fine.length; i++) {
            fine[i] = random.nextDouble();
        }
        LabelRaster r = LabelRaster.allocate(w, h);
        byte[] data = r.data();
        int bands = withBackground ? classes + 1 : classes;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.75 * sample(grid, gw, x, y, cell) + 0.25 * sample(fine, gw2, x, y, cell2);
                int band = Math.min(bands - 1, (int) (v * bands * 1.0));
                int label = withBackground ? band : band + 1;
                data[y * w + x] = (byte) label;
            }
        }
        return r;
    }

    private static double sample(double[] grid, int gw, int x, int y, int cell) {
        double fx = (double) x / cell;
        double fy = (double) y / cell;
        int ix = (int) fx;
        int iy = (int) fy;
        double tx = smooth(fx - ix);
        double ty = smooth(fy - iy);
        double a = grid[iy * gw + ix];
        double b = grid[iy * gw + ix + 1];
        double c = grid[(iy + 1) * gw + ix];
        double d = grid[(iy + 1) * gw + ix + 1];
        return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }
}
