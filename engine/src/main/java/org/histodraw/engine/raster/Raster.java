package org.histodraw.engine.raster;

import java.util.Objects;

/**
 * A multi-channel float image stored planar: one row-major {@code float[]} per channel. Colour input
 * is held as three channels R, G, B scaled to [0, 1]; feature stacks hold one channel per feature.
 *
 * <p>The planes are exposed for speed (filters and the forest work on them directly); treat a raster
 * handed to you as read-only unless you allocated it.
 */
public final class Raster {
    private final int width;
    private final int height;
    private final float[][] planes;

    public Raster(int width, int height, float[][] planes) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("raster size must be positive: " + width + " x " + height);
        }
        Objects.requireNonNull(planes, "planes");
        long n = (long) width * height;
        for (int c = 0; c < planes.length; c++) {
            if (planes[c] == null || planes[c].length != n) {
                throw new IllegalArgumentException("plane " + c + " must hold " + n + " pixels");
            }
        }
        this.width = width;
        this.height = height;
        this.planes = planes;
    }

    public static Raster allocate(int width, int height, int channels) {
        if ((long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("raster too large for one plane: " + width + " x " + height);
        }
        float[][] planes = new float[channels][width * height];
        return new Raster(width, height, planes);
    }

    /** Unpacks 0xRRGGBB (alpha ignored) pixels into three planes scaled to [0, 1]. */
    public static Raster fromPackedRgb(int width, int height, int[] rgb) {
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + rgb.length);
        }
        Raster r = allocate(width, height, 3);
        float[] red = r.planes[0], green = r.planes[1], blue = r.planes[2];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            // Divided (not multiplied by 1/255f) to give the same floats as the slide readers.
            red[i] = ((p >>> 16) & 0xff) / 255f;
            green[i] = ((p >>> 8) & 0xff) / 255f;
            blue[i] = (p & 0xff) / 255f;
        }
        return r;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return planes.length;
    }

    public int pixelCount() {
        return width * height;
    }

    public float[] plane(int channel) {
        return planes[channel];
    }

    public float get(int channel, int x, int y) {
        return planes[channel][y * width + x];
    }

    public void set(int channel, int x, int y, float value) {
        planes[channel][y * width + x] = value;
    }

    /** A copy of the given sub-rectangle (in this raster's coordinates), all channels. */
    public Raster crop(PixelRegion region) {
        if (!PixelRegion.of(width, height).contains(region) || region.isEmpty()) {
            throw new IllegalArgumentException("crop " + region + " outside raster " + width + " x " + height);
        }
        Raster out = allocate(region.width(), region.height(), planes.length);
        for (int c = 0; c < planes.length; c++) {
            for (int row = 0; row < region.height(); row++) {
                System.arraycopy(planes[c], (region.y() + row) * width + region.x(),
                        out.planes[c], row * region.width(), region.width());
            }
        }
        return out;
    }
}
