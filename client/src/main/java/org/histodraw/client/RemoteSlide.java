package org.histodraw.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * A slice of the annotation server as a tile source: pixels at full resolution, fetched on demand
 * through IIIF region requests in aligned blocks of {@value #BLOCK} pixels (uncompressed, so
 * nothing is lost on the way), with the most recently used blocks kept. Tiles of the engine overlap by their
 * halo, so neighbouring tiles mostly reuse blocks already here. Memory is bounded by the block
 * cache, never by the slide. Safe from any thread; a block is fetched once even when several
 * workers want it at the same time.
 *
 * <p>{@link #level(int)} is the same slice downsampled (a tissue map's input): its blocks are the
 * server's IIIF regions scaled by area averaging, from the finest pyramid level at or below it.
 */
public final class RemoteSlide implements TileSource {
    public static final int BLOCK = 512;
    private static final long BLOCK_BYTES = 4L * BLOCK * BLOCK;

    private final ServerClient server;
    private final SliceInfo slice;
    private final int maxBlocks;
    /** How many of the slice's pixels one of this source's pixels stands for, across and down (1: full resolution). */
    private final int downsample;
    private final Map<Long, CompletableFuture<int[]>> blocks;
    private final AtomicLong fetched = new AtomicLong();

    /** @param maxBlocks how many blocks to keep (each about 1 MB) */
    public RemoteSlide(ServerClient server, SliceInfo slice, int maxBlocks) {
        this(server, slice, maxBlocks, 1);
    }

    private RemoteSlide(ServerClient server, SliceInfo slice, int maxBlocks, int downsample) {
        if (slice.width() <= 0 || slice.height() <= 0) {
            throw new IllegalArgumentException("slice " + slice.id() + " has no pixels yet (still ingesting?)");
        }
        this.server = server;
        this.slice = slice;
        this.maxBlocks = Math.max(4, maxBlocks);
        this.downsample = downsample;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, CompletableFuture<int[]>> eldest) {
                return size() > RemoteSlide.this.maxBlocks;
            }
        };
    }

    public RemoteSlide(ServerClient server, SliceInfo slice) {
        this(server, slice, 48);
    }

    public SliceInfo slice() {
        return slice;
    }

    /**
     * The slice downsampled {@code downsample} times (this source when it is that already), with a
     * block cache of its own as large as this one's: {@code ceil(width / downsample) x ceil(height / downsample)} pixels (the last column and
     * row average what is left of the slice), as {@code SlideLevels} makes a level of a local file.
     */
    public RemoteSlide level(int downsample) {
        if (downsample < 1) {
            throw new IllegalArgumentException("a level is downsampled 1 or more times, not " + downsample);
        }
        return downsample == this.downsample ? this : new RemoteSlide(server, slice, maxBlocks, downsample);
    }

    /**
     * This source with room for every block that a walk of its tiles row by row (each tile grown by
     * {@code halo}) reads before it needs that block again, so that each block is fetched once: the
     * rows of blocks that one row of tiles touches, across the whole width, and the blocks of the
     * tiles in flight. A 30k-pixel-wide slide with 256-pixel tiles needs 2 rows of 59 blocks (about
     * 120 MB); the cache never takes more than a quarter of the heap, past which some blocks are
     * fetched twice.
     */
    public RemoteSlide sizedForTileWalk(int tileSize, int halo, int tilesInFlight) {
        if (tileSize < 1 || halo < 0 || tilesInFlight < 1) {
            throw new IllegalArgumentException("a tile walk needs a tile size and tiles in flight of at least 1 and a halo of 0 or more: "
                    + tileSize + ", " + halo + ", " + tilesInFlight);
        }
        int extent = tileSize + 2 * halo; // what one tile reads, across and down
        long columns = blockColumns();
        long rows = Math.min(blockRows(), (extent - 2) / BLOCK + 2);
        long perTile = Math.min(columns, (extent - 2) / BLOCK + 2) * rows;
        long wanted = rows * columns + tilesInFlight * perTile;
        long affordable = Runtime.getRuntime().maxMemory() / 4 / BLOCK_BYTES;
        int size = (int) Math.max(4, Math.min(wanted, affordable));
        return size == maxBlocks ? this : new RemoteSlide(server, slice, size, downsample);
    }

    /** How many regions this source has fetched from the server: blocks (one evicted and read again counts twice) and sampling reads' pieces. */
    public long fetches() {
        return fetched.get();
    }

    /** How many blocks this source keeps. */
    public int cachedBlocks() {
        return maxBlocks;
    }

    /** How many of the slice's pixels one pixel of this source stands for, across and down. */
    public int downsample() {
        return downsample;
    }

    @Override
    public int width() {
        return (slice.width() + downsample - 1) / downsample;
    }

    @Override
    public int height() {
        return (slice.height() + downsample - 1) / downsample;
    }

    @Override
    public Raster read(PixelRegion region) {
        requireInside(region);
        int[] out = new int[region.width() * region.height()];
        for (int by = region.y() / BLOCK; by <= (region.endY() - 1) / BLOCK; by++) {
            for (int bx = region.x() / BLOCK; bx <= (region.endX() - 1) / BLOCK; bx++) {
                PixelRegion block = blockRegion(bx, by);
                copy(block(bx, by, block), block, region, out);
            }
        }
        return Raster.fromPackedRgb(region.width(), region.height(), out);
    }

    /**
     * This source for reads that do not come back, such as the 64 sample windows of the channel
     * statistics: each region fetched as asked (in pieces of at most {@value #BLOCK} x
     * {@value #BLOCK}), none kept, so a 256-pixel window costs its own pixels rather than the up to
     * four blocks it straddles. A slide whose blocks all fit in the cache is read through it (it is
     * read whole anyway).
     */
    public TileSource forSampling() {
        if (fitsInCache()) {
            return this;
        }
        return new TileSource() {
            @Override
            public int width() {
                return RemoteSlide.this.width();
            }

            @Override
            public int height() {
                return RemoteSlide.this.height();
            }

            @Override
            public Raster read(PixelRegion region) {
                requireInside(region);
                int[] out = new int[region.width() * region.height()];
                for (int y = region.y(); y < region.endY(); y += BLOCK) {
                    for (int x = region.x(); x < region.endX(); x += BLOCK) {
                        PixelRegion piece = new PixelRegion(x, y, Math.min(BLOCK, region.endX() - x), Math.min(BLOCK, region.endY() - y));
                        copy(fetch(piece), piece, region, out);
                    }
                }
                return Raster.fromPackedRgb(region.width(), region.height(), out);
            }
        };
    }

    private void requireInside(PixelRegion region) {
        if (!bounds().contains(region) || region.isEmpty()) {
            throw new IllegalArgumentException("region " + region + " is not inside slice " + slice.id() + " " + bounds());
        }
    }

    /** Copies the part of {@code piece}'s pixels that lies in {@code region} to where it goes in {@code out}. */
    private static void copy(int[] pixels, PixelRegion piece, PixelRegion region, int[] out) {
        PixelRegion common = piece.intersect(region);
        for (int y = common.y(); y < common.endY(); y++) {
            System.arraycopy(pixels, (y - piece.y()) * piece.width() + (common.x() - piece.x()), out,
                    (y - region.y()) * region.width() + (common.x() - region.x()), common.width());
        }
    }

    private boolean fitsInCache() {
        return (long) blockColumns() * blockRows() <= maxBlocks;
    }

    private int blockColumns() {
        return (width() + BLOCK - 1) / BLOCK;
    }

    private int blockRows() {
        return (height() + BLOCK - 1) / BLOCK;
    }

    /**
     * Fetches every block of a slide whose blocks all fit in the cache (a slide that small is read
     * whole anyway, to measure its statistics), so a job can fetch the next slice while it predicts
     * the current one. Larger slides are read as their tiles are predicted.
     */
    public void prefetchWhenSmall() {
        if (!fitsInCache()) {
            return;
        }
        for (int by = 0; by < blockRows(); by++) {
            for (int bx = 0; bx < blockColumns(); bx++) {
                block(bx, by, blockRegion(bx, by));
            }
        }
    }

    /** A region of the slice (in its full-resolution pixels) scaled to {@code outWidth x outHeight} by the server (for previews; not cached). */
    public Raster scaled(PixelRegion region, int outWidth, int outHeight) {
        return Raster.fromPackedRgb(outWidth, outHeight, server.regionPixels(slice.id(), region, outWidth, outHeight));
    }

    private PixelRegion blockRegion(int bx, int by) {
        int x = bx * BLOCK, y = by * BLOCK;
        return new PixelRegion(x, y, Math.min(BLOCK, width() - x), Math.min(BLOCK, height() - y));
    }

    private int[] block(int bx, int by, PixelRegion region) {
        long key = ((long) by << 32) | bx;
        CompletableFuture<int[]> future;
        boolean mine = false;
        synchronized (blocks) {
            future = blocks.get(key);
            if (future == null) {
                future = new CompletableFuture<>();
                blocks.put(key, future);
                mine = true;
            }
        }
        if (mine) {
            try {
                future.complete(fetch(region));
            } catch (RuntimeException e) {
                synchronized (blocks) {
                    blocks.remove(key);
                }
                future.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while reading slice " + slice.id());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private int[] fetch(PixelRegion r) {
        fetched.incrementAndGet();
        if (downsample == 1) {
            return server.regionPixels(slice.id(), r, r.width(), r.height());
        }
        int x = r.x() * downsample, y = r.y() * downsample;
        int w = Math.min(slice.width(), r.endX() * downsample) - x, h = Math.min(slice.height(), r.endY() * downsample) - y;
        return server.regionPixels(slice.id(), new PixelRegion(x, y, w, h), r.width(), r.height());
    }
}
