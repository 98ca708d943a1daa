package org.histodraw.engine.forest;

import smile.classification.RandomForest.Options;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.ValueVector;
import smile.model.cart.SplitRule;

/** Smile's random forest on a {@link TrainingSet}, as a reference for ours (test only). */
final class SmileReference {
    private SmileReference() {
    }

    /**
     * Trains Smile's forest on {@code train} and returns its accuracy on {@code test}.
     *
     * @param nodeSize  Smile does not split nodes with fewer samples than this
     * @param subsample 1.0 = bootstrap of n draws with replacement; below 1 = that share without replacement
     */
    static double heldOutAccuracy(TrainingSet train, TrainingSet test, int trees, int maxDepth, int nodeSize,
                                  double subsample, long seed) {
        int[] predicted = fit(train, trees, maxDepth, nodeSize, subsample, seed).predict(frame(test));
        int right = 0;
        for (int i = 0; i < test.sampleCount(); i++) {
            if (predicted[i] == test.classOf(i)) {
                right++;
            }
        }
        return right / (double) test.sampleCount();
    }

    /**
     * Smile's forest with {@code trees} trees of at most {@code maxDepth} levels and floor(sqrt(F))
     * features per split.
     *
     * @param nodeSize  Smile does not split nodes with fewer samples than this
     * @param subsample 1.0 = bootstrap of n draws with replacement; below 1 = that share without replacement
     */
    static smile.classification.RandomForest fit(TrainingSet train, int trees, int maxDepth, int nodeSize,
                                                 double subsample, long seed) {
        DataFrame data = frame(train).add(ValueVector.of("y", classes(train)));
        long[] seeds = new long[trees];
        for (int i = 0; i < trees; i++) {
            seeds[i] = seed + i;
        }
        int mtry = Math.max(1, (int) Math.sqrt(train.featureCount()));
        Options options = new Options(trees, mtry, SplitRule.GINI, maxDepth, train.sampleCount(), nodeSize, subsample,
                null, seeds, null);
        return smile.classification.RandomForest.fit(Formula.lhs("y"), data, options);
    }

    static DataFrame frame(TrainingSet set) {
        double[][] rows = new double[set.sampleCount()][set.featureCount()];
        for (int i = 0; i < set.sampleCount(); i++) {
            for (int f = 0; f < set.featureCount(); f++) {
                rows[i][f] = set.value(i, f);
            }
        }
        String[] names = new String[set.featureCount()];
        for (int f = 0; f < names.length; f++) {
            names[f] = "f" + f;
        }
        return DataFrame.of(rows, names);
    }

    private static int[] classes(TrainingSet set) {
        int[] y = new int[set.sampleCount()];
        for (int i = 0; i < y.length; i++) {
            y[i] = set.classOf(i);
        }
        return y;
    }
}
