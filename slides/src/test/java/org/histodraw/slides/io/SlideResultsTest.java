package org.histodraw.slides.io;

import org.histodraw.engine.vector.PolygonCleaning;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlideResultsTest {
    private static final int W = 40;
    private static final int H = 30;

    @TempDir
    Path dir;

    /** A real (tiny) model: the class map below is written through it, not predicted by it. */
    private static SegmentationModel model() {
        Raster rgb = Raster.allocate(W, H, 3);
        LabelRaster labels = LabelRaster.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean dark = x >= 10 && x < 20 && y >= 10 && y < 20;
                for (int c = 0; c < 3; c++) {
                    rgb.plane(c)[y * W + x] = dark ? 0.3f : 0.9f;
                }
                labels.set(x, y, dark ? 2 : 1);
            }
        }
        FeatureSettings features = FeatureSettings.defaults();
        TrainingSet samples = TrainingSet.fromLabels(new FeatureBank(features).compute(rgb), labels);
        return SegmentationModel.of("square", 1L, features, ClassList.named(List.of("Background", "Nucleus")),
                RandomForest.train(samples, ForestSettings.defaults().withTrees(2)), List.of());
    }

    /** Background everywhere, a 10 x 10 nucleus at (10, 10); probabilities certain. */
    private static void feed(SlideResults results, int fromY, int toY) {
        for (int y = fromY; y < toY; y += 8) {
            int h = Math.min(8, H - y);
            LabelRaster strip = LabelRaster.allocate(W, h);
            Raster probabilities = Raster.allocate(W, h, 3);
            for (int r = 0; r < h; r++) {
                for (int x = 0; x < W; x++) {
                    int c = x >= 10 && x < 20 && y + r >= 10 && y + r < 20 ? 2 : 1;
                    strip.set(x, r, c);
                    probabilities.plane(c - 1)[r * W + x] = 1f;
                }
            }
            results.accept(y, strip, probabilities);
        }
    }

    @Test
    void aFinishedSlideHasItsClassMapPolygonsWithProvenanceAndProbabilityMaps() throws IOException {
        SegmentationModel model = model();
        try (SlideResults results = new SlideResults(dir, "s1", W, H, model, "s1.tif", Optional.of(0.5), true, PolygonCleaning.none())) {
            feed(results, 0, H);
            results.finish();
            assertThat(results.finished()).isTrue();
            assertThat(results.pixelsPerClass()).containsExactly(0, W * H - 100, 100);
            assertThat(results.polygons()).isEqualTo(2);
        }
        assertThat(names()).containsExactlyInAnyOrder("s1.geojson", "s1_classes.png", "s1_prob_background.png",
                "s1_prob_nucleus.png", "s1_uncertainty.png");
        LabelRaster read = LabelImages.read(dir.resolve("s1_classes.png")).labels();
        assertThat(read.get(15, 15)).isEqualTo(2);
        assertThat(read.get(5, 5)).isEqualTo(1);
        String geoJson = Files.readString(dir.resolve("s1.geojson"), StandardCharsets.UTF_8);
        assertThat(geoJson).contains("\"Nucleus\"").contains("\"image\":\"s1.tif\"").contains(model.id());
    }

    @Test
    void aSlideClosedBeforeItsLastStripLeavesNoFileBehind() throws IOException {
        try (SlideResults results = new SlideResults(dir, "s2", W, H, model(), "s2.tif", Optional.empty(), true, new PolygonCleaning(4.0, 4.0, 1, 0))) {
            feed(results, 0, 16);
        }
        assertThat(names()).isEmpty();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void provenanceNamesTheModelAndTheImage() {
        SegmentationModel model = model();
        assertThat(SlideResults.provenance(model, "x.png").toString())
                .contains("generator=histodraw").contains(model.id()).contains("image=x.png");
    }
}
