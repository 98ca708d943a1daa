package org.histodraw.slides.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.ClassMapCollector;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.junit.jupiter.api.Test;

class SlideSegmentationTest {
    private static final int SIDE = 300;
    private static final int TILE = 128;

    /** Purple nuclei-like discs on pink, with noise; the slide records every region it is asked for. */
    private static final class CountingSlide implements TileSource {
        final Raster rgb = Raster.allocate(SIDE, SIDE, 3);
        final List<PixelRegion> reads = new ArrayList<>();

        CountingSlide() {
            Random random = new Random(3);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    boolean nucleus = ((x / 30) + (y / 30)) % 2 == 0 && Math.hypot(x % 30 - 15, y % 30 - 15) < 9;
                    float noise = (float) random.nextGaussian() * 0.05f;
                    rgb.set(0, x, y, (nucleus ? 0.35f : 0.85f) + noise);
                    rgb.set(1, x, y, (nucleus ? 0.25f : 0.55f) + noise);
                    rgb.set(2, x, y, (nucleus ? 0.60f : 0.75f) + noise);
                }
            }
        }

        @Override
        public int width() {
            return SIDE;
        }

        @Override
        public int height() {
            return SIDE;
        }

        @Override
        public synchronized Raster read(PixelRegion region) {
            reads.add(region);
            return TileSource.of(rgb).read(region);
        }
    }

    private static SegmentationModel train(CountingSlide slide) {
        LabelRaster labels = LabelRaster.allocate(SIDE, SIDE);
        for (int y = 0; y < SIDE; y += 30) {
            for (int x = 0; x < SIDE; x += 30) {
                boolean nucleusCell = ((x / 30) + (y / 30)) % 2 == 0;
                labels.set(x + 15, y + 15, nucleusCell ? 2 : 1);
                labels.set(x + 2, y + 2, 1);
            }
        }
        TrainingImage image = new TrainingImage("slide", slide, LabelSource.of(labels),
                new TrainingSnapshot("slide", SIDE, SIDE, List.of()));
        return new ModelTraining(2, TILE).train("test", FeatureSettings.defaults(),
                ClassList.named(List.of("Stroma", "Nucleus")), ForestSettings.defaults(), List.of(image));
    }

    @Test
    void statisticsMeasuredWhileTrainingSpareASecondReadAndGiveTheSameClasses() {
        CountingSlide slide = new CountingSlide();
        SegmentationModel model = train(slide);
        ChannelStatistics statistics = new FeatureBank(model.features()).measure(slide);
        int tiles = (SIDE + TILE - 1) / TILE * ((SIDE + TILE - 1) / TILE);

        try (SlideSegmentation segmentation = new SlideSegmentation(model, TILE, 2)) {
            slide.reads.clear();
            ClassMapCollector measuredNow = new ClassMapCollector(SIDE, SIDE);
            segmentation.predict(slide, false, measuredNow, ProgressListener.NONE, new Cancellation());
            int readsMeasuring = slide.reads.size();

            slide.reads.clear();
            ClassMapCollector known = new ClassMapCollector(SIDE, SIDE);
            segmentation.predict(slide, statistics, false, known, ProgressListener.NONE, new Cancellation());

            assertThat(slide.reads).hasSize(tiles);
            assertThat(readsMeasuring).isGreaterThan(tiles);
            assertThat(known.classes().data()).isEqualTo(measuredNow.classes().data());
            long nucleusPixels = 0;
            for (byte b : known.classes().data()) {
                nucleusPixels += b == 2 ? 1 : 0;
            }
            assertThat(nucleusPixels).as("the model finds nuclei").isGreaterThan(SIDE * SIDE / 20);
        }
    }
}
