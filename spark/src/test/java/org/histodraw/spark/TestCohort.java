package org.histodraw.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pipeline.ModelTraining;

/**
 * A cohort for the tests: generated slides ({@link CohortImages}) named {@code slide-N.png}, of the
 * given sizes, and a model trained on the scribbles of the first two (with an overview at 1/4) and
 * saved beside them.
 */
final class TestCohort {
    static final int OVERVIEW = 4;
    final List<Path> slides = new ArrayList<>();
    final SegmentationModel model;
    final Path modelFile;

    TestCohort(Path folder, int[]... sizes) throws IOException {
        List<TrainingImage> training = new ArrayList<>();
        List<SlideImage> open = new ArrayList<>();
        try {
            for (int i = 0; i < sizes.length; i++) {
                CohortImages generated = CohortImages.generate(sizes[i][0], sizes[i][1], 11 + i);
                Path file = generated.write(folder.resolve("slide-" + (i + 1) + ".png"));
                slides.add(file);
                if (i < 2) {
                    SlideImage image = SlideImages.open(file);
                    open.add(image);
                    training.add(new TrainingImage(file.getFileName().toString(), image, LabelSource.of(generated.scribbles),
                            new TrainingSnapshot(file.getFileName().toString(), image.width(), image.height(), List.of())));
                }
            }
            ModelTraining trainer = new ModelTraining(2, 128);
            ForestSettings forest = ForestSettings.builder().trees(6).build();
            SegmentationModel trained = trainer.train("cohort-test", FeatureSettings.defaults(),
                    ClassList.named(List.of("Background", "Nucleus")), forest, training);
            // with an overview at 1/4, for tissue maps (as histodraw segment --overview 4 trains it)
            List<ChannelStatistics> statistics = open.stream().map(i -> new FeatureBank(trained.features()).measure(i)).toList();
            model = trainer.withOverview(trained, OVERVIEW, forest, training, statistics);
        } finally {
            open.forEach(SlideImage::close);
        }
        modelFile = Files.write(folder.resolve("model.hdm"), ModelCodec.write(model));
    }
}
