package org.histodraw.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.features.PyramidLevel;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.tiles.TileSource;
import org.junit.jupiter.api.Test;

class RefinementTest {
    private static final SyntheticSlide SLIDE = new SyntheticSlide(261, 197, 11);
    private static final SegmentationModel MODEL = withOverview(SLIDE.train(FeatureSettings.defaults()), 2);

    private static SegmentationModel withOverview(SegmentationModel model, int resolution) {
        SegmentationModel coarse = SLIDE.train(Overview.atFullResolution(Overview.featuresFor(model.features()), resolution));
        return model.withOverview(new Overview(resolution, Overview.featuresFor(model.features()), coarse.forest()));
    }

    /** The overview's classes and uncertainty over the level, whole. */
    private static Refinement plan(double maxUncertainty) {
        TilePredictor predictor = new TilePredictor(MODEL);
        ChannelStatistics slide = predictor.measure(SLIDE.source());
        PyramidLevel level = new PyramidLevel(SLIDE.source(), 2);
        TileResult overview = new TilePredictor(MODEL.overviewModel()).predict(level, slide, level.bounds(), true);
        return new Refinement(2, SLIDE.rgb.width(), SLIDE.rgb.height(), overview.classes(),
                overview.probabilities().plane(MODEL.classes().size()), maxUncertainty);
    }

    private static LabelRaster refine(Refinement plan, int tileSize) {
        TilePredictor predictor = new TilePredictor(MODEL);
        ChannelStatistics slide = predictor.measure(SLIDE.source());
        TileGrid grid = TileGrid.of(SLIDE.rgb.width(), SLIDE.rgb.height(), tileSize);
        ClassMapCollector out = new ClassMapCollector(SLIDE.rgb.width(), SLIDE.rgb.height());
        StripAssembler assembler = new StripAssembler(grid, 0, out);
        for (PixelRegion tile : grid.tiles()) {
            assembler.accept(plan.refine(predictor, SLIDE.source(), slide, tile).result());
        }
        return out.classes();
    }

    @Test
    void pixelsOfUnsettledBlocksAreTheExactPredictionAndSettledOnesTheOverviewsClass() {
        Refinement plan = plan(0);
        LabelRaster refined = refine(plan, 100);
        LabelRaster exact = new TilePredictor(MODEL).predictWhole(SLIDE.rgb, false).classes();
        long settled = 0;
        for (int y = 0; y < exact.height(); y++) {
            for (int x = 0; x < exact.width(); x++) {
                if (!plan.settled(x / 2, y / 2)) {
                    assertThat(refined.get(x, y)).as("pixel %d,%d (refined)", x, y).isEqualTo(exact.get(x, y));
                } else {
                    settled++;
                }
            }
        }
        assertThat(settled).as("some blocks settled, well inside the stroma").isGreaterThan(0);
        assertThat(plan.settledShare()).isEqualTo((double) settled / ((long) exact.width() * exact.height()));
        assertThat(plan.settledShare()).isLessThan(1);
    }

    @Test
    void theResultDoesNotDependOnTheTileSize() {
        Refinement plan = plan(0);
        byte[] a = refine(plan, 64).data();
        assertThat(refine(plan, 97).data()).isEqualTo(a);
        assertThat(refine(plan, 261).data()).isEqualTo(a);
    }

    @Test
    void allowingMoreUncertaintySettlesMoreBlocks() {
        assertThat(plan(0.5).settledShare()).isGreaterThanOrEqualTo(plan(0).settledShare());
        assertThat(plan(-1).settledShare()).as("nothing settled: everything exact").isZero();
        LabelRaster exact = new TilePredictor(MODEL).predictWhole(SLIDE.rgb, false).classes();
        assertThat(refine(plan(-1), 80).data()).isEqualTo(exact.data());
    }

    @Test
    void anOverviewOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> new Refinement(2, 261, 197, LabelRaster.allocate(130, 99), new float[130 * 99], 0))
                .hasMessageContaining("131 x 99");
        assertThatThrownBy(() -> MODEL.withOverview(null).overviewModel()).hasMessageContaining("no overview");
    }

    @Test
    void aPyramidLevelIsWhatTheBankBuildsItsCoarseLevelsFrom() {
        // A level read in parts equals the level read whole.
        PyramidLevel level = new PyramidLevel(SLIDE.source(), 4);
        assertThat(level.width()).isEqualTo(66);
        assertThat(level.height()).isEqualTo(50);
        var whole = level.read(level.bounds());
        var part = level.read(new PixelRegion(30, 20, 36, 30));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 36; x++) {
                    assertThat(part.get(c, x, y)).isEqualTo(whole.get(c, 30 + x, 20 + y));
                }
            }
        }
        // Features of level 1 on the level image are those of level 4 on the slide at its block centres, for a
        // window inside the level (no interpolation where coarse pixels are sampled at their own centres... nearly):
        FeatureSettings coarse = FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=rgb");
        float onLevel = new org.histodraw.engine.features.FeatureBank(coarse).compute(whole).get(0, 10, 10);
        TileSource slide = SLIDE.source();
        float onSlide = new org.histodraw.engine.features.FeatureBank(coarse.withLevels(java.util.List.of(4)))
                .compute(slide.read(slide.bounds())).get(0, 41, 41); // between the centres 41.5 of block 10
        assertThat(Math.abs(onLevel - onSlide)).isLessThan(0.02f);
    }
}
