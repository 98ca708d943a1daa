package org.histodraw.engine.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

    private static Raster stack(int w, int h, int planes) {
        Raster r = Raster.allocate(w, h, planes);
        for (int c = 0; c < planes; c++) {
            for (int i = 0; i < w * h; i++) {
                r.plane(c)[i] = c * 100 + i;
            }
        }
        return r;
    }

    @Test
    void fromLabelsGathersEveryLabelledPixelInRowOrder() {
        LabelRaster labels = LabelRaster.allocate(3, 2);
        labels.set(2, 0, 1);
        labels.set(0, 1, 2);
        labels.set(1, 1, 1);
        TrainingSet set = TrainingSet.fromLabels(stack(3, 2, 2), labels);

        assertThat(set.sampleCount()).isEqualTo(3);
        assertThat(set.featureCount()).isEqualTo(2);
        assertThat(set.classCount()).isEqualTo(2);
        assertThat(set.classOf(0)).isEqualTo(1);
        assertThat(set.features(0)).containsExactly(2f, 102f);
        assertThat(set.classOf(1)).isEqualTo(2);
        assertThat(set.features(1)).containsExactly(3f, 103f);
        assertThat(set.features(2)).containsExactly(4f, 104f);
        assertThat(set.classCounts()).containsExactly(2, 1);
    }

    @Test
    void noLabelledPixelsIsAnError() {
        assertThatThrownBy(() -> TrainingSet.fromLabels(stack(3, 2, 2), LabelRaster.allocate(3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no labelled pixels");
    }

    @Test
    void featuresAndLabelsOfDifferentSizesAreAnError() {
        assertThatThrownBy(() -> TrainingSet.fromLabels(stack(3, 2, 2), LabelRaster.allocate(2, 3)))
                .hasMessageContaining("3 x 2").hasMessageContaining("2 x 3");
    }

    @Test
    void aLabelAboveTheClassCountIsAnError() {
        LabelRaster labels = LabelRaster.allocate(3, 2);
        labels.set(0, 0, 4);
        assertThatThrownBy(() -> TrainingSet.fromLabels(stack(3, 2, 1), labels, 3))
                .hasMessageContaining("label 4").hasMessageContaining("class count 3");
    }

    @Test
    void concatKeepsTheOrderAndTheLargestClassCount() {
        TrainingSet a = TrainingSet.of(new float[] {1, 2, 10, 20}, new int[] {1, 2}, 2, 2);
        TrainingSet b = TrainingSet.of(new float[] {3, 30}, new int[] {3}, 2, 3);
        TrainingSet ab = TrainingSet.concat(a, b);

        assertThat(ab.sampleCount()).isEqualTo(3);
        assertThat(ab.classCount()).isEqualTo(3);
        assertThat(ab.features(2)).containsExactly(3f, 30f);
        assertThat(ab.features(1)).containsExactly(2f, 20f);
        assertThat(ab.classOf(2)).isEqualTo(3);
    }

    @Test
    void concatRejectsDifferentFeatureCounts() {
        TrainingSet a = TrainingSet.of(new float[] {1, 2}, new int[] {1, 2}, 1, 2);
        TrainingSet b = TrainingSet.of(new float[] {3, 30}, new int[] {1}, 2, 2);
        assertThatThrownBy(() -> TrainingSet.concat(a, b)).hasMessageContaining("training set 1 has 2 features");
    }

    @Test
    void aClassListLargerThanTheClassesDrawnIsKept() {
        TrainingSet a = TrainingSet.of(new float[] {1, 2}, new int[] {1, 2}, 1, 2).withClassCount(4);
        assertThat(a.classCount()).isEqualTo(4);
        assertThat(a.classCounts()).containsExactly(1, 1, 0, 0);
        assertThatThrownBy(() -> a.withClassCount(1)).hasMessageContaining("below the highest class present, 2");
    }

    @Test
    void valuesAndClassesMustAgree() {
        assertThatThrownBy(() -> TrainingSet.of(new float[] {1, 2, 3}, new int[] {1, 2}, 2, 2))
                .hasMessageContaining("need 4 values, got 3");
        assertThatThrownBy(() -> TrainingSet.of(new float[] {1, 2}, new int[] {1, 0}, 1, 2))
                .hasMessageContaining("sample 1 has class 0");
    }

    @Test
    void trainingOnASingleClassFailsClearly() {
        TrainingSet one = TrainingSet.of(new float[] {1, 2, 3}, new int[] {2, 2, 2}, 1, 2);
        assertThatThrownBy(() -> new ForestTrainer(one, ForestSettings.defaults()))
                .hasMessageContaining("only one class present (class 2)");
    }
}
