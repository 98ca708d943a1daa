package org.histodraw.server.tiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.server.cache.ByteCache;
import org.histodraw.server.store.Broadcast;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.SliceSource;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.display.DisplaySettings;
import org.histodraw.slides.display.ImageChannel;
import org.histodraw.slides.io.DeepZoomSlide;
import org.histodraw.slides.io.SlideException;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideLimits;
import org.histodraw.slides.pipeline.SlideStains;
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
    private record Known(Slice slice, long until, long modifiedSeconds, String modifiedHttp, String display) {
    }

    /** {@code display}: the stored display settings' JSON ("" for the default display), so a change makes new tiles. */
    private record TileKey(String storageKey, int level, int column, int row, String format, String display) {
    }

    /** The channels of a slice as the file stores them, and how they are shown (stored settings, or the automatic ones). */
    public record Display(boolean rgb, List<ImageChannel> channels, DisplaySettings current, DisplaySettings automatic,
                          boolean stored) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Per source: whether it is 8-bit colour (see {@link #fixedLook}). */
    private final Map<String, Boolean> colourSlides = new ConcurrentHashMap<>();
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
        this.cache = new ByteCache<>(ByteCache.sizedForHeap(1.0 / 8, 256L << 20), t -> t.content().capacity());
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
            known.put(id, new Known(slice.get(), now + SLICE_SECONDS * 1_000_000_000L, modified, Tile.httpDate(modified),
                    slides.displays().get(id).orElse("")));
        } else {
            known.remove(id);
        }
        return slice;
    }

    private long modifiedSeconds(Slice slice) {
        try {
            return Math.floorDiv(Files.getLastModifiedTime(sourcePath(slice)).toMillis(), 1000);
        } catch (IOException | RuntimeException e) {
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

    /**
     * Lends the buffer a stored tile is read into, so a server can use its pool of direct buffers and
     * the bytes go from the file to the socket without a copy on the heap. The lender takes it back
     * once the answer is written, or when the tile turns out not to be read into it.
     */
    public interface TileBuffers {
        /** A buffer at position 0 with room for at least {@code size} bytes. */
        ByteBuffer borrow(int size);
    }

    private static final TileBuffers HEAP = ByteBuffer::allocate;

    /** A Deep Zoom tile of the slice; empty when the layout has no such tile or a pyramid lacks its file. */
    public Optional<Tile> tile(Slice slice, int level, int column, int row) {
        return tile(slice, level, column, row, HEAP);
    }

    /**
     * As {@link #tile(Slice, int, int, int)}, with a stored tile read straight into a buffer {@code buffers}
     * lends (the caller gives it back after sending). Stored tiles are one read: no decode permit, and not
     * cached (reading one costs about what sending it from memory does; the cache keeps the tiles that cost
     * work, off the heap, so a hit copies nothing either).
     */
    public Optional<Tile> tile(Slice slice, int level, int column, int row, TileBuffers buffers) {
        PyramidLayout layout = slice.layout();
        if (!layout.hasTile(level, column, row)) {
            return Optional.empty();
        }
        String display = storedDisplay(slice);
        TileKey key = new TileKey(slice.storageKey(), level, column, row, layout.format().extension(), display);
        Tile hit = cache.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<Tile> stored = withLease(slice, lease -> {
            SlideView view = lease.view();
            int size = view.storedTileSize(level, column, row);
            if (size >= 0) {
                ByteBuffer into = buffers.borrow(size);
                if (view.readStoredTile(level, column, row, into)) {
                    return Optional.of(tile(slice, level, column, row, into.flip(), layout.format().mediaType(), false));
                }
            }
            return view.storedTile(level, column, row).map(cut -> tile(slice, level, column, row, ByteBuffer.wrap(cut.bytes()),
                    cut.mediaType(), false));
        });
        if (stored.isPresent()) {
            return stored;
        }
        return withView(slice, lease -> {
            SlideView.CutTile cut = lease.view().cutTile(level, column, row, settings(lease.view().slide(), display));
            Tile tile = tile(slice, level, column, row, ByteBuffer.wrap(cut.bytes()), cut.mediaType(), true);
            cache.put(key, tile);
            return Optional.of(tile);
        });
    }

    private Tile tile(Slice slice, int level, int column, int row, ByteBuffer bytes, String mediaType, boolean offHeap) {
        Known k = known.get(slice.id());
        long modified = k == null ? 0 : k.modifiedSeconds();
        String http = k == null ? Tile.httpDate(0) : k.modifiedHttp();
        String display = k == null ? "" : k.display();
        String etag = Tile.etag(slice.storageKey(), level, column, row);
        if (!display.isEmpty()) {
            // tiles shown through other display settings are other tiles: a browser's copy must not match
            etag = etag.substring(0, etag.length() - 1) + "-d" + Integer.toHexString(display.hashCode()) + "\"";
        }
        return offHeap ? Tile.offHeap(bytes.array(), mediaType, etag, modified, http) : new Tile(bytes, mediaType, etag, modified, http);
    }

    /** The JSON of the slice's stored display settings, "" for the default display. */
    private String storedDisplay(Slice slice) {
        Known k = known.get(slice.id());
        return k != null && k.slice().storageKey().equals(slice.storageKey()) ? k.display() : slides.displays().get(slice.id()).orElse("");
    }

    /** Stored settings as the slide's {@link DisplaySettings}; null (the default) when none, or when they no longer fit. */
    private static DisplaySettings settings(SlideImage image, String json) {
        if (json.isEmpty() || image.rgb()) {
            return null;
        }
        try {
            return DisplaySettings.fromMaps(MAPPER.readValue(json, List.class), image.channels());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether the slice's tiles never change: true for 8-bit colour; false for slides shown through
     * display settings, which an editor may change (their tiles are revalidated, not cached for good).
     */
    public boolean fixedLook(Slice slice) {
        Boolean known = colourSlides.get(slice.storageKey());
        if (known == null) {
            try {
                known = withLease(slice, lease -> lease.view().slide().rgb());
            } catch (RuntimeException e) {
                return true; // unreadable: no tile will be served to cache
            }
            colourSlides.put(slice.storageKey(), known);
        }
        return known;
    }

    /** The slice's channels and display settings (opens the slide when it is not open). */
    public Display display(Slice slice) {
        String json = storedDisplay(slice);
        return withLease(slice, lease -> {
            SlideImage image = lease.view().slide();
            DisplaySettings automatic = image.defaultDisplay();
            DisplaySettings stored = settings(image, json);
            return new Display(image.rgb(), image.channels(), stored != null ? stored : automatic, automatic, stored != null);
        });
    }

    /** Checks display settings (as parsed JSON) against the slice's channels; IllegalArgumentException naming the problem. */
    public DisplaySettings checkDisplay(Slice slice, List<?> maps) {
        return withLease(slice, lease -> {
            SlideImage image = lease.view().slide();
            if (image.rgb()) {
                throw new IllegalArgumentException("slice " + slice.id() + " is 8-bit colour: it is shown as it is, without display settings");
            }
            return DisplaySettings.fromMaps(maps, image.channels());
        });
    }

    /**
     * The level-0 {@code region} as a {@code width x height} picture of opaque 0xFFRRGGBB pixels, from
     * the source's decoded pixels at the nearest finer level: exact at full size (lossless reads).
     */
    public int[] picture(Slice slice, PixelRegion region, int width, int height) {
        String display = storedDisplay(slice);
        return withView(slice, lease -> lease.view().picture(region, width, height, settings(lease.view().slide(), display)));
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
        String display = storedDisplay(slice);
        Object key = Map.entry(slice.storageKey(), "associated/" + name + display);
        Tile hit = cache.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        return withView(slice, lease -> {
            SlideImage image = lease.view().slide();
            byte[] bytes;
            if (image.associatedImages().contains(name)) {
                BufferedImage picture = image.associatedImage(name);
                bytes = TileEncoder.encode(picture, format);
            } else {
                double scale = Math.min(1.0, (double) THUMBNAIL_SIDE / Math.max(image.width(), image.height()));
                int w = Math.max(1, (int) Math.round(image.width() * scale));
                int h = Math.max(1, (int) Math.round(image.height() * scale));
                bytes = TileEncoder.encode(lease.view().picture(PixelRegion.of(image.width(), image.height()), w, h,
                        settings(image, display)), w, h, format);
            }
            Known k = known.get(slice.id());
            // cut through the display settings (the thumbnail of a 16-bit slide): another look, another ETag
            String look = display.isEmpty() ? "" : "-d" + Integer.toHexString(display.hashCode());
            Tile tile = Tile.of(bytes, format.mediaType(), "\"" + slice.storageKey() + "-" + name + look + "\"",
                    k == null ? 0 : k.modifiedSeconds() * 1000);
            cache.put(key, tile);
            return Optional.of(tile);
        });
    }

    /**
     * The slide's two stains estimated from its pixels ({@link SlideStains}: the windows its channel
     * statistics are measured on, at full resolution, so the work is bounded whatever the slide's
     * size), matched to and named after {@code reference}. Holds one decode permit while it reads.
     *
     * @throws IllegalArgumentException when the slide has too few stained pixels
     */
    public StainVectors estimateStains(Slice slice, StainVectors reference) {
        return withView(slice, lease -> SlideStains.estimate(lease.view().slide(), reference, 1));
    }

    private interface Work<T> {
        T run(OpenSlides.Lease lease);
    }

    /**
     * Runs work on the slice's open slide, with one of the decode permits, taken once the slide is open
     * (a slow open holds no permit the other slides' tiles need).
     */
    private <T> T withView(Slice slice, Work<T> work) {
        return withLease(slice, lease -> {
            try {
                decodes.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to cut a tile", e);
            }
            try {
                return work.run(lease);
            } finally {
                decodes.release();
            }
        });
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
