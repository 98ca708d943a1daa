package org.histodraw.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class TrainingSamplerTest {
    private static final SyntheticSlide SLIDE = new SyntheticSlide(200, 150, 5);

    @Test
    void sparseScribblesGetTheSameFeaturesAsTheWholeImage() {
        FeatureBank bank = new FeatureBank(FeatureSettings.defaults());
        TrainingSampler sampler = new TrainingSampler(SLIDE.source(), LabelSource.of(SLIDE.scribbles), 128);
        assertSameSamplesAsTheWholeImage(bank, sampler, SLIDE.scribbles);
    }

    @Test
    void labelsWhosePatchesOverlapAreEachSampledOnce() {
        // An L of labels with a dot and a short stroke inside its bounding box, and a far-away dot:
        // clusters whose boxes overlap, and one that stays apart.
        LabelRaster labels = LabelRaster.allocate(200, 150);
        for (int i = 0; i < 90; i++) {
            labels.set(20 + i, 20, 1);
            labels.set(20, 20 + i, 1);
        }
        labels.set(60, 60, 2);
        for (int i = 0; i < 5; i++) {
            labels.set(80 + i, 90, 2);
        }
        labels.set(190, 140, 2);
        FeatureBank bank = new FeatureBank(FeatureSettings.defaults());
        TrainingSampler sampler = new TrainingSampler(SLIDE.source(), LabelSource.of(labels), 200);
        assertSameSamplesAsTheWholeImage(bank, sampler, labels);
    }

    private static void assertSameSamplesAsTheWholeImage(FeatureBank bank, TrainingSampler sampler,
                                                         LabelRaster labels) {
        TrainingSet sparse = TrainingSet.concat(sampler.sampleAll(bank));
        Raster whole = bank.compute(SLIDE.rgb);
        TrainingSet reference = TrainingSet.fromLabels(whole, labels);
        // Same pixels (in another order: tile, then patch, then row) with the same feature bits.
        assertThat(sparse.sampleCount()).isEqualTo(reference.sampleCount());
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < reference.sampleCount(); i++) {
            expected.add(reference.classOf(i) + java.util.Arrays.toString(reference.features(i)));
        }
        for (int i = 0; i < sparse.sampleCount(); i++) {
            assertThat(expected).contains(sparse.classOf(i) + java.util.Arrays.toString(sparse.features(i)));
        }
    }

    @Test
    void tilesWithoutLabelsAreSkipped() {
        LabelRaster labels = LabelRaster.allocate(200, 150);
        labels.set(10, 10, 1);
        labels.set(12, 11, 2);
        TrainingSampler sampler = new TrainingSampler(SLIDE.source(), LabelSource.of(labels), 64);
        assertThat(sampler.tiles()).containsExactly(new PixelRegion(0, 0, 64, 64));
        TrainingSet set = sampler.sample(new FeatureBank(FeatureSettings.defaults()), sampler.tiles().get(0));
        assertThat(set.sampleCount()).isEqualTo(2);
    }

    /** The slide, counting the pixels read from it. */
    private static final class CountedSource implements org.histodraw.engine.tiles.TileSource {
        long read;

        @Override
        public int width() {
            return SLIDE.rgb.width();
        }

        @Override
        public int height() {
            return SLIDE.rgb.height();
        }

        @Override
        public Raster read(PixelRegion region) {
            read += region.area();
            return SLIDE.rgb.crop(region);
        }
    }

    @Test
    void knownStatisticsGiveTheSameSamplesWithoutReadingTheSlideToMeasureIt() {
        FeatureBank bank = new FeatureBank(FeatureSettings.defaults());
        CountedSource first = new CountedSource();
        TrainingSampler measuring = new TrainingSampler(first, LabelSource.of(SLIDE.scribbles), 128);
        TrainingSet measured = TrainingSet.concat(measuring.sampleAll(bank));

        CountedSource second = new CountedSource();
        TrainingSampler known = new TrainingSampler(second, LabelSource.of(SLIDE.scribbles), 128, measuring.statistics(bank));
        TrainingSet reused = TrainingSet.concat(known.sampleAll(bank));

        assertThat(reused.sampleCount()).isEqualTo(measured.sampleCount());
        for (int i = 0; i < measured.sampleCount(); i++) {
            assertThat(reused.features(i)).isEqualTo(measured.features(i));
        }
        // The whole slide (under 4 Mpx) was read once to measure it, and not again.
        assertThat(first.read - second.read).isEqualTo((long) SLIDE.rgb.width() * SLIDE.rgb.height());
    }
}
