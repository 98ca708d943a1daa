package org.histodraw.slides.io;

/**
 * One resolution of a slide, as stored in the file.
 *
 * @param downsample how many level-0 pixels one pixel of this level spans (1 for level 0)
 * @param tileWidth  the file's tile width at this level (the image width for untiled images)
 * @param overlap    pixels of the neighbours each stored tile repeats on each side (0 except Deep Zoom)
 */
public record SlideLevel(int width, int height, double downsample, int tileWidth, int tileHeight, int overlap) {
    public SlideLevel {
        if (width < 1 || height < 1 || !(downsample >= 1) || tileWidth < 1 || tileHeight < 1 || overlap < 0) {
            throw new IllegalArgumentException("bad level " + width + " x " + height + " at " + downsample
                    + ", tiles " + tileWidth + " x " + tileHeight + " + " + overlap);
        }
    }

    public int columns() {
        return (int) ((width + (long) tileWidth - 1) / tileWidth);
    }

    public int rows() {
        return (int) ((height + (long) tileHeight - 1) / tileHeight);
    }
}
