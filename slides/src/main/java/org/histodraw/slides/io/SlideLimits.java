package org.histodraw.slides.io;

/**
 * Guards against decompression bombs and files too big for the way they are stored.
 *
 * @param maxPixels            the largest image (width x height of level 0) read a region at a time
 *                             (tiled or finely striped TIFF); 2^33 by default, about 92k x 92k
 * @param maxWholeImagePixels  the largest image that has to be decoded whole (PNG, JPEG, TIFF stored in
 *                             one strip) and label images; 2^28 by default, about 16k x 16k, which
 *                             needs up to about 0.8 GB of heap for an 8-bit RGB image
 * @param maxReaders           how many image readers one slide may open to decode regions in parallel
 */
public record SlideLimits(long maxPixels, long maxWholeImagePixels, int maxReaders) {

    public static final SlideLimits DEFAULT = new SlideLimits(1L << 33, 1L << 28,
            Math.max(1, Runtime.getRuntime().availableProcessors()));

    public SlideLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        if (maxWholeImagePixels < 1 || maxWholeImagePixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxWholeImagePixels must be 1.." + Integer.MAX_VALUE + ": " + maxWholeImagePixels);
        }
        if (maxReaders < 1) {
            throw new IllegalArgumentException("maxReaders must be at least 1: " + maxReaders);
        }
    }

    public SlideLimits withMaxPixels(long pixels) {
        return new SlideLimits(pixels, Math.min(maxWholeImagePixels, pixels), maxReaders);
    }

    public SlideLimits withMaxWholeImagePixels(long pixels) {
        return new SlideLimits(maxPixels, pixels, maxReaders);
    }

    public SlideLimits withMaxReaders(int readers) {
        return new SlideLimits(maxPixels, maxWholeImagePixels, readers);
    }

    /** "268 Mpx" style, for messages. */
    static String megapixels(long pixels) {
        if (pixels >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1f Gpx", pixels / 1e9);
        }
        return String.format(java.util.Locale.ROOT, "%d Mpx", Math.round(pixels / 1e6));
    }
}
