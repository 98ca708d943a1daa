package org.histodraw.spark;

import java.nio.file.Path;
import org.histodraw.client.RemoteSlide;
import org.histodraw.client.SliceInfo;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pipeline.SlideLevels;

/**
 * Where a slide of the cohort comes from: a file path as the executors see it, or a slice of an
 * annotation server written {@code slice:ID:NAME} (read over the server's IIIF API with the job's
 * token). Either way the executors get a tile source and its pixel size.
 */
final class SlideSource implements TileSource, AutoCloseable {
    static final String SLICE = "slice:";

    private final TileSource pixels;
    private final double micronsPerPixel;
    private final AutoCloseable resource;

    private SlideSource(TileSource pixels, double micronsPerPixel, AutoCloseable resource) {
        this.pixels = pixels;
        this.micronsPerPixel = micronsPerPixel;
        this.resource = resource;
    }

    /** The location of a server slice, as the cohort lists it. */
    static String location(SliceInfo slice) {
        return SLICE + slice.id() + ":" + slice.name();
    }

    static boolean isSlice(String location) {
        return location.startsWith(SLICE);
    }

    /** The slice id of a {@code slice:ID:NAME} location. */
    static long sliceId(String location) {
        String rest = location.substring(SLICE.length());
        int colon = rest.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? rest : rest.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a server slice is written slice:ID:NAME, not " + location);
        }
    }

    /** The name results are filed under: the file name, or the slice's name. */
    static String fileName(String location) {
        if (isSlice(location)) {
            String rest = location.substring(SLICE.length());
            int colon = rest.indexOf(':');
            return colon < 0 ? "slice-" + rest : rest.substring(colon + 1);
        }
        Path name = Path.of(location).getFileName();
        return name == null ? location : name.toString();
    }

    static SlideSource open(String location, ServerAccess server) {
        if (isSlice(location)) {
            if (server == null) {
                throw new IllegalArgumentException(location + " is a server slice, but the job has no --server");
            }
            SliceInfo slice = server.client().slice(sliceId(location));
            RemoteSlide remote = new RemoteSlide(server.client(), slice);
            return new SlideSource(remote, slice.micronsPerPixel() == null ? Double.NaN : slice.micronsPerPixel(), () -> { });
        }
        SlideImage image = SlideImages.open(Path.of(location));
        return new SlideSource(image, image.micronsPerPixel().orElse(Double.NaN), image);
    }

    /**
     * The slide downsampled {@code resolution} times, the level a tissue map reads (1: the slide):
     * the file's own level when it has one, the server's for a slice; closed with this source.
     */
    TileSource level(int resolution) {
        if (resolution == 1) {
            return this;
        }
        return pixels instanceof RemoteSlide remote ? remote.level(resolution)
                : SlideLevels.level((SlideImage) pixels, resolution);
    }

    /**
     * {@link #level}, read by one worker walking its tiles row by row: a server's slice then keeps
     * the blocks that walk reads again, so each is fetched once (a file needs no such room).
     */
    TileSource levelForTileWalk(int resolution, int tileSize, int halo) {
        TileSource level = level(resolution);
        TileSource read = level == this ? pixels : level;
        return read instanceof RemoteSlide remote ? remote.sizedForTileWalk(tileSize, halo, 1) : level;
    }

    double micronsPerPixel() {
        return micronsPerPixel;
    }

    @Override
    public int width() {
        return pixels.width();
    }

    @Override
    public int height() {
        return pixels.height();
    }

    @Override
    public Raster read(PixelRegion region) {
        return pixels.read(region);
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            // nothing was written: a failed close loses nothing
        }
    }
}
