package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.display.DisplaySettings;
import org.histodraw.slides.display.ImageChannel;

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
 * <p>Pixels are 8-bit RGB, or (16-bit, float and multi-channel TIFF, read by {@link ChannelTiff})
 * channels of original values shown through display settings; transparency is composited on white (blank glass). Reads may come from
 * many threads at once. Close the slide after the last read; reads after close fail.
 *
 * <p>What the reader found at open is one {@link SlideMetadata}; the accessors of those facts answer from it.
 */
public interface SlideImage extends TileSource, AutoCloseable {

    Path file();

    /** The slide's format, scanner, pixel size, levels, properties, associated images and channels, as read at open. */
    SlideMetadata metadata();

    /** Every file the slide is read from: {@link #file()}, or the files of a multi-file format (a DICOM series). */
    default List<Path> files() {
        return List.of(file());
    }

    /** What the file is: "Aperio SVS", "generic tiled TIFF", "TIFF", "PNG", "Deep Zoom"... */
    default String format() {
        return metadata().format();
    }

    /** OpenSlide's vendor name ("aperio", "hamamatsu", "generic-tiff"...) when OpenSlide reads it. */
    default Optional<String> vendor() {
        return metadata().vendor();
    }

    /** The scanner's objective magnification (e.g. 40), when the file says. */
    default Optional<Double> objectivePower() {
        return metadata().objectivePower();
    }

    /**
     * The width of one level-0 pixel in microns, when the file says so: OpenSlide's
     * {@code openslide.mpp-x}, TIFF XResolution with ResolutionUnit inch or centimetre, PNG pHYs,
     * JFIF density, an Aperio "MPP = " description. Never the 72 or 96 dpi editors write by default.
     */
    default Optional<Double> micronsPerPixel() {
        return metadata().micronsPerPixel();
    }

    /** Every property the reader found (OpenSlide's, or a few of the TIFF's); never null. */
    default Map<String, String> properties() {
        return metadata().properties();
    }

    /** The levels, largest first; level 0 is the full resolution. */
    default List<SlideLevel> levels() {
        return metadata().levels();
    }

    @Override
    default int width() {
        return levels().get(0).width();
    }

    @Override
    default int height() {
        return levels().get(0).height();
    }

    /** True when regions are decoded from the file on demand, false when the image was decoded whole. */
    default boolean readsRegions() {
        return true;
    }

    /**
     * True for slides of 8-bit colour or grey, whose pixels are shown as they are; false for 16-bit,
     * float and multi-channel slides, shown through {@link DisplaySettings} and analysed on
     * {@link #readChannels}.
     */
    default boolean rgb() {
        return metadata().rgb();
    }

    /** The channels as the file stores them (Red, Green, Blue for colour slides). */
    default List<ImageChannel> channels() {
        return metadata().channels();
    }

    /**
     * The original values of a region, one plane per {@linkplain #channels() channel} (for colour
     * slides R, G, B in [0, 1], as {@link #read(int, PixelRegion)}): what analysis of a multi-channel
     * slide reads.
     */
    default Raster readChannels(int level, PixelRegion region) {
        return read(level, region);
    }

    /** The display the RGB reads use: for slides that are not {@link #rgb()}, the automatic ranges. */
    default DisplaySettings defaultDisplay() {
        return null;
    }

    /** A region as {@link #readArgb(int, PixelRegion)} with these display settings (ignored for {@link #rgb()} slides). */
    default int[] readArgb(int level, PixelRegion region, DisplaySettings display) {
        return readArgb(level, region);
    }

    /**
     * R, G, B in [0, 1] of a region of a level (in that level's pixels): for slides that are not
     * {@link #rgb()}, their default display.
     */
    default Raster read(int level, PixelRegion region) {
        return Raster.fromPackedRgb(region.width(), region.height(), readArgb(level, region));
    }

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

    /**
     * The size in bytes of the stored JPEG tile {@link #encodedTile} gives, when it can also be read straight
     * into a buffer of the caller's ({@link #readEncodedTile}: a server's pooled direct buffer, so the
     * bytes go from the file to the socket with no copy on the heap); -1 otherwise.
     */
    default int encodedTileSize(int level, int column, int row) {
        return -1;
    }

    /**
     * Reads the stored tile into {@code into} from its position on ({@link #encodedTileSize} bytes, the
     * position advances by as many): the same bytes {@link #encodedTile} gives. False when the tile
     * turns out not to be sendable as it is (then {@code into}'s content is undefined and
     * {@link #encodedTile} decides).
     */
    default boolean readEncodedTile(int level, int column, int row, ByteBuffer into) {
        return false;
    }

    /** Names of the associated images the file holds ("label", "macro", "thumbnail"...). */
    default List<String> associatedImages() {
        return metadata().associatedImages();
    }

    /** An associated image by name; IllegalArgumentException for a name not in {@link #associatedImages()}. */
    default BufferedImage associatedImage(String name) {
        throw new IllegalArgumentException("no associated image " + name + " in " + file());
    }

    @Override
    void close();
}
