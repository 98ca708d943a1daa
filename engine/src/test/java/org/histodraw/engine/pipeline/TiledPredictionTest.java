package org.histodraw.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TiledPredictionTest {
    private static final SyntheticSlide SLIDE = new SyntheticSlide(203, 157, 7);
    private static final SegmentationModel MODEL = SLIDE.train(FeatureSettings.defaults());

    @ParameterizedTest(name = "tile size {0}")
    @ValueSource(ints = {17, 33, 64, 100, 203})
    void tiledClassMapAndProbabilitiesEqualTheWholeImageResult(int tileSize) {
        TilePredictor predictor = new TilePredictor(MODEL);
        TileResult whole = predictor.predictWhole(SLIDE.rgb, true);

        TileGrid grid = TileGrid.of(SLIDE.rgb.width(), SLIDE.rgb.height(), tileSize);
        var slide = predictor.measure(SLIDE.source());
        ClassMapCollector collected = new ClassMapCollector(SLIDE.rgb.width(), SLIDE.rgb.height());
        StripAssembler assembler = new StripAssembler(grid, MODEL.classes().size() + 1, collected);
        // Deliver tiles in reverse order, as parallel workers may.
        var tiles = grid.tiles();
        for (int i = tiles.size() - 1; i >= 0; i--) {
            assembler.accept(predictor.predict(SLIDE.source(), slide, tiles.get(i), true));
        }

        assertThat(assembler.isComplete()).isTrue();
        assertThat(collected.classes().data()).isEqualTo(whole.classes().data());
        for (int c = 0; c < whole.probabilities().channels(); c++) {
            assertThat(collected.probabilities().plane(c)).isEqualTo(whole.probabilities().plane(c));
        }
    }

    @Test
    void theModelFindsTheNuclei() {
        TileResult whole = new TilePredictor(MODEL).predictWhole(SLIDE.rgb, false);
        SegmentationScore score = SegmentationScore.compare(whole.classes(), SLIDE.truth, 2);
        assertThat(score.meanIou()).isGreaterThan(0.75);
    }

    @Test
    void uncertaintyIsHighestWhereClassesMeet() {
        TileResult whole = new TilePredictor(MODEL).predictWhole(SLIDE.rgb, true);
        float[] uncertainty = whole.probabilities().plane(2);
        double border = 0, inside = 0;
        int nb = 0, ni = 0;
        for (int y = 1; y < SLIDE.truth.height() - 1; y++) {
            for (int x = 1; x < SLIDE.truth.width() - 1; x++) {
                int c = SLIDE.truth.get(x, y);
                boolean edge = SLIDE.truth.get(x - 1, y) != c || SLIDE.truth.get(x + 1, y) != c
                        || SLIDE.truth.get(x, y - 1) != c || SLIDE.truth.get(x, y + 1) != c;
                if (edge) {
                    border += uncertainty[y * SLIDE.truth.width() + x];
                    nb++;
                } else {
                    inside += uncertainty[y * SLIDE.truth.width() + x];
                    ni++;
                }
            }
        }
        assertThat(border / nb).isGreaterThan(2 * inside / ni);
    }

    @Test
    void aTileOutsideTheImageIsRejected() {
        TilePredictor predictor = new TilePredictor(MODEL);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> predictor.predict(SLIDE.source(), predictor.measure(SLIDE.source()), new PixelRegion(200, 0, 10, 10), false))
                .hasMessageContaining("not inside the image");
    }
}
