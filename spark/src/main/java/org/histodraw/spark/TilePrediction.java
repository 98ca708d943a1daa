package org.histodraw.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.TaskCompletionListener;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TilePredictor;
import org.histodraw.engine.pipeline.TileResult;
import org.histodraw.engine.tiles.TileSource;
import scala.Tuple2;

/**
 * The prediction stage, one partition at a time: a run of tiles grouped by slide in row order. One
 * {@link TilePredictor} per partition (it holds feature scratch and is not thread-safe; a partition
 * is one task on one thread), one open slide at a time. Tiles are predicted lazily as Spark pulls
 * them, so a partition never holds more than one tile. A tile that cannot be read or predicted
 * comes out as a failed {@link PredictedTile}, which fails its slide, not the job.
 */
final class TilePrediction implements PairFlatMapFunction<Iterator<TileBand>, Long, PredictedTile> {
    private final Broadcast<byte[]> model;
    private final Broadcast<Map<Integer, SlidePlan>> plans;
    private final int tileSize;
    private final ServerAccess server;
    private final int resolution;

    /** @param resolution 1, or N for tissue maps from the slides' levels 1/N by the model's overview */
    TilePrediction(Broadcast<byte[]> model, Broadcast<Map<Integer, SlidePlan>> plans, int tileSize, ServerAccess server,
                   int resolution) {
        this.server = server;
        this.resolution = resolution;
        this.model = model;
        this.plans = plans;
        this.tileSize = tileSize;
    }

    @Override
    public Iterator<Tuple2<Long, PredictedTile>> call(Iterator<TileBand> bands) {
        SegmentationModel segmentation = ModelCache.get(model);
        Tiles tiles = new Tiles(bands, new TilePredictor(resolution > 1 ? segmentation.overviewModel() : segmentation));
        TaskContext context = TaskContext.get();
        if (context != null) {
            context.addTaskCompletionListener((TaskCompletionListener) c -> tiles.closeSlide());
        }
        return tiles;
    }

    private final class Tiles implements Iterator<Tuple2<Long, PredictedTile>> {
        private final Iterator<TileBand> bands;
        private final TilePredictor predictor;
        private Iterator<TileTask> current = Collections.emptyIterator();
        private int openIndex = -1;
        private SlideSource open;
        private TileSource pixels;
        private ChannelStatistics statistics;
        private String openFailure;

        Tiles(Iterator<TileBand> bands, TilePredictor predictor) {
            this.bands = bands;
            this.predictor = predictor;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && bands.hasNext()) {
                current = bands.next().tasks(plans.value(), tileSize).iterator();
            }
            if (!current.hasNext()) {
                closeSlide();
                return false;
            }
            return true;
        }

        @Override
        public Tuple2<Long, PredictedTile> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TileTask task = current.next();
            return new Tuple2<>(task.key(), predict(task));
        }

        private PredictedTile predict(TileTask task) {
            long t0 = System.nanoTime();
            try {
                TileSource image = slide(task.slide());
                if (image == null) {
                    return PredictedTile.failed(task, openFailure);
                }
                TileResult result = predictor.predict(image, statistics, task.region(), false);
                return new PredictedTile(task, result.classes().data(), null, System.nanoTime() - t0);
            } catch (RuntimeException e) {
                return PredictedTile.failed(task, "tile " + task.region() + ": " + SlideOpening.message(e));
            }
        }

        /**
         * What the tiles of a slide are cut from (the slide, or its level for a tissue map), opened once
         * for its run of tiles; null when it cannot be opened here.
         */
        private TileSource slide(int index) {
            if (index != openIndex) {
                closeSlide();
                openIndex = index;
                SlidePlan plan = plans.value().get(index);
                statistics = plan.statistics();
                try {
                    open = SlideSource.open(plan.path(), server);
                    if (open.width() != plan.width() || open.height() != plan.height()) {
                        throw new IllegalStateException("the slide changed size during the job: "
                                + open.width() + " x " + open.height() + ", planned " + plan.width() + " x " + plan.height());
                    }
                    pixels = open.levelForTileWalk(plan.resolution(), tileSize, predictor.halo());
                } catch (RuntimeException e) {
                    if (open != null) {
                        open.close();
                        open = null;
                    }
                    openFailure = SlideOpening.message(e);
                }
            }
            return open == null ? null : pixels;
        }

        void closeSlide() {
            if (open != null) {
                open.close();
                open = null;
            }
            pixels = null;
            openIndex = -1;
        }
    }
}
