package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.tiles.TileSource;

/**
 * Coarse-to-fine prediction: a model's classes at full resolution, predicted exactly only where the
 * {@link Overview} is not settled. A block of the overview (one of its pixels: {@code r x r} pixels
 * of the slide) is <b>settled</b> when the overview's trees agreed on its class (its uncertainty is
 * at most {@link #maxUncertainty}) and its eight neighbours have that class too: well inside a
 * region, away from its borders and from anything the overview hesitates about.
 *
 * <p>Guaranteed: every pixel of a block that is not settled is the model's exact prediction, bit for
 * bit what {@link TilePredictor} gives (its features are computed with their full halo, for the
 * tile or for its sub-tiles of {@value #SUB_TILE} pixels that hold unsettled blocks, whichever reads
 * less); every pixel of a settled block takes the overview's class.
 * The result does not depend on the tile size. Not guaranteed: that settled pixels equal the exact
 * prediction; they differ where the full-resolution model sees detail the overview did not (a
 * nucleus alone in stroma, a thin strand), which is where the README says pixels may differ.
 *
 * <p>Holds the overview's classes and settled flags (two bytes per overview pixel, a few MB for a
 * whole slide at 1/8). {@link #refine} may be called from many threads, each with its own predictor.
 */
public final class Refinement {
    /** Side of the parts of a tile whose features are computed when any block in them is unsettled. */
    public static final int SUB_TILE = 128;

    private final int resolution;
    private final int width;
    private final int height;
    private final LabelRaster overview;
    private final boolean[] settled;
    private final double maxUncertainty;

    /**
     * @param overview       the overview's classes over the slide's level {@code resolution}
     * @param uncertainty    its uncertainty (1 - the lead of the best class) per overview pixel
     * @param maxUncertainty a block is settled at most this uncertain (0: only where every tree agreed)
     */
    public Refinement(int resolution, int slideWidth, int slideHeight, LabelRaster overview, float[] uncertainty,
                      double maxUncertainty) {
        this.resolution = resolution;
        this.width = slideWidth;
        this.height = slideHeight;
        this.overview = Objects.requireNonNull(overview, "overview");
        this.maxUncertainty = maxUncertainty;
        int w = overview.width(), h = overview.height();
        if (w != (slideWidth + resolution - 1) / resolution || h != (slideHeight + resolution - 1) / resolution) {
            throw new IllegalArgumentException("an overview at 1/" + resolution + " of a " + slideWidth + " x "
                    + slideHeight + " slide has " + (slideWidth + resolution - 1) / resolution + " x "
                    + (slideHeight + resolution - 1) / resolution + " pixels, not " + w + " x " + h);
        }
        if (uncertainty.length != w * h) {
            throw new IllegalArgumentException("one uncertainty per overview pixel: " + w * h + ", got " + uncertainty.length);
        }
        this.settled = new boolean[w * h];
        byte[] c = overview.data();
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int k = j * w + i;
                boolean sure = uncertainty[k] <= maxUncertainty;
                for (int dy = -1; dy <= 1 && sure; dy++) {
                    for (int dx = -1; dx <= 1 && sure; dx++) {
                        int x = i + dx, y = j + dy;
                        if (x >= 0 && y >= 0 && x < w && y < h && c[y * w + x] != c[k]) {
                            sure = false;
                        }
                    }
                }
                settled[k] = sure;
            }
        }
    }

    public int resolution() {
        return resolution;
    }

    /** Whether the block of overview pixel (i, j) is settled. */
    public boolean settled(int i, int j) {
        return settled[j * overview.width() + i];
    }

    /** The share of the slide's pixels in settled blocks. */
    public double settledShare() {
        long n = 0;
        int w = overview.width();
        for (int j = 0; j < overview.height(); j++) {
            for (int i = 0; i < w; i++) {
                if (settled[j * w + i]) {
                    n += (long) (Math.min(width, (i + 1) * resolution) - i * resolution)
                            * (Math.min(height, (j + 1) * resolution) - j * resolution);
                }
            }
        }
        return (double) n / ((long) width * height);
    }

    /**
     * The classes of one tile: the overview's in settled blocks, the model's exact prediction in the
     * others. Features are computed for the sub-tiles that hold unsettled blocks, or for the whole
     * tile in one piece when that reads fewer pixels (each sub-tile adds its own halo); the forest
     * walks only the pixels of unsettled blocks.
     *
     * @return the tile's classes, and how many of its pixels were predicted exactly
     */
    public Refined refine(TilePredictor predictor, TileSource source, ChannelStatistics statistics, PixelRegion tile) {
        LabelRaster classes = LabelRaster.allocate(tile.width(), tile.height());
        byte[] out = classes.data();
        boolean[] wanted = new boolean[tile.width() * tile.height()];
        int w = overview.width();
        byte[] c = overview.data();
        long exact = 0;
        for (int y = 0; y < tile.height(); y++) {
            int row = ((tile.y() + y) / resolution) * w;
            for (int x = 0; x < tile.width(); x++) {
                int block = row + (tile.x() + x) / resolution;
                out[y * tile.width() + x] = c[block];
                boolean unsettled = !settled[block];
                wanted[y * tile.width() + x] = unsettled;
                exact += unsettled ? 1 : 0;
            }
        }
        if (exact == 0) {
            return new Refined(new TileResult(tile, classes, null), 0);
        }
        List<PixelRegion> subTiles = new ArrayList<>();
        long subTilePixels = 0;
        for (int sy = tile.y(); sy < tile.endY(); sy += SUB_TILE) {
            for (int sx = tile.x(); sx < tile.endX(); sx += SUB_TILE) {
                PixelRegion sub = new PixelRegion(sx, sy, Math.min(SUB_TILE, tile.endX() - sx),
                        Math.min(SUB_TILE, tile.endY() - sy));
                if (!allSettled(sub)) {
                    subTiles.add(sub);
                    subTilePixels += predictor.inputRegion(sub, source.bounds()).area();
                }
            }
        }
        if (subTilePixels >= predictor.inputRegion(tile, source.bounds()).area()) {
            predictor.classifyWhere(source, statistics, tile, wanted, classes);
            return new Refined(new TileResult(tile, classes, null), exact);
        }
        for (PixelRegion sub : subTiles) {
            LabelRaster part = LabelRaster.allocate(sub.width(), sub.height());
            boolean[] partWanted = new boolean[sub.width() * sub.height()];
            byte[] p = part.data();
            for (int y = 0; y < sub.height(); y++) {
                int from = (sub.y() - tile.y() + y) * tile.width() + (sub.x() - tile.x());
                System.arraycopy(wanted, from, partWanted, y * sub.width(), sub.width());
                System.arraycopy(out, from, p, y * sub.width(), sub.width());
            }
            predictor.classifyWhere(source, statistics, sub, partWanted, part);
            for (int y = 0; y < sub.height(); y++) {
                System.arraycopy(p, y * sub.width(), out, (sub.y() - tile.y() + y) * tile.width() + (sub.x() - tile.x()),
                        sub.width());
            }
        }
        return new Refined(new TileResult(tile, classes, null), exact);
    }

    /** A refined tile and the number of its pixels predicted exactly. */
    public record Refined(TileResult result, long exactPixels) {
    }

    private boolean allSettled(PixelRegion region) {
        int w = overview.width();
        for (int j = region.y() / resolution; j <= (region.endY() - 1) / resolution; j++) {
            for (int i = region.x() / resolution; i <= (region.endX() - 1) / resolution; i++) {
                if (!settled[j * w + i]) {
                    return false;
                }
            }
        }
        return true;
    }
}
