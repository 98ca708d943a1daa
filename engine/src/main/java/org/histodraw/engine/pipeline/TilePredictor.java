package org.histodraw.engine.pipeline;

import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * Predicts one tile of a slide: reads the tile grown by the features' reach (their halo, and the
 * blocks of their coarse levels), computes the features, and classifies only the tile itself.
 * Because what is read covers every filter's reach, the result is identical to classifying the
 * whole image at once, whatever the tile size.
 *
 * <p>Holds feature scratch buffers: not thread-safe, make one per worker thread.
 */
public final class TilePredictor {
    private final SegmentationModel model;
    private final FeatureBank bank;
    private final RandomForest forest;
    /**
     * The features of the last tiles of the two last sizes, reused for the next tile of that size
     * (most of a slide; coarse-to-fine alternates whole tiles and their sub-tiles): a tile's
     * features are tens of megabytes, not worth allocating and clearing for every tile.
     */
    private Raster features;
    private Raster previousSize;

    public TilePredictor(SegmentationModel model) {
        this.model = model;
        this.bank = new FeatureBank(model.features());
        this.forest = model.forest();
    }

    /** Pixels of context each tile needs on every side, at most. */
    public int halo() {
        return bank.halo();
    }

    public SegmentationModel model() {
        return model;
    }

    /** The statistics of a slide that its tiles are normalised by: measure once per slide. */
    public ChannelStatistics measure(TileSource source) {
        return bank.measure(source);
    }

    /**
     * @param slide         the slide's channel statistics, from {@link #measure}
     * @param probabilities also return per-class probabilities and, as the last plane, the uncertainty
     */
    public TileResult predict(TileSource source, ChannelStatistics slide, PixelRegion tile, boolean probabilities) {
        return classify(featuresOf(source, slide, tile), tile, probabilities);
    }

    /**
     * The classes of the pixels of {@code tile} where {@code wanted} (row-major over the tile) is
     * true, written into {@code classes} (the tile's size): each the class {@link #predict} gives
     * it, the others left as they are. The features are computed for the whole tile; only the
     * forest is spared.
     */
    public void classifyWhere(TileSource source, ChannelStatistics slide, PixelRegion tile, boolean[] wanted,
                              LabelRaster classes) {
        forest.classifyWhere(featuresOf(source, slide, tile), wanted, classes);
    }

    /** The features of a tile, in the buffer kept for tiles of its size. */
    private Raster featuresOf(TileSource source, ChannelStatistics slide, PixelRegion tile) {
        if (!source.bounds().contains(tile) || tile.isEmpty()) {
            throw new IllegalArgumentException("tile " + tile + " is not inside the image " + source.bounds());
        }
        if (!fits(features, tile)) {
            Raster other = fits(previousSize, tile) ? previousSize
                    : Raster.allocate(tile.width(), tile.height(), bank.featureCount());
            previousSize = features;
            features = other;
        }
        bank.compute(source, tile, features, slide);
        return features;
    }

    private static boolean fits(Raster buffer, PixelRegion tile) {
        return buffer != null && buffer.width() == tile.width() && buffer.height() == tile.height();
    }

    /** The slide's pixels that the features of {@code tile} are computed from. */
    public PixelRegion inputRegion(PixelRegion tile, PixelRegion slideBounds) {
        return bank.inputRegion(tile, slideBounds);
    }

    /** The whole image in one piece, without tiling (the reference that tiled results must equal). */
    public TileResult predictWhole(Raster rgb, boolean probabilities) {
        return classify(bank.compute(rgb), PixelRegion.of(rgb.width(), rgb.height()), probabilities);
    }

    /** Classifies features computed for exactly the pixels of {@code tile}. */
    private TileResult classify(Raster tileFeatures, PixelRegion tile, boolean probabilities) {
        LabelRaster classes = LabelRaster.allocate(tile.width(), tile.height());
        Raster probs = null;
        int k = forest.classCount();
        if (probabilities) {
            probs = Raster.allocate(tile.width(), tile.height(), k + 1);
            Raster classProbs = new Raster(tile.width(), tile.height(), planes(probs, k));
            forest.predict(tileFeatures, classes, classProbs);
            Uncertainty.compute(planes(probs, k), k, probs.plane(k));
        } else {
            forest.classify(tileFeatures, classes);
        }
        return new TileResult(tile, classes, probs);
    }

    private static float[][] planes(Raster r, int count) {
        float[][] p = new float[count][];
        for (int i = 0; i < count; i++) {
            p[i] = r.plane(i);
        }
        return p;
    }
}
