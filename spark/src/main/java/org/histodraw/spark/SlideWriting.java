package org.histodraw.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.StripAssembler;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.slides.io.SlideResults;
import scala.Tuple2;

/**
 * The writing stage: receives the predicted tiles of its slides sorted by slide, row and column,
 * assembles full-width strips and streams them into the slide's {@link SlideResults}. Holds one
 * strip at a time, never a whole slide. Regions are cleaned as {@code histodraw segment} cleans them
 * (the same {@link PolygonCleaning}, areas in µm² on slides that know their pixel size). A slide with a failed tile, or whose files cannot be
 * written, gets a failed outcome and leaves no partial files; the other slides go on.
 */
final class SlideWriting implements FlatMapFunction<Iterator<Tuple2<Long, PredictedTile>>, SlideOutcome> {
    private final Broadcast<byte[]> model;
    private final Broadcast<Map<Integer, SlidePlan>> plans;
    private final String outDir;
    private final int tileSize;
    // The cleaning's parts: the engine's value is not Serializable (the engine uses no java.io).
    private final Double minRegionArea;
    private final Double minHoleArea;
    private final double simplify;
    private final int smoothing;
    private final HashSet<String> omitted; // Serializable, unlike Set.copyOf's

    SlideWriting(Broadcast<byte[]> model, Broadcast<Map<Integer, SlidePlan>> plans, String outDir, int tileSize,
                 PolygonCleaning cleaning, Set<String> omitted) {
        this.model = model;
        this.plans = plans;
        this.outDir = outDir;
        this.tileSize = tileSize;
        this.minRegionArea = cleaning.minRegionArea();
        this.minHoleArea = cleaning.minHoleArea();
        this.simplify = cleaning.simplify();
        this.smoothing = cleaning.smoothing();
        this.omitted = new HashSet<>(omitted);
    }

    @Override
    public Iterator<SlideOutcome> call(Iterator<Tuple2<Long, PredictedTile>> tiles) {
        SegmentationModel segmentationModel = ModelCache.get(model);
        List<SlideOutcome> outcomes = new ArrayList<>();
        Slide slide = null;
        while (tiles.hasNext()) {
            PredictedTile tile = tiles.next()._2();
            if (slide == null || slide.plan.index() != tile.task().slide()) {
                if (slide != null) {
                    outcomes.add(slide.end());
                }
                slide = new Slide(plans.value().get(tile.task().slide()), segmentationModel);
            }
            slide.add(tile);
        }
        if (slide != null) {
            outcomes.add(slide.end());
        }
        return outcomes.iterator();
    }

    /** One slide being written. */
    private final class Slide {
        final SlidePlan plan;
        final TileGrid grid;
        final long t0 = System.nanoTime();
        long predictNanos;
        SlideResults results;
        StripAssembler assembler;
        String failure;

        Slide(SlidePlan plan, SegmentationModel model) {
            this.plan = plan;
            this.grid = plan.grid(tileSize);
            try {
                PolygonCleaning cleaning = new PolygonCleaning(minRegionArea, minHoleArea, simplify, smoothing);
                results = plan.resolution() == 1
                        ? new SlideResults(Path.of(outDir), plan.baseName(), plan.width(), plan.height(), 1, model,
                                plan.imageName(), plan.pixelSize(), false, cleaning, omitted)
                        : new SlideResults(Path.of(outDir), plan.baseName(), plan.predictedWidth(), plan.predictedHeight(),
                                plan.resolution(), model, plan.imageName(), plan.pixelSize(), false, cleaning, omitted);
                assembler = new StripAssembler(grid, 0, results);
            } catch (RuntimeException e) {
                failure = "cannot write the results: " + SlideOpening.message(e);
            }
        }

        void add(PredictedTile tile) {
            predictNanos += tile.nanos();
            if (failure != null) {
                return;
            }
            if (!tile.ok()) {
                failure = tile.error();
                return;
            }
            try {
                assembler.accept(tile.result());
            } catch (RuntimeException e) {
                failure = "cannot write the results: " + SlideOpening.message(e);
            }
        }

        SlideOutcome end() {
            if (failure == null && !assembler.isComplete()) {
                failure = "internal error: not every tile of the slide arrived";
            }
            if (results != null) {
                results.close(); // removes partial files when the slide did not complete
            }
            double seconds = predictNanos / 1e9 + SlideOpening.seconds(t0);
            if (failure != null) {
                return SlideOutcome.failed(plan, grid.tileCount(), failure, seconds);
            }
            return new SlideOutcome(plan.index(), plan.path(), SlideOutcome.OK, "", plan.width(), plan.height(),
                    grid.tileCount(), seconds, results.pixelsPerClass(), plan.micronsPerPixel());
        }
    }
}
