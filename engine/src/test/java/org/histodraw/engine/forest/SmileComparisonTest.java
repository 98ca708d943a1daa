package org.histodraw.engine.forest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

/**
 * Our forest against Smile's on the same features and comparable settings (50 trees, sqrt features
 * per split, depth 16, bootstrap of n, no class weights): our held-out accuracy must be at most one
 * point below Smile's. Real H&amp;E pixels when the shared data is there, a synthetic stack otherwise.
 */
class SmileComparisonTest {

    @Test
    void ourHeldOutAccuracyIsWithinOnePointOfSmiles() {
        TrainingSet train;
        TrainingSet test;
        String data;
        File dir = GbmNuclei.folder();
        if (dir != null) {
            // train on images 1-3, test on images 11-12: other slides, other staining
            train = nucleiPixels(dir, new int[] {1, 2, 3}, 20);
            test = nucleiPixels(dir, new int[] {11, 12}, 10);
            data = "gbm-nuclei";
        } else {
            train = syntheticPixels(0, 24);
            test = syntheticPixels(3000, 10);
            data = "synthetic";
        }
        ForestSettings ours = ForestSettings.builder().maxDepth(16).maxSamplesPerTree(0).balanceClasses(false).build();
        RandomForest forest = RandomForest.train(train, ours);
        double ourAccuracy = RandomForestTest.accuracy(forest, test);
        double smileAccuracy = SmileReference.heldOutAccuracy(train, test, 50, 16, 2, 1.0, 42);

        System.err.printf("%s, %d training / %d held-out pixels: ours %.4f, Smile %.4f%n", data,
                train.sampleCount(), test.sampleCount(), ourAccuracy, smileAccuracy);
        assertThat(ourAccuracy).isGreaterThan(0.8);
        assertThat(ourAccuracy).isGreaterThanOrEqualTo(smileAccuracy - 0.01);
    }

    private static TrainingSet nucleiPixels(File dir, int[] images, int every) {
        List<TrainingSet> sets = new ArrayList<>();
        for (int image : images) {
            Raster features = GbmNuclei.features(GbmNuclei.rgb(dir, image));
            sets.add(everyNth(TrainingSet.fromLabels(features, GbmNuclei.truth(dir, image), 2), every));
        }
        return TrainingSet.concat(sets);
    }

    private static TrainingSet syntheticPixels(int x0, int every) {
        Raster features = SyntheticStack.features(x0, 0, 512, 512, 12, 3);
        return everyNth(TrainingSet.fromLabels(features, SyntheticStack.truth(x0, 0, 512, 512), 3), every);
    }

    /** Every n-th pixel, shifted a little from row to row so the picks do not line up in columns. */
    private static TrainingSet everyNth(TrainingSet set, int n) {
        int[] picks = new int[set.sampleCount() / n];
        for (int j = 0; j < picks.length; j++) {
            picks[j] = j * n + j % 7 % n;
        }
        return set.select(picks);
    }
}
