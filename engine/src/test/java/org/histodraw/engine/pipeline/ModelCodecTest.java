package org.histodraw.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.Test;

class ModelCodecTest {
    private static final SyntheticSlide SLIDE = new SyntheticSlide(96, 80, 3);

    private static SegmentationModel modelWithSnapshot() {
        SegmentationModel m = SLIDE.train(FeatureSettings.defaults());
        ImageClass nucleus = m.classes().get(2);
        ClassifiedPolygon region = new ClassifiedPolygon(nucleus,
                new Polygon(new Ring(new double[] {1, 1, 9, 1, 9, 7, 1, 7})));
        return new SegmentationModel(m.id(), "nuclei", 1234L, m.features(), m.classes(), m.forest(),
                List.of(new TrainingSnapshot("slice-01.png", 96, 80, List.of(region))));
    }

    @Test
    void aSavedModelLoadsBackAndPredictsTheSame() {
        SegmentationModel model = modelWithSnapshot();
        SegmentationModel loaded = ModelCodec.read(ModelCodec.write(model));

        assertThat(loaded.id()).isEqualTo(model.id());
        assertThat(loaded.name()).isEqualTo("nuclei");
        assertThat(loaded.createdAt()).isEqualTo(1234L);
        assertThat(loaded.features()).isEqualTo(model.features());
        assertThat(loaded.classes()).isEqualTo(model.classes());
        assertThat(loaded.training()).hasSize(1);
        assertThat(loaded.training().get(0).imageName()).isEqualTo("slice-01.png");
        assertThat(loaded.training().get(0).regions().get(0).polygon().area()).isEqualTo(48.0);
        byte[] a = new TilePredictor(model).predictWhole(SLIDE.rgb, false).classes().data();
        byte[] b = new TilePredictor(loaded).predictWhole(SLIDE.rgb, false).classes().data();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void aModelWithASlidesOwnStainVectorsKeepsThemThroughTheFile() {
        StainVectors own = new StainVectors(new StainVector("Hematoxylin", 0.607, 0.735, 0.302),
                new StainVector("Eosin", 0.282, 0.891, 0.356));
        SegmentationModel model = SLIDE.train(FeatureSettings.defaults().withStains(own));
        SegmentationModel loaded = ModelCodec.read(ModelCodec.write(model));
        assertThat(loaded.features().stains()).isEqualTo(own);
        assertThat(loaded.id()).isEqualTo(model.id()).isNotEqualTo(SLIDE.train(FeatureSettings.defaults()).id());
        assertThat(classesAndProbabilities(loaded)).isEqualTo(classesAndProbabilities(model));
    }

    private static byte[] classesAndProbabilities(SegmentationModel model) {
        TileResult r = new TilePredictor(model).predictWhole(SLIDE.rgb, true);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(r.classes().data().length + 4 * r.probabilities().plane(0).length);
        b.put(r.classes().data());
        for (float p : r.probabilities().plane(0)) {
            b.putFloat(p);
        }
        return b.array();
    }

    @Test
    void theIdDependsOnlyOnTheContent() {
        SegmentationModel model = modelWithSnapshot();
        assertThat(model.withName("other").id()).isEqualTo(model.id());
        assertThat(ModelCodec.contentId(model.features(), model.classes(), model.forest())).isEqualTo(model.id());
    }

    @Test
    void aForeignFileIsNamedAsSuch() {
        assertThatThrownBy(() -> ModelCodec.read("PK\u0003\u0004 a zip file".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a HistoDraw model");
    }

    @Test
    void aTruncatedFileIsReportedAsDamagedOrTruncated() {
        byte[] bytes = ModelCodec.write(modelWithSnapshot());
        assertThatThrownBy(() -> ModelCodec.read(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageMatching(".*(truncated|damaged).*");
    }

    @Test
    void aFlippedByteIsCaughtByTheChecksum() {
        byte[] bytes = ModelCodec.write(modelWithSnapshot());
        bytes[bytes.length / 2] ^= 0x40;
        assertThatThrownBy(() -> ModelCodec.read(bytes)).hasMessageContaining("damaged");
    }

    @Test
    void aNewerFormatVersionIsRefusedWithItsNumber() {
        byte[] bytes = ModelCodec.write(modelWithSnapshot());
        bytes[11] = 9;
        assertThatThrownBy(() -> ModelCodec.read(bytes)).hasMessageContaining("version 9");
    }
}
