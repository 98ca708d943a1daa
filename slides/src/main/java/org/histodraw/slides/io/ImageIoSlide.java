package org.histodraw.slides.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * A one-level image read through ImageIO: PNG, JPEG and TIFF our {@link TiledTiff} does not read
 * (strips, 16-bit, palette...). Two ways of holding pixels, chosen at {@link SlideImages#open}:
 * <b>region reads</b> ({@link RegionReaders}) for TIFF stored in tiles or small strips, each read
 * decoding only what it touches; <b>decoded whole</b> ({@link WholeImage}) for PNG, JPEG and TIFF in
 * one big strip, whose compression offers no random access: decoded once at open, so a corrupt or
 * truncated file fails there, not half-way through a job.
 */
final class ImageIoSlide implements SlideImage {
    private final Path file;
    private final SlideMetadata metadata;
    private final RegionSource pixels;
    private volatile boolean closed;

    ImageIoSlide(Path file, String format, Optional<Double> micronsPerPixel, RegionSource pixels) {
        this.file = file;
        this.pixels = pixels;
        this.metadata = SlideMetadata.of(format,
                List.of(new SlideLevel(pixels.width(), pixels.height(), 1, pixels.width(), pixels.height(), 0)), micronsPerPixel);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public SlideMetadata metadata() {
        return metadata;
    }

    @Override
    public boolean readsRegions() {
        return pixels.readsRegions();
    }

    @Override
    public Raster read(int level, PixelRegion region) {
        LevelRegions.check(this, closed, level, region);
        return pixels.read(region);
    }

    @Override
    public int[] readArgb(int level, PixelRegion region) {
        return RgbConversion.packed(read(level, region));
    }

    @Override
    public void close() {
        closed = true;
        pixels.close();
    }

    @Override
    public String toString() {
        return file + " (" + format() + ", " + width() + " x " + height() + ")";
    }
}
