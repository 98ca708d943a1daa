package org.histodraw.spark;

import java.nio.file.Path;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideResults;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.slides.pipeline.SlideSegmentation;

/** The files {@code histodraw segment --model} writes for a slide: what a cohort must reproduce byte for byte. */
final class SingleMachine {
    private SingleMachine() {
    }

    static void segment(SegmentationModel model, Path slide, int tile, Path outDir) {
        try (SlideImage image = SlideImages.open(slide);
             SlideSegmentation segmentation = new SlideSegmentation(model, tile, 2);
             SlideResults results = new SlideResults(outDir, SlidePlan.baseName(slide.toString()), image.width(), image.height(),
                     model, slide.getFileName().toString(), image.micronsPerPixel(), false, new PolygonCleaning(0.0, 0.0, CohortOptions.DEFAULT_SIMPLIFY, 0))) {
            segmentation.predict(image, false, results, ProgressListener.NONE, new Cancellation());
        }
    }
}
