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

    /** Samples of one tile; null when the tile holds no labelled pixel. */
    public TrainingSet sample(FeatureBank bank, PixelRegion tile) {
        LabelRaster tileLabels = labels.read(tile);
        if (tileLabels.count(LabelRaster.UNLABELLED) == (long) tile.width() * tile.height()) {
            return null;
        }
        PixelRegion haloed = tile.expand(bank.halo(), image.bounds());
        PixelRegion inner = new PixelRegion(tile.x() - haloed.x(), tile.y() - haloed.y(), tile.width(), tile.height());
        return TrainingSet.fromLabels(bank.compute(image.read(haloed), inner, statistics(bank)), tileLabels);
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
