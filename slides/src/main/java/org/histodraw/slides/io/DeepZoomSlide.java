package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.slides.pyramid.DeepZoomPyramid;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * A Deep Zoom pyramid folder ({@code slide.dzi} + {@code slide_files/}) read as a slide: the
 * annotation server's pyramids of earlier versions, and the lossless (PNG-tiled) pyramids it builds
 * for images without random access (PNG, JPEG, TIFF in one strip). Level i of the slide is Deep Zoom
 * level {@code maxLevel - i}; stored tiles are handed out as they are. Regions are composed from the
 * tiles' cores (overlap dropped) with a small cache of decoded tiles.
 */
public final class DeepZoomSlide implements SlideImage {
    private static final long CACHE_BYTES = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 16);

    private final Path dir;
    private final PyramidLayout layout;
    private final SlideMetadata metadata;
    private final Map<Long, int[]> cache;
    private volatile boolean closed;

    private DeepZoomSlide(Path dir, PyramidLayout layout, String format, Optional<Double> micronsPerPixel) {
        this.dir = dir;
        this.layout = layout;
        List<SlideLevel> levels = new ArrayList<>();
        for (int level = layout.maxLevel(); level >= 0; level--) {
            levels.add(new SlideLevel(layout.levelWidth(level), layout.levelHeight(level), layout.downsample(level),
                    layout.tileSize(), layout.tileSize(), layout.overlap()));
        }
        this.metadata = SlideMetadata.of(format, levels, micronsPerPixel);
        long tileBytes = 4L * (layout.tileSize() + 2L * layout.overlap()) * (layout.tileSize() + 2L * layout.overlap());
        int capacity = (int) Math.max(4, CACHE_BYTES / tileBytes);
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Opens a pyramid written by {@link DeepZoomPyramid#build}.
     *
     * @param format what to call it ("Deep Zoom", or the format of the image it was made from)
     */
    public static DeepZoomSlide open(Path dir, String format, Double micronsPerPixel) {
        PyramidLayout layout;
        try {
            layout = DeepZoomPyramid.open(dir);
        } catch (RuntimeException e) {
            throw new SlideException(dir, "not a Deep Zoom pyramid", e);
        }
        return new DeepZoomSlide(dir, layout, format, Optional.ofNullable(micronsPerPixel));
    }

    public PyramidLayout layout() {
        return layout;
    }

    @Override
    public Path file() {
        return dir;
    }

    @Override
    public SlideMetadata metadata() {
        return metadata;
    }

    @Override
    public int[] readArgb(int level, PixelRegion region) {
        LevelRegions.check(this, closed, level, region);
        int dz = layout.maxLevel() - level;
        int ts = layout.tileSize();
        int[] out = new int[region.width() * region.height()];
        for (int ty = region.y() / ts; ty <= (region.endY() - 1) / ts; ty++) {
            for (int tx = region.x() / ts; tx <= (region.endX() - 1) / ts; tx++) {
                PixelRegion stored = layout.tileRegion(dz, tx, ty);
                int[] tile = decoded(dz, tx, ty, stored);
                PixelRegion core = new PixelRegion(tx * ts, ty * ts, ts, ts).intersect(region);
                for (int y = core.y(); y < core.endY(); y++) {
                    System.arraycopy(tile, (y - stored.y()) * stored.width() + (core.x() - stored.x()), out,
                            (y - region.y()) * region.width() + (core.x() - region.x()), core.width());
                }
            }
        }
        return out;
    }

    @Override
    public Optional<EncodedTile> encodedTile(int level, int column, int row) {
        int dz = layout.maxLevel() - level;
        if (closed || level < 0 || dz < 0 || !layout.hasTile(dz, column, row)) {
            return Optional.empty();
        }
        PixelRegion r = layout.tileRegion(dz, column, row);
        try {
            byte[] bytes = Files.readAllBytes(DeepZoomPyramid.tileFile(dir, layout, dz, column, row));
            return Optional.of(new EncodedTile(bytes, layout.format().mediaType(), r.width(), r.height()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SlideException(dir, "cannot read a tile of the pyramid", e);
        }
    }

    private int[] decoded(int dz, int column, int row, PixelRegion stored) {
        long key = (long) dz << 48 | (long) column << 24 | row;
        synchronized (cache) {
            int[] hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        Path file = DeepZoomPyramid.tileFile(dir, layout, dz, column, row);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new SlideException(file, "cannot decode a tile of the pyramid", e);
        }
        if (image == null || image.getWidth() != stored.width() || image.getHeight() != stored.height()) {
            throw new SlideException(file, "damaged pyramid tile", "expected " + stored.width() + " x " + stored.height() + " px");
        }
        int[] pixels = RgbConversion.packed(RgbConversion.toRgb(image, 0, 0, stored.width(), stored.height()));
        synchronized (cache) {
            cache.put(key, pixels);
        }
        return pixels;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (cache) {
            cache.clear();
        }
    }

    @Override
    public String toString() {
        return dir + " (" + format() + " pyramid, " + width() + " x " + height() + ")";
    }
}
