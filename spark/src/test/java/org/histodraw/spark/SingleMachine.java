package org.histodraw.spark;

import java.nio.file.Path;
import java.util.Set;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideResults;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.slides.pipeline.SlideLevels;
import org.histodraw.slides.pipeline.SlideSegmentation;
import org.histodraw.slides.pipeline.SlideStatistics;

/**
 * The files {@code histodraw segment --model} writes for a slide (its SegmentationRunner: the slide
 * opened by {@link SlideImages}, its pixel size given to the cleaning): what a cohort must reproduce
 * byte for byte. (The app's CohortRunnerTest compares with the command itself.)
 */
final class SingleMachine {
    private SingleMachine() {
    }

    /** With {@code segment}'s default cleaning, as {@code segment --model M --tile T} runs. */
    static void segment(SegmentationModel model, Path slide, int tile, Path outDir) {
        segment(model, slide, tile, outDir, PolygonCleaning.defaults());
    }

    static void segment(SegmentationModel model, Path slide, int tile, Path outDir, PolygonCleaning cleaning) {
        segment(model, slide, tile, outDir, cleaning, Set.of());
    }

    /** As {@code segment --model M --tile T --omit CLASSES}. */
    static void segment(SegmentationModel model, Path slide, int tile, Path outDir, PolygonCleaning cleaning,
                        Set<String> omitted) {
        try (SlideImage image = SlideImages.open(slide);
             SlideSegmentation segmentation = new SlideSegmentation(model, tile, 2);
             SlideResults results = new SlideResults(outDir, SlidePlan.baseName(slide.toString()), image.width(), image.height(),
                     1, model, slide.getFileName().toString(), image.micronsPerPixel(), false, cleaning, omitted)) {
            segmentation.predict(image, false, results, ProgressListener.NONE, new Cancellation());
        }
    }

    /**
     * As {@code segment --model M --tile T --resolution N} runs: the overview on the slide's level 1/N,
     * with the full resolution's statistics, polygons scaled to the slide's pixels.
     */
    static void tissueMap(SegmentationModel model, Path slide, int tile, int resolution, Path outDir) {
        try (SlideImage image = SlideImages.open(slide);
             SlideSegmentation overview = new SlideSegmentation(model.overviewModel(), tile, 2)) {
            TileSource level = SlideLevels.level(image, resolution);
            ChannelStatistics statistics = SlideStatistics.measure(model.features(), image, 1);
            try (SlideResults results = new SlideResults(outDir, SlidePlan.baseName(slide.toString()), level.width(),
                    level.height(), resolution, model, slide.getFileName().toString(), image.micronsPerPixel(), false,
                    PolygonCleaning.defaults())) {
                overview.predict(level, statistics, false, results, ProgressListener.NONE, new Cancellation());
            }
        }
    }
}
