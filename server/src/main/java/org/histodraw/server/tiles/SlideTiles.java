package org.histodraw.server.tiles;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.server.cache.ByteCache;
import org.histodraw.server.store.Broadcast;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.SliceSource;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.io.DeepZoomSlide;
import org.histodraw.slides.io.SlideException;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideLimits;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileEncoder;
import org.histodraw.slides.pyramid.TileFormat;
import org.histodraw.slides.view.SlideView;

/**
 * Tiles and pictures of slices, cut from where each slice's pixels are kept (its original file read
 * in place, or a Deep Zoom pyramid) on request, without a database query per tile:
 * <ul>
 *   <li>the slice (its source, its project) is kept for {@value #SLICE_SECONDS} seconds after a
 *       look-up, so a viewer's hundreds of tile requests cost one query, while a slice removed or
 *       changed is seen within seconds;</li>
 *   <li>tile bytes go through one bounded {@link ByteCache}; a miss is cut by {@link SlideView}
 *       (stored JPEG tiles passed through, the rest decoded, scaled and encoded), with at most
 *       one cut per core at once so a crowd asking for new tiles cannot exhaust memory;</li>
 *   <li>at most {@value #OPEN_SLIDES} slides stay open ({@link OpenSlides}).</li>
 * </ul>
 */
public final class SlideTiles implements AutoCloseable {
    static final int SLICE_SECONDS = 5;
    static final int OPEN_SLIDES = 16;
    /** The longest side of a thumbnail cut from the slide when its file has none. */
    public static final int THUMBNAIL_SIDE = 512;

    /** A slice looked up recently, with its source file's time as HTTP wants it (computed once). */
    private record Known(Slice slice, long until, long modifiedSeconds, String modifiedHttp) {
    }

    private record TileKey(String storageKey, int level, int column, int row, String format) {
    }

    private final Slides slides;
    private final Path slidesDir;
    private final SlideLimits limits;
    private final ByteCache<Object, Tile> cache;
    private final OpenSlides open;
    private final Semaphore decodes;
    private final Map<Long, Known> known = new ConcurrentHashMap<>();
    private final Broadcast broadcast;

    /** The notice that a slice's record changed, for the other instances: {@code {s: slice}}. */
    static final String SLICE_NOTICE = "slice-changed";

    public SlideTiles(Slides slides, Path slidesDir, SlideLimits limits, Broadcast broadcast) {
        this.slides = slides;
        this.slidesDir = slidesDir.toAbsolutePath().normalize();
        this.limits = limits;
        this.cache = new ByteCache<>(ByteCache.sizedForHeap(1.0 / 8, 256L << 20), t -> t.bytes().length);
        this.open = new OpenSlides(OPEN_SLIDES, this::openView);
        this.broadcast = broadcast;
        broadcast.on(SLICE_NOTICE, n -> known.remove(n.path("s").asLong()));
        this.decodes = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);
    }

    /** The slice, from memory when it was looked up in the last seconds. Unknown ids are not remembered. */
    public Optional<Slice> slice(long id) {
        long now = System.nanoTime();
        Known k = known.get(id);
        if (k != null && now - k.until() < 0) {
            return Optional.of(k.slice());
        }
        Optional<Slice> slice = slides.slice(id);
        if (slice.isPresent()) {
            long modified = modifiedSeconds(slice.get());
            known.put(id, new Known(slice.get(), now + SLICE_SECONDS * 1_000_000_000L, modified, Tile.httpDate(modified)));
        } else {
            known.remove(id);
        }
        return slice;
    }

    private long modifiedSeconds(Slice slice) {
        try {
            return Math.floorDiv(java.nio.file.Files.getLastModifiedTime(sourcePath(slice)).toMillis(), 1000);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Drops what is remembered about a slice (call after changing it), here and on the other instances. */
    public void forget(long sliceId) {
        known.remove(sliceId);
        broadcast.publish(Broadcast.notice(SLICE_NOTICE).put("s", sliceId));
    }

    /** The file or folder a slice's pixels are read from. */
    public Path sourcePath(Slice slice) {
        return sourcePath(slidesDir, slice.source());
    }

    static Path sourcePath(Path slidesDir, SliceSource source) {
        Path p = Path.of(source.file());
        if (p.isAbsolute()) {
            if (!source.linked()) {
                throw new IllegalStateException("a stored slice names a path outside the data folder: " + p);
            }
            return p;
        }
        Path resolved = slidesDir.resolve(p).normalize();
        if (!resolved.startsWith(slidesDir)) {
            throw new IllegalStateException("slice source outside the slides folder: " + p);
        }
        return resolved;
    }

    /** Opens a slice's pixels as they are kept. */
    SlideImage openSource(Slice slice) {
        Path path = sourcePath(slice);
        return SliceSource.PYRAMID.equals(slice.source().kind())
                ? DeepZoomSlide.open(path, slice.source().format(), slice.micronsPerPixel())
                : SlideImages.open(path, limits);
    }

    private SlideView openView(Slice slice) {
        SlideImage image = openSource(slice);
        try {
            return new SlideView(image, slice.layout());
        } catch (RuntimeException e) {
            image.close();
            throw e;
        }
    }

    /** Takes over a slide just opened for the slice (at registration): its first tile is then served at once. */
    void adopt(Slice slice, SlideImage image) {
        try {
            open.adopt(slice.storageKey(), new SlideView(image, slice.layout()));
        } catch (RuntimeException e) {
            image.close();
        }
    }

    /** A Deep Zoom tile of the slice; empty when the layout has no such tile or a pyramid lacks its file. */
    public Optional<Tile> tile(Slice slice, int level, int column, int row) {
        PyramidLayout layout = slice.layout();
        if (!layout.hasTile(level, column, row)) {
            return Optional.empty();
        }
        TileKey key = new TileKey(slice.storageKey(), level, column, row, layout.format().extension());
        Tile hit = cache.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        // Stored tiles are one read: no decode permit, and not cached (the cache keeps the tiles that cost work).
        Optional<SlideView.CutTile> stored = withLease(slice, lease -> lease.view.storedTile(level, column, row));
        if (stored.isPresent()) {
            return Optional.of(tile(slice, level, column, row, stored.get()));
        }
        return withView(slice, lease -> {
            Tile tile = tile(slice, level, column, row, lease.view.cutTile(level, column, row));
            cache.put(key, tile);
            return Optional.of(tile);
        });
    }

    private Tile tile(Slice slice, int level, int column, int row, SlideView.CutTile cut) {
        Known k = known.get(slice.id());
        long modified = k == null ? 0 : k.modifiedSeconds();
        return new Tile(cut.bytes(), cut.mediaType(), Tile.etag(slice.storageKey(), level, column, row), modified,
                k == null ? Tile.httpDate(0) : k.modifiedHttp());
    }

    /**
     * The level-0 {@code region} as a {@code width x height} picture of opaque 0xFFRRGGBB pixels, from
     * the source's decoded pixels at the nearest finer level: exact at full size (lossless reads).
     */
    public int[] picture(Slice slice, PixelRegion region, int width, int height) {
        return withView(slice, lease -> lease.view.picture(region, width, height));
    }

    /**
     * An associated image of the slice as JPEG (PNG for the label, whose barcode must stay sharp);
     * {@code thumbnail} always exists, cut from the slide when the file has none. Empty for other names
     * the file does not hold.
     */
    public Optional<Tile> associated(Slice slice, String name) {
        boolean inFile = slice.source().associatedImages().contains(name);
        if (!inFile && !"thumbnail".equals(name)) {
            return Optional.empty();
        }
        TileFormat format = "label".equals(name) ? TileFormat.PNG : TileFormat.JPEG;
        Object key = Map.entry(slice.storageKey(), "associated/" + name);
        Tile hit = cache.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        return withView(slice, lease -> {
            SlideImage image = lease.view.slide();
            byte[] bytes;
            if (image.associatedImages().contains(name)) {
                BufferedImage picture = image.associatedImage(name);
                bytes = TileEncoder.encode(picture, format);
            } else {
                double scale = Math.min(1.0, (double) THUMBNAIL_SIDE / Math.max(image.width(), image.height()));
                int w = Math.max(1, (int) Math.round(image.width() * scale));
                int h = Math.max(1, (int) Math.round(image.height() * scale));
                bytes = TileEncoder.encode(lease.view.picture(PixelRegion.of(image.width(), image.height()), w, h), w, h, format);
            }
            Known k = known.get(slice.id());
            Tile tile = Tile.of(bytes, format.mediaType(), "\"" + slice.storageKey() + "-" + name + "\"",
                    k == null ? 0 : k.modifiedSeconds() * 1000);
            cache.put(key, tile);
            return Optional.of(tile);
        });
    }

    private interface Work<T> {
        T run(OpenSlides.Lease lease);
    }

    /** Runs work on the slice's open slide, with one of the decode permits. */
    private <T> T withView(Slice slice, Work<T> work) {
        try {
            decodes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to cut a tile", e);
        }
        try {
            return withLease(slice, work);
        } finally {
            decodes.release();
        }
    }

    /** Runs work on the slice's open slide. */
    private <T> T withLease(Slice slice, Work<T> work) {
        try {
            OpenSlides.Lease lease = open.acquire(slice);
            try {
                return work.run(lease);
            } finally {
                open.release(lease);
            }
        } catch (SlideException e) {
            throw new SlideException(e.file(), "the slide's pixels cannot be read", String.valueOf(e.getMessage())
                    .replace(String.valueOf(e.file()), "the slide"));
        }
    }

    @Override
    public void close() {
        open.close();
    }
}
