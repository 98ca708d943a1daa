package org.histodraw.server.tiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.histodraw.server.auth.AccessControl;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.pyramid.DeepZoomPyramid;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * What serving a tile needs, without a database query per tile: the slice (its pyramid, its
 * project) kept for {@value #SLICE_SECONDS} seconds after a look-up, so a viewer's hundreds of tile
 * requests cost one query, while a slice removed or moved is seen within seconds; and the tile's
 * bytes through a {@link TileCache}. Who may read is decided by {@link AccessControl}, which keeps
 * project roles until they change.
 */
public final class SlideTiles {
    static final int SLICE_SECONDS = 5;
    private static final String IMMUTABLE = "max-age=31536000, immutable";

    private record Known(Slice slice, long until) {
    }

    private final Slides slides;
    private final Path slidesDir;
    private final TileCache cache;
    private final Map<Long, Known> known = new ConcurrentHashMap<>();

    public SlideTiles(Slides slides, Path slidesDir) {
        this(slides, slidesDir, TileCache.sizedForHeap());
    }

    SlideTiles(Slides slides, Path slidesDir, TileCache cache) {
        this.slides = slides;
        this.slidesDir = slidesDir;
        this.cache = cache;
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
            known.put(id, new Known(slice.get(), now + SLICE_SECONDS * 1_000_000_000L));
        } else {
            known.remove(id);
        }
        return slice;
    }

    /** Drops what is remembered about a slice (call after deleting or moving it). */
    public void forget(long sliceId) {
        known.remove(sliceId);
    }

    /** The folder of a slice's pyramid. */
    public Path pyramidDir(Slice slice) {
        return slidesDir.resolve(slice.storageKey());
    }

    /** A tile of the slice's pyramid; empty when the layout has no such tile or its file is missing. */
    public Optional<Tile> tile(Slice slice, int level, int column, int row) {
        PyramidLayout layout = slice.layout();
        if (!layout.hasTile(level, column, row)) {
            return Optional.empty();
        }
        Path file = DeepZoomPyramid.tileFile(pyramidDir(slice), layout, level, column, row);
        try {
            return Optional.of(cache.get(new TileCache.Key(slice.storageKey(), level, column, row), () -> read(file, slice, level, column, row)));
        } catch (MissingTile e) {
            return Optional.empty();
        }
    }

    /** Shared caches (proxies) may keep tiles of public projects only. */
    public static String cacheControl(AccessControl access, Slice slice) {
        return (access.canRead(Principal.ANONYMOUS, slice.projectId()) ? "public, " : "private, ") + IMMUTABLE;
    }

    private static Tile read(Path file, Slice slice, int level, int column, int row) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            return Tile.of(bytes, slice.format().mediaType(), Tile.etag(slice.storageKey(), level, column, row), modified);
        } catch (NoSuchFileException e) {
            throw new MissingTile();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read tile " + file, e);
        }
    }

    private static final class MissingTile extends RuntimeException {
        MissingTile() {
            super(null, null, false, false);
        }
    }
}
