package org.histodraw.slides.pipeline;

import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.ClassMapCollector;
import org.histodraw.engine.pipeline.Refinement;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.pyramid.ProgressListener;

/**
 * The first pass of coarse-to-fine prediction: the model's overview over the slide's level
 * {@code resolution} (the file's own level where it has one, else one made from the slide's pixels),
 * kept as the {@link Refinement} plan that {@link SlideSegmentation#predict(TileSource,
 * ChannelStatistics, Refinement, org.histodraw.engine.pipeline.StripSink, ProgressListener,
 * Cancellation, java.util.concurrent.atomic.AtomicLong)} refines.
 */
public final class CoarseToFine {
    /** By default a block is settled only where every tree of the overview agreed. */
    public static final double MAX_UNCERTAINTY = 0;

    private CoarseToFine() {
    }

    /**
     * @param level      the slide's level at the overview's resolution
     * @param statistics the slide's channel statistics (of its full resolution, as in training)
     */
    public static Refinement plan(SegmentationModel model, TileSource level, int slideWidth, int slideHeight,
                                  ChannelStatistics statistics, int tileSize, int threads, double maxUncertainty) {
        return plan(model, level, slideWidth, slideHeight, statistics, tileSize, threads, maxUncertainty, new Cancellation());
    }

    /** As above, stopping between two tiles when {@code cancellation} is raised (CancellationException). */
    public static Refinement plan(SegmentationModel model, TileSource level, int slideWidth, int slideHeight,
                                  ChannelStatistics statistics, int tileSize, int threads, double maxUncertainty,
                                  Cancellation cancellation) {
        int resolution = model.overview().resolution();
        ClassMapCollector overview = new ClassMapCollector(level.width(), level.height());
        try (SlideSegmentation segmentation = new SlideSegmentation(model.overviewModel(), tileSize, threads)) {
            segmentation.predict(level, statistics, true, overview, ProgressListener.NONE, cancellation);
        }
        float[] uncertainty = overview.probabilities().plane(model.classes().size());
        return new Refinement(resolution, slideWidth, slideHeight, overview.classes(), uncertainty, maxUncertainty);
    }
}
