package org.histodraw.engine.raster;

/**
 * A rectangle of pixels in image coordinates: {@code x, y} is the top-left pixel, the region covers
 * {@code [x, x + width) x [y, y + height)}. Used for tiles, halos and viewports.
 */
public record PixelRegion(int x, int y, int width, int height) {

    public PixelRegion {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("region size must not be negative: " + width + " x " + height);
        }
    }

    public static PixelRegion of(int width, int height) {
        return new PixelRegion(0, 0, width, height);
    }

    public int endX() {
        return x + width;
    }

    public int endY() {
        return y + height;
    }

    public long area() {
        return (long) width * height;
    }

    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    /** This region grown by {@code margin} pixels on every side, then clipped to {@code bounds}. */
    public PixelRegion expand(int margin, PixelRegion bounds) {
        return new PixelRegion(x - margin, y - margin, width + 2 * margin, height + 2 * margin).intersect(bounds);
    }

    /** The overlap of two regions; empty (at this region's origin) when they do not meet. */
    public PixelRegion intersect(PixelRegion other) {
        int x0 = Math.max(x, other.x);
        int y0 = Math.max(y, other.y);
        int x1 = Math.min(endX(), other.endX());
        int y1 = Math.min(endY(), other.endY());
        if (x1 <= x0 || y1 <= y0) {
            return new PixelRegion(x, y, 0, 0);
        }
        return new PixelRegion(x0, y0, x1 - x0, y1 - y0);
    }

    public boolean contains(PixelRegion other) {
        return other.x >= x && other.y >= y && other.endX() <= endX() && other.endY() <= endY();
    }
}
