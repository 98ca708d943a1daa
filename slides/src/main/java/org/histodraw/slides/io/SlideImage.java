package org.histodraw.slides.io;

import java.nio.file.Path;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * One slide image file as a {@link TileSource}: level 0 (the largest image of a pyramidal or
 * multi-page TIFF) read one region at a time as R, G, B in [0, 1] (see {@link RgbConversion} for
 * grayscale, palette, 16-bit and alpha, which is composited on white).
 *
 * <p>Two ways of holding pixels, chosen at {@link SlideImages#open}:
 * <ul>
 *   <li><b>region reads</b> for TIFF stored in tiles or small strips: each {@link #read} decodes only
 *       the tiles it touches, so a slide of gigapixels never sits in memory. Tiled 8-bit TIFF (the
 *       whole-slide layout) goes through {@link TiledTiff}, other TIFF through ImageIO's readers;</li>
 *   <li><b>decoded whole</b> for PNG, JPEG and TIFF stored in one big strip, whose compression offers
 *       no random access: the file is decoded once at open (so a corrupt or truncated file fails
 *       there, not half-way through a job) and regions are cut from memory.</li>
 * </ul>
 *
 * <p>Thread safety: {@link #read} may be called from many threads at once. Whole images are read
 * without locks; {@link TiledTiff} uses positional reads of one file channel; other TIFF borrow one
 * of a small pool of ImageReaders (ImageReader itself is not thread-safe), at most
 * {@link SlideLimits#maxReaders()} of them. So tiles decode in parallel without a lock around the
 * file. Close the image after the last read.
 */
public final class SlideImage implements TileSource, AutoCloseable {
    private final Path file;
    private final String format;
    private final int width;
    private final int height;
    private final Optional<Double> micronsPerPixel;
    private final RegionSource pixels;
    private volatile boolean closed;

    SlideImage(Path file, String format, Optional<Double> micronsPerPixel, RegionSource pixels) {
        this.file = file;
        this.format = format;
        this.width = pixels.width();
        this.height = pixels.height();
        this.micronsPerPixel = micronsPerPixel;
        this.pixels = pixels;
    }

    public Path file() {
        return file;
    }

    /** PNG, JPEG, TIFF... (the format found in the file's content, whatever its name says). */
    public String format() {
        return format;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    /** True when regions are decoded on demand from the file (tiled TIFF), false when decoded whole. */
    public boolean readsRegions() {
        return pixels.readsRegions();
    }

    /**
     * The width of one pixel in microns, when the file says so: TIFF XResolution with ResolutionUnit
     * inch or centimetre, PNG pHYs in metres, JFIF density, or an Aperio "MPP = " description.
     * Empty when the file gives none, or only 72 or 96 pixels per inch: those are the defaults image
     * editors and writers put in every file, never a microscope's resolution.
     */
    public Optional<Double> micronsPerPixel() {
        return micronsPerPixel;
    }

    @Override
    public Raster read(PixelRegion region) {
        if (region.isEmpty() || !bounds().contains(region)) {
            throw new IllegalArgumentException("region " + region + " must be non-empty and inside the "
                    + width + " x " + height + " image " + file);
        }
        if (closed) {
            throw new IllegalStateException("slide image is closed: " + file);
        }
        return pixels.read(region);
    }

    @Override
    public void close() {
        closed = true;
        pixels.close();
    }

    @Override
    public String toString() {
        return file + " (" + format + ", " + width + " x " + height + ")";
    }
}
