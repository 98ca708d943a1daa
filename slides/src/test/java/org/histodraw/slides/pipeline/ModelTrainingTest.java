package org.histodraw.slides.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.slides.io.LabelImages;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ModelTrainingTest {

    private static Path data(String file) {
        Path p = Path.of(System.getProperty("histodraw.data", "../shared/data"), file);
        Assumptions.assumeTrue(Files.isRegularFile(p), "shared data not found at " + p + ": skipping");
        return p;
    }

    private static TrainingImage image(SlideImage slide, LabelRaster labels) {
        return new TrainingImage("slide", slide, LabelSource.of(labels),
                new TrainingSnapshot("slide", slide.width(), slide.height(), List.of()));
    }

    @Test
    void scribblesInsideNucleiOfAnHAndESlideChooseTheDefaultAndMeasureItsStatisticsOnce() {
        try (SlideImage slide = SlideImages.open(data("gbm-nuclei/01.png"))) {
            LabelRaster scribbles = LabelImages.read(data("gbm-nuclei/01_scribbles.png")).labels();
            ModelTraining training = new ModelTraining(2, 256);
            ModelTraining.Prepared auto = training.prepare(null, List.of(image(slide, scribbles)), (i, f) -> null);
            assertThat(auto.choice().automatic()).isTrue();
            assertThat(auto.choice().chosen()).isEqualTo(FeatureSettings.defaults());
            // The statistics come from the windows read for the choice: the very numbers of a measurement.
            assertThat(auto.statistics().get(0)).isEqualTo(SlideStatistics.measure(FeatureSettings.defaults(), slide, 1));
            ModelTraining.Prepared given = training.prepare(FeatureSettings.defaults(), List.of(image(slide, scribbles)),
                    (i, f) -> null);
            assertThat(given.choice().automatic()).isFalse();
            assertThat(given.samples().sampleCount()).isEqualTo(auto.samples().sampleCount());
            assertThat(given.samples().value(17, 5)).isEqualTo(auto.samples().value(17, 5));
        }
    }

    @Test
    void broadRegionsOnTheIhcImageChooseContextInRgb() {
        try (SlideImage slide = SlideImages.open(data("ihc/ihc.png"))) {
            LabelRaster regions = LabelRaster.allocate(slide.width(), slide.height());
            for (int y = 40; y < 140; y++) {
                for (int x = 40; x < 200; x++) {
                    regions.set(x, y, 1);
                    regions.set(x + 250, y + 300, 2);
                }
            }
            SegmentationModel model = new ModelTraining(2, 256).train("ihc", null, ClassList.named(List.of("A", "B")),
                    ForestSettings.defaults(), List.of(image(slide, regions)));
            assertThat(model.features().channels()).isEqualTo(ChannelSet.RGB);
            assertThat(model.features().levels()).containsExactly(1, 2, 4, 8);
        }
    }
}
