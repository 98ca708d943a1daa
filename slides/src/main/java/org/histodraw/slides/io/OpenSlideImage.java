package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.slides.openslide.OpenSlideException;
import org.histodraw.slides.openslide.OpenSlideFile;

/**
 * A slide read by OpenSlide: vendor formats (Aperio SVS including JPEG 2000 tiles, Hamamatsu NDPI
 * and VMS, MIRAX, Leica SCN, Philips TIFF, Ventana BIF, Sakura, Trestle) and the generic tiled TIFF
 * our {@link TiledTiff} does not decode (ZSTD, WebP tiles). OpenSlide hands out premultiplied ARGB,
 * composited here on white. When the file is a TIFF whose tiles our reader also understands (an
 * Aperio SVS with JPEG tiles), that reader's {@link TiledTiff#encodedTile} gives the stored JPEG tiles
 * for sending as they are, level by level where both readers see the same grid.
 */
final class OpenSlideImage implements SlideImage {
    /** Rows of one native read, so a tall region never needs more native memory than this many pixels. */
    private static final long READ_CHUNK_PIXELS = 1L << 24;

    private final Path file;
    private final OpenSlideFile slide;
    private final SlideMetadata metadata;
    private final Optional<TiledTiff> storedTiles;
    private final int[] storedLevel;
    private volatile boolean closed;

    OpenSlideImage(Path file, OpenSlideFile slide, String vendor, Optional<TiledTiff> storedTiles) {
        this.file = file;
        this.slide = slide;
        Map<String, String> properties = Map.copyOf(slide.properties());
        List<String> associated = List.copyOf(slide.associatedImageNames());
        int count = slide.levelCount();
        if (count < 1) {
            throw new OpenSlideException("no levels");
        }
        List<SlideLevel> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] size = slide.levelDimensions(i);
            if (size[0] < 1 || size[1] < 1 || size[0] > Integer.MAX_VALUE || size[1] > Integer.MAX_VALUE) {
                throw new OpenSlideException("level " + i + " has an unusable size " + size[0] + " x " + size[1]);
            }
            int tw = intProperty(properties, "openslide.level[" + i + "].tile-width", 256);
            int th = intProperty(properties, "openslide.level[" + i + "].tile-height", 256);
            list.add(new SlideLevel((int) size[0], (int) size[1], Math.max(1, slide.levelDownsample(i)), tw, th, 0));
        }
        this.metadata = SlideMetadata.of(formatName(vendor, file), list,
                        doubleProperty(properties, "openslide.mpp-x").flatMap(PixelSizes::plausibleMicrons))
                .withScanner(vendor, doubleProperty(properties, "openslide.objective-power"))
                .withProperties(properties)
                .withAssociatedImages(associated);
        this.storedTiles = storedTiles;
        this.storedLevel = new int[count];
        for (int i = 0; i < count; i++) {
            storedLevel[i] = -1;
            if (storedTiles.isPresent()) {
                List<SlideLevel> stored = storedTiles.get().levels();
                for (int j = 0; j < stored.size(); j++) {
                    SlideLevel s = stored.get(j);
                    SlideLevel l = list.get(i);
                    if (s.width() == l.width() && s.height() == l.height() && s.tileWidth() == l.tileWidth()
                            && s.tileHeight() == l.tileHeight()) {
                        storedLevel[i] = j;
                    }
                }
            }
        }
    }

    private static int intProperty(Map<String, String> properties, String name, int fallback) {
        try {
            int v = Integer.parseInt(properties.getOrDefault(name, ""));
            return v > 0 && v <= TiledTiff.MAX_TILE_SIDE ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Optional<Double> doubleProperty(Map<String, String> properties, String name) {
        try {
            double v = Double.parseDouble(properties.getOrDefault(name, ""));
            return v > 0 && Double.isFinite(v) ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "Aperio SVS", "Hamamatsu NDPI"... from OpenSlide's vendor name. */
    static String formatName(String vendor, Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return switch (vendor) {
            case "aperio" -> "Aperio SVS";
            case "hamamatsu" -> name.endsWith(".ndpi") ? "Hamamatsu NDPI" : "Hamamatsu VMS";
            case "leica" -> "Leica SCN";
            case "mirax" -> "MIRAX";
            case "philips" -> "Philips TIFF";
            case "sakura" -> "Sakura SVSlide";
            case "trestle" -> "Trestle TIFF";
            case "ventana" -> "Ventana BIF";
            case "generic-tiff" -> "generic tiled TIFF";
            default -> vendor;
        };
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
    public int[] readArgb(int level, PixelRegion region) {
        SlideLevel l = LevelRegions.check(this, closed, level, region);
        int[] out = new int[region.width() * region.height()];
        int rows = (int) Math.max(1, Math.min(region.height(), READ_CHUNK_PIXELS / region.width()));
        for (int y = 0; y < region.height(); y += rows) {
            int h = Math.min(rows, region.height() - y);
            long x0 = Math.round(region.x() * l.downsample());
            long y0 = Math.round((region.y() + y) * l.downsample());
            int[] part;
            try {
                part = slide.readRegion(x0, y0, level, region.width(), h);
            } catch (OpenSlideException e) {
                throw new SlideException(file, "OpenSlide cannot read the pixels of", e.getMessage());
            }
            System.arraycopy(Compositing.premultipliedOnWhite(part), 0, out, y * region.width(), part.length);
        }
        return out;
    }

    @Override
    public Optional<EncodedTile> encodedTile(int level, int column, int row) {
        if (level < 0 || level >= storedLevel.length || storedLevel[level] < 0 || closed) {
            return Optional.empty();
        }
        return storedTiles.get().encodedTile(storedLevel[level], column, row);
    }

    @Override
    public int encodedTileSize(int level, int column, int row) {
        if (level < 0 || level >= storedLevel.length || storedLevel[level] < 0 || closed) {
            return -1;
        }
        return storedTiles.get().encodedTileSize(storedLevel[level], column, row);
    }

    @Override
    public boolean readEncodedTile(int level, int column, int row, ByteBuffer into) {
        if (level < 0 || level >= storedLevel.length || storedLevel[level] < 0 || closed) {
            return false;
        }
        return storedTiles.get().readEncodedTile(storedLevel[level], column, row, into);
    }

    @Override
    public BufferedImage associatedImage(String name) {
        if (!associatedImages().contains(name)) {
            throw new IllegalArgumentException("no associated image " + name + " in " + file + " (it has " + associatedImages() + ")");
        }
        long[] size = slide.associatedImageDimensions(name);
        int[] argb;
        try {
            argb = Compositing.premultipliedOnWhite(slide.readAssociatedImage(name));
        } catch (OpenSlideException e) {
            throw new SlideException(file, "OpenSlide cannot read the " + name + " image of", e.getMessage());
        }
        BufferedImage image = new BufferedImage((int) size[0], (int) size[1], BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, (int) size[0], (int) size[1], argb, 0, (int) size[0]);
        return image;
    }

    @Override
    public void close() {
        closed = true;
        slide.close();
        storedTiles.ifPresent(TiledTiff::close);
    }

    @Override
    public String toString() {
        return file + " (" + format() + ", " + width() + " x " + height() + ", " + levels().size() + " levels)";
    }
}
