package org.histodraw.slides.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.slides.io.DeepZoomSlide;
import org.histodraw.slides.io.EncodedTile;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideLevel;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileEncoder;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * A slide seen as a Deep Zoom pyramid and as IIIF pictures, cut from the original file on request
 * (no pyramid is built beforehand):
 * <ul>
 *   <li>a Deep Zoom tile whose level is one of the file's levels, on the file's tile grid (same tile
 *       size, no overlap) and stored as JPEG a browser decodes right, is sent <b>as stored</b>, without
 *       decoding ({@link #layoutFor} chooses the Deep Zoom geometry so this is the common case);</li>
 *   <li>any other tile is read from the nearest finer level, area-averaged to size and encoded; when
 *       that read would be large (a file without coarse levels), the tile is made from its four
 *       children instead, kept in a small cache of decoded coarse tiles;</li>
 *   <li>{@link #picture} (IIIF) reads the nearest finer level in strips and averages: at full
 *       resolution it returns the decoded pixels of the file, with no lossy step.</li>
 * </ul>
 * Memory per call is bounded by {@link #MAX_READ_PIXELS}, whatever the slide size. Thread-safe.
 */
public final class SlideView {
    /** The largest region one read decodes: 1024 x 1024 pixels (4 MiB of packed pixels). */
    public static final long MAX_READ_PIXELS = 1L << 20;
    private static final long COARSE_CACHE_BYTES = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32);

    /** A tile's bytes; {@code stored} when they are the file's own bytes, sent without decoding. */
    public record CutTile(byte[] bytes, String mediaType, boolean stored) {
    }

    private final SlideImage slide;
    private final PyramidLayout layout;
    private final List<SlideLevel> levels;
    private final Map<Long, int[]> coarse;

    public SlideView(SlideImage slide, PyramidLayout layout) {
        if (slide.width() != layout.width() || slide.height() != layout.height()) {
            throw new IllegalArgumentException("the layout " + layout + " is not of the slide " + slide);
        }
        this.slide = slide;
        this.layout = layout;
        this.levels = slide.levels();
        long tileBytes = 4L * (layout.tileSize() + 2L * layout.overlap()) * (layout.tileSize() + 2L * layout.overlap());
        int capacity = (int) Math.max(8, COARSE_CACHE_BYTES / tileBytes);
        this.coarse = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The Deep Zoom geometry that lets the file's own tiles through: its level-0 tile size with no
     * overlap when its tiles are square (256 or 512 on most slides), a Deep Zoom pyramid's own
     * geometry, and 256 px with no overlap for images without tiles.
     */
    public static PyramidLayout layoutFor(SlideImage slide, TileFormat format) {
        if (slide instanceof DeepZoomSlide dz) {
            return new PyramidLayout(slide.width(), slide.height(), dz.layout().tileSize(), dz.layout().overlap(), format);
        }
        SlideLevel l = slide.levels().get(0);
        boolean usable = slide.readsRegions() && l.tileWidth() == l.tileHeight() && l.tileWidth() >= 64
                && l.tileWidth() <= 2048 && l.tileWidth() < Math.max(l.width(), l.height());
        return new PyramidLayout(slide.width(), slide.height(), usable ? l.tileWidth() : 256, 0, format);
    }

    public PyramidLayout layout() {
        return layout;
    }

    public SlideImage slide() {
        return slide;
    }

    /** The tile's bytes in the layout's format. IllegalArgumentException when the layout has no such tile. */
    public CutTile tile(int level, int column, int row) {
        return storedTile(level, column, row).orElseGet(() -> cutTile(level, column, row));
    }

    /** The file's own bytes for the tile, when they can be sent as they are (cheap: one read). */
    public Optional<CutTile> storedTile(int level, int column, int row) {
        checkTile(level, column, row);
        return stored(level, column, row);
    }

    /** The tile read, scaled and encoded (the work a decode budget should bound). */
    public CutTile cutTile(int level, int column, int row) {
        checkTile(level, column, row);
        PixelRegion r = layout.tileRegion(level, column, row);
        int[] pixels = tilePixels(level, column, row);
        return new CutTile(TileEncoder.encode(pixels, r.width(), r.height(), layout.format()), layout.format().mediaType(), false);
    }

    private void checkTile(int level, int column, int row) {
        if (!layout.hasTile(level, column, row)) {
            throw new IllegalArgumentException("no tile " + level + "/" + column + "_" + row + " in " + layout);
        }
    }

    /** The file level a Deep Zoom level coincides with (same size within a pixel, same tile grid), or -1. */
    public int storedLevel(int level) {
        double d = layout.downsample(level);
        for (int s = 0; s < levels.size(); s++) {
            SlideLevel l = levels.get(s);
            if (l.tileWidth() == layout.tileSize() && l.tileHeight() == layout.tileSize() && l.overlap() == layout.overlap()
                    && Math.abs(l.width() - layout.levelWidth(level)) <= 1 && Math.abs(l.height() - layout.levelHeight(level)) <= 1
                    && Math.abs(l.downsample() / d - 1) < 0.01) {
                return s;
            }
        }
        return -1;
    }

    private Optional<CutTile> stored(int level, int column, int row) {
        int s = storedLevel(level);
        if (s < 0) {
            return Optional.empty();
        }
        PixelRegion r = layout.tileRegion(level, column, row);
        Optional<EncodedTile> e = slide.encodedTile(s, column, row);
        if (e.isEmpty() || !e.get().mediaType().equals(layout.format().mediaType())
                || e.get().width() != r.width() || e.get().height() != r.height()) {
            return Optional.empty();
        }
        return Optional.of(new CutTile(e.get().bytes(), e.get().mediaType(), true));
    }

    /** The nearest level at least as fine as {@code downsample} (the largest downsample not above it). */
    int finerLevel(double downsample) {
        int best = 0;
        for (int s = 0; s < levels.size(); s++) {
            if (levels.get(s).downsample() <= downsample * (1 + 1e-9) && levels.get(s).downsample() > levels.get(best).downsample()) {
                best = s;
            }
        }
        return best;
    }

    /** A tile's pixels (overlap included), read from the file or made from the four tiles under it. */
    private int[] tilePixels(int level, int column, int row) {
        PixelRegion r = layout.tileRegion(level, column, row);
        double d = layout.downsample(level);
        int s = finerLevel(d);
        SlideLevel l = levels.get(s);
        double scale = d / l.downsample();
        double fx = r.x() * scale, fy = r.y() * scale;
        int ix0 = (int) Math.floor(fx), iy0 = (int) Math.floor(fy);
        int ix1 = (int) Math.min(l.width(), Math.ceil(fx + r.width() * scale));
        int iy1 = (int) Math.min(l.height(), Math.ceil(fy + r.height() * scale));
        if ((long) (ix1 - ix0) * (iy1 - iy0) <= MAX_READ_PIXELS || level == layout.maxLevel()) {
            PixelRegion read = clip(new PixelRegion(ix0, iy0, Math.max(1, ix1 - ix0), Math.max(1, iy1 - iy0)), l);
            int[] src = slide.readArgb(s, read);
            return Resampling.area(src, read.width(), read.height(), fx - ix0, fy - iy0, scale, scale, r.width(), r.height());
        }
        long key = (long) level << 48 | (long) column << 24 | row;
        synchronized (coarse) {
            int[] hit = coarse.get(key);
            if (hit != null) {
                return hit;
            }
        }
        int[] made = fromChildren(level, r);
        synchronized (coarse) {
            coarse.put(key, made);
        }
        return made;
    }

    private static PixelRegion clip(PixelRegion r, SlideLevel l) {
        return r.intersect(PixelRegion.of(l.width(), l.height()));
    }

    /** The region {@code r} of a level, averaged 2 x 2 from the tiles of the next finer Deep Zoom level. */
    private int[] fromChildren(int level, PixelRegion r) {
        int child = level + 1;
        int cw = layout.levelWidth(child), ch = layout.levelHeight(child);
        PixelRegion below = new PixelRegion(2 * r.x(), 2 * r.y(), Math.min(2 * r.width(), cw - 2 * r.x()),
                Math.min(2 * r.height(), ch - 2 * r.y()));
        int[] big = new int[below.width() * below.height()];
        int ts = layout.tileSize();
        for (int ty = below.y() / ts; ty <= (below.endY() - 1) / ts; ty++) {
            for (int tx = below.x() / ts; tx <= (below.endX() - 1) / ts; tx++) {
                PixelRegion stored = layout.tileRegion(child, tx, ty);
                int[] tile = tilePixels(child, tx, ty);
                PixelRegion core = new PixelRegion(tx * ts, ty * ts, ts, ts).intersect(below);
                for (int y = core.y(); y < core.endY(); y++) {
                    System.arraycopy(tile, (y - stored.y()) * stored.width() + (core.x() - stored.x()), big,
                            (y - below.y()) * below.width() + (core.x() - below.x()), core.width());
                }
            }
        }
        return Resampling.area(big, below.width(), below.height(), 0, 0, 2, 2, r.width(), r.height());
    }

    /**
     * The level-0 {@code region} as a {@code width x height} picture, from the nearest level at least as
     * fine as asked, read in strips of at most {@link #MAX_READ_PIXELS} and area-averaged. At full
     * resolution (width and height those of the region) these are the file's decoded pixels, exactly.
     */
    public int[] picture(PixelRegion region, int width, int height) {
        if (region.isEmpty() || !PixelRegion.of(slide.width(), slide.height()).contains(region) || width < 1 || height < 1) {
            throw new IllegalArgumentException("region " + region + " must be non-empty and inside the "
                    + slide.width() + " x " + slide.height() + " slide, and the size positive");
        }
        double asked = Math.min((double) region.width() / width, (double) region.height() / height);
        int s = finerLevel(Math.max(1, asked));
        SlideLevel l = levels.get(s);
        double scaleX = (double) region.width() / width / l.downsample();
        double scaleY = (double) region.height() / height / l.downsample();
        double fx = region.x() / l.downsample(), fy = region.y() / l.downsample();
        int ix0 = (int) Math.floor(fx);
        int ix1 = (int) Math.min(l.width(), Math.ceil(fx + width * scaleX));
        int readWidth = Math.max(1, ix1 - ix0);
        int bandRows = (int) Math.max(1, Math.min(height, MAX_READ_PIXELS / readWidth / Math.max(1, Math.ceil(scaleY) + 1)));
        int[] out = new int[width * height];
        for (int j0 = 0; j0 < height; j0 += bandRows) {
            int j1 = Math.min(height, j0 + bandRows);
            double top = fy + j0 * scaleY;
            int iy0 = (int) Math.floor(top);
            int iy1 = (int) Math.min(l.height(), Math.ceil(fy + j1 * scaleY));
            PixelRegion read = clip(new PixelRegion(ix0, iy0, readWidth, Math.max(1, iy1 - iy0)), l);
            int[] src = slide.readArgb(s, read);
            int[] band = Resampling.area(src, read.width(), read.height(), fx - ix0, top - iy0, scaleX, scaleY, width, j1 - j0);
            System.arraycopy(band, 0, out, j0 * width, band.length);
        }
        return out;
    }
}
