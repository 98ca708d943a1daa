package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.tiles.TileSource;

/**
 * Gathers training samples (feature vectors of labelled pixels) from a slide, tile by tile, visiting
 * only the tiles that hold labels: a few scribbles on a gigapixel slide cost a few tiles of features.
 * Features are computed with the same halo as in prediction, so training sees exactly the values
 * prediction will see.
 */
public final class TrainingSampler {
    private final TileSource image;
    private final LabelSource labels;
    private final int tileSize;
    private ChannelStatistics statistics;

    public TrainingSampler(TileSource image, LabelSource labels, int tileSize) {
        if (image.width() != labels.width() || image.height() != labels.height()) {
            throw new IllegalArgumentException("labels are " + labels.width() + " x " + labels.height()
                    + " but the image is " + image.width() + " x " + image.height());
        }
        if (tileSize < 16) {
            throw new IllegalArgumentException("tile size must be at least 16 pixels: " + tileSize);
        }
        this.image = image;
        this.labels = labels;
        this.tileSize = tileSize;
    }

    /**
     * A sampler of a slide whose channel statistics are already known (measured once and kept by a
     * caller that trains again and again on the same slide, e.g. after each edit of its regions).
     */
    public TrainingSampler(TileSource image, LabelSource labels, int tileSize, ChannelStatistics statistics) {
        this(image, labels, tileSize);
        this.statistics = java.util.Objects.requireNonNull(statistics, "statistics");
    }

    /** The tiles of the grid that overlap labelled areas: the work items of {@link #sample}. */
    public List<PixelRegion> tiles() {
        TileGrid grid = TileGrid.of(image.width(), image.height(), tileSize);
        Set<PixelRegion> tiles = new LinkedHashSet<>();
        for (PixelRegion area : labels.labelledAreas()) {
            PixelRegion a = area.intersect(image.bounds());
            if (a.isEmpty()) {
                continue;
            }
            for (int row = a.y() / tileSize; row <= (a.endY() - 1) / tileSize; row++) {
                for (int col = a.x() / tileSize; col <= (a.endX() - 1) / tileSize; col++) {
                    tiles.add(grid.tile(col, row));
                }
            }
        }
        return new ArrayList<>(tiles);
    }

    /** Side of the cells that sparse labels are sampled by. */
    static final int CELL = 32;

    /**
     * Samples of one tile; null when the tile holds no labelled pixel. Scribbles are sparse, so only
     * the {@value #CELL}-pixel cells of the tile that hold labels get features (each with its own
     * halo); when most cells hold labels the tile is computed in one piece instead. Both give the
     * very features that prediction computes for those pixels.
     */
    public TrainingSet sample(FeatureBank bank, PixelRegion tile) {
        LabelRaster tileLabels = labels.read(tile);
        List<PixelRegion> cells = labelledCells(tileLabels, tile);
        if (cells.isEmpty()) {
            return null;
        }
        ChannelStatistics slide = statistics(bank);
        long haloedCellArea = 0;
        for (PixelRegion cell : cells) {
            haloedCellArea += cell.expand(bank.halo(), image.bounds()).area();
        }
        if (haloedCellArea >= tile.expand(bank.halo(), image.bounds()).area()) {
            return featuresOf(bank, tile, tileLabels, slide);
        }
        List<TrainingSet> sets = new ArrayList<>(cells.size());
        for (PixelRegion cell : cells) {
            LabelRaster cellLabels = tileLabels.crop(new PixelRegion(cell.x() - tile.x(), cell.y() - tile.y(),
                    cell.width(), cell.height()));
            sets.add(featuresOf(bank, cell, cellLabels, slide));
        }
        return TrainingSet.concat(sets);
    }

    private TrainingSet featuresOf(FeatureBank bank, PixelRegion region, LabelRaster regionLabels,
                                   ChannelStatistics slide) {
        PixelRegion haloed = region.expand(bank.halo(), image.bounds());
        PixelRegion inner = new PixelRegion(region.x() - haloed.x(), region.y() - haloed.y(), region.width(),
                region.height());
        return TrainingSet.fromLabels(bank.compute(image.read(haloed), inner, slide), regionLabels);
    }

    /** The cells of the tile (in image coordinates) that hold at least one labelled pixel, row by row. */
    private static List<PixelRegion> labelledCells(LabelRaster tileLabels, PixelRegion tile) {
        List<PixelRegion> cells = new ArrayList<>();
        byte[] data = tileLabels.data();
        int w = tile.width();
        for (int cy = 0; cy < tile.height(); cy += CELL) {
            int ch = Math.min(CELL, tile.height() - cy);
            for (int cx = 0; cx < w; cx += CELL) {
                int cw = Math.min(CELL, w - cx);
                search:
                for (int y = cy; y < cy + ch; y++) {
                    for (int x = cx; x < cx + cw; x++) {
                        if (data[y * w + x] != 0) {
                            cells.add(new PixelRegion(tile.x() + cx, tile.y() + cy, cw, ch));
                            break search;
                        }
                    }
                }
            }
        }
        return cells;
    }

    /** The image's channel statistics, measured once (the same for every tile, as in prediction). */
    public synchronized ChannelStatistics statistics(FeatureBank bank) {
        if (statistics == null) {
            statistics = bank.measure(image);
        }
        return statistics;
    }

    /** All samples of this image, one tile after the other. */
    public List<TrainingSet> sampleAll(FeatureBank bank) {
        List<TrainingSet> sets = new ArrayList<>();
        for (PixelRegion tile : tiles()) {
            TrainingSet s = sample(bank, tile);
            if (s != null) {
                sets.add(s);
            }
        }
        return sets;
    }
}
