package org.histodraw.engine.raster;

/**
 * One class index per pixel, 0 to 255, row-major. In training labels 0 means "unlabelled" and
 * 1..K are the classes; in a class map every pixel holds its predicted class 1..K.
 */
public final class LabelRaster {
    public static final int UNLABELLED = 0;

    private final int width;
    private final int height;
    private final byte[] labels;

    public LabelRaster(int width, int height, byte[] labels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label raster size must be positive: " + width + " x " + height);
        }
        if (labels.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " labels, got " + labels.length);
        }
        this.width = width;
        this.height = height;
        this.labels = labels;
    }

    public static LabelRaster allocate(int width, int height) {
        if ((long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("label raster too large: " + width + " x " + height);
        }
        return new LabelRaster(width, height, new byte[width * height]);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (row-major, unsigned bytes). */
    public byte[] data() {
        return labels;
    }

    public int get(int x, int y) {
        return labels[y * width + x] & 0xff;
    }

    public void set(int x, int y, int label) {
        if (label < 0 || label > 255) {
            throw new IllegalArgumentException("label must be 0..255: " + label);
        }
        labels[y * width + x] = (byte) label;
    }

    /** The highest label present (0 when nothing is labelled). */
    public int maxLabel() {
        int max = 0;
        for (byte b : labels) {
            max = Math.max(max, b & 0xff);
        }
        return max;
    }

    public long count(int label) {
        long n = 0;
        for (byte b : labels) {
            if ((b & 0xff) == label) {
                n++;
            }
        }
        return n;
    }

    public LabelRaster crop(PixelRegion region) {
        if (!PixelRegion.of(width, height).contains(region) || region.isEmpty()) {
            throw new IllegalArgumentException("crop " + region + " outside label raster " + width + " x " + height);
        }
        LabelRaster out = allocate(region.width(), region.height());
        for (int row = 0; row < region.height(); row++) {
            System.arraycopy(labels, (region.y() + row) * width + region.x(), out.labels, row * region.width(), region.width());
        }
        return out;
    }
}
