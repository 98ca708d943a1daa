package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * One slide, whatever reads it (the model is QuPath's ImageServer and OpenSlide's API): its levels
 * (level 0 the full resolution, then smaller ones with their downsample and the file's tile grid),
 * regions of any level read as RGB for analysis or as packed pixels for tile encoding, the tiles the
 * file stores where they can be sent as they are, what the file says about itself (format, vendor,
 * objective power, pixel size, properties) and its associated images (label, macro, thumbnail).
 *
 * <p>Open one with {@link SlideImages#open}, the single door that chooses the reader: OpenSlide
 * (through the FFM API) for vendor formats, {@link TiledTiff} for the tiled TIFF it reads, ImageIO
 * for PNG, JPEG and other TIFF, {@link DeepZoomSlide} for a Deep Zoom pyramid folder.
 *
 * <p>Pixels are 8-bit RGB; transparency is composited on white (blank glass). Reads may come from
 * many threads at once. Close the slide after the last read; reads after close fail.
 */
public interface SlideImage extends TileSource, AutoCloseable {

    Path file();

    /** What the file is: "Aperio SVS", "generic tiled TIFF", "TIFF", "PNG", "Deep Zoom"... */
    String format();

    /** OpenSlide's vendor name ("aperio", "hamamatsu", "generic-tiff"...) when OpenSlide reads it. */
    default Optional<String> vendor() {
        return Optional.empty();
    }

    /** The scanner's objective magnification (e.g. 40), when the file says. */
    default Optional<Double> objectivePower() {
        return Optional.empty();
    }

    /**
     * The width of one level-0 pixel in microns, when the file says so: OpenSlide's
     * {@code openslide.mpp-x}, TIFF XResolution with ResolutionUnit inch or centimetre, PNG pHYs,
     * JFIF density, an Aperio "MPP = " description. Never the 72 or 96 dpi editors write by default.
     */
    Optional<Double> micronsPerPixel();

    /** Every property the reader found (OpenSlide's, or a few of the TIFF's); never null. */
    default Map<String, String> properties() {
        return Map.of();
    }

    /** The levels, largest first; level 0 is the full resolution. */
    List<SlideLevel> levels();

    @Override
    default int width() {
        return levels().get(0).width();
    }

    @Override
    default int height() {
        return levels().get(0).height();
    }

    /** True when regions are decoded from the file on demand, false when the image was decoded whole. */
    boolean readsRegions();

    /** R, G, B in [0, 1] of a region of a level (in that level's pixels). */
    Raster read(int level, PixelRegion region);

    /** A region of a level as opaque 0xFFRRGGBB pixels, row by row (for tiles and pictures). */
    int[] readArgb(int level, PixelRegion region);

    /** Level 0, for the engine. */
    @Override
    default Raster read(PixelRegion region) {
        return read(0, region);
    }

    /**
     * The stored tile at {@code column, row} of a level when it can be sent without decoding (JPEG a
     * browser decodes to the right colours, or a Deep Zoom tile file); empty otherwise.
     */
    default Optional<EncodedTile> encodedTile(int level, int column, int row) {
        return Optional.empty();
    }

    /** Names of the associated images the file holds ("label", "macro", "thumbnail"...). */
    default List<String> associatedImages() {
        return List.of();
    }

    /** An associated image by name; IllegalArgumentException for a name not in {@link #associatedImages()}. */
    default BufferedImage associatedImage(String name) {
        throw new IllegalArgumentException("no associated image " + name + " in " + file());
    }

    @Override
    void close();
}
