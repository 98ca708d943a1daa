package org.histodraw.engine.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class RandomForestTest {

    /** Samples of a labelling rule over uniform features in [0, 1). */
    interface Rule {
        int classOf(float[] x);
    }

    static TrainingSet sample(int n, int features, int classes, Rule rule, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n * features];
        int[] y = new int[n];
        float[] x = new float[features];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < features; f++) {
                x[f] = random.nextFloat();
                values[f * n + i] = x[f];
            }
            y[i] = rule.classOf(x);
        }
        return TrainingSet.of(values, y, features, classes);
    }

    private static final Rule STRIPES = x -> x[0] < 0.3f ? 1 : x[1] < 0.6f ? 2 : 3;

    static double accuracy(RandomForest forest, TrainingSet set) {
        float[] p = new float[forest.classCount()];
        int right = 0;
        for (int i = 0; i < set.sampleCount(); i++) {
            right += forest.predict(set.features(i), p) == set.classOf(i) ? 1 : 0;
        }
        return right / (double) set.sampleCount();
    }

    @Test
    void learnsASeparableProblemPerfectly() {
        TrainingSet train = sample(2000, 3, 3, STRIPES, 1);
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(20).build());

        assertThat(accuracy(forest, train)).isEqualTo(1.0);
        // fresh points away from the borders (closer ones may fall between two training samples)
        TrainingSet fresh = sample(3000, 3, 3, STRIPES, 2);
        List<Integer> clear = new ArrayList<>();
        for (int i = 0; i < fresh.sampleCount(); i++) {
            float[] x = fresh.features(i);
            if (Math.abs(x[0] - 0.3f) > 0.01f && Math.abs(x[1] - 0.6f) > 0.01f) {
                clear.add(i);
            }
        }
        TrainingSet away = fresh.select(clear.stream().mapToInt(Integer::intValue).toArray());
        assertThat(accuracy(forest, away)).isEqualTo(1.0);
        assertThat(forest.outOfBagAccuracy()).isGreaterThan(0.98);
    }

    @Test
    void probabilitiesSumToOneAndTheClassIsTheMostProbable() {
        TrainingSet train = sample(1500, 4, 3, x -> x[0] + 0.3f * x[2] < 0.5f ? 1 : x[1] < 0.5f ? 2 : 3, 3);
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(15).build());
        Raster features = SyntheticStack.features(0, 0, 40, 30, 4, 9);
        LabelRaster classes = LabelRaster.allocate(40, 30);
        Raster probs = Raster.allocate(40, 30, 3);
        forest.predict(features, classes, probs);

        for (int p = 0; p < 40 * 30; p++) {
            float sum = probs.plane(0)[p] + probs.plane(1)[p] + probs.plane(2)[p];
            assertThat(sum).isCloseTo(1f, within(1e-5f));
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (probs.plane(k)[p] > probs.plane(best)[p]) {
                    best = k;
                }
            }
            assertThat(classes.data()[p] & 0xff).isEqualTo(best + 1);
        }
    }

    @Test
    void classesAloneEqualTheClassesPredictedWithProbabilities() {
        // Without probabilities confident pixels stop early; their class must not change.
        for (int classes = 2; classes <= 4; classes++) {
            int k = classes;
            TrainingSet train = sample(3000, 6, k, x -> 1 + Math.min(k - 1, (int) ((x[0] + 0.5f * x[1]) * k / 1.5f)), 11 + k);
            for (int trees : new int[] {1, 2, 4, 7, 8, 20}) {
                RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(trees).build());
                assertClassesAloneEqualClassesWithProbabilities(forest, SyntheticStack.features(0, 0, 300, 40, 6, 12),
                        k + " classes, " + trees + " trees");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameForestAndAnotherSeedAnother() {
        TrainingSet train = sample(3000, 6, 2, x -> x[0] + x[1] + 0.4f * x[2] > 1.1f ? 2 : 1, 4);
        ForestSettings settings = ForestSettings.builder().trees(10).build();
        byte[] first = ForestCodec.toBytes(RandomForest.train(train, settings));
        byte[] again = ForestCodec.toBytes(RandomForest.train(train, settings));
        byte[] other = ForestCodec.toBytes(RandomForest.train(train, settings.toBuilder().seed(7).build()));

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void treesTrainedOnTwoThreadsInAnyOrderGiveTheSequentialForest() throws Exception {
        TrainingSet train = sample(4000, 8, 3, STRIPES, 5);
        ForestSettings settings = ForestSettings.builder().trees(12).build();
        byte[] sequential = ForestCodec.toBytes(RandomForest.train(train, settings));

        ForestTrainer trainer = new ForestTrainer(train, settings);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<DecisionTree> trees = new ArrayList<>();
        try {
            List<Future<DecisionTree>> jobs = new ArrayList<>();
            for (int i = trainer.treeCount() - 1; i >= 0; i--) {
                int tree = i;
                jobs.add(pool.submit(() -> trainer.trainTree(tree)));
            }
            for (Future<DecisionTree> job : jobs) {
                trees.add(job.get());
            }
        } finally {
            pool.shutdown();
        }
        Collections.shuffle(trees, new Random(1));
        assertThat(ForestCodec.toBytes(trainer.assemble(trees))).isEqualTo(sequential);
    }

    @Test
    void assemblyRejectsForeignAndRepeatedTrees() {
        TrainingSet train = sample(500, 3, 3, STRIPES, 6);
        ForestTrainer a = new ForestTrainer(train, ForestSettings.builder().trees(3).build());
        ForestTrainer b = new ForestTrainer(train, ForestSettings.builder().trees(3).build());
        DecisionTree tree = a.trainTree(0);
        assertThatThrownBy(() -> b.assemble(List.of(tree))).hasMessageContaining("another trainer");
        assertThatThrownBy(() -> a.assemble(List.of(tree, tree))).hasMessageContaining("tree 0 appears twice");
        assertThatThrownBy(() -> a.trainTree(3)).hasMessageContaining("0..2: 3");
    }

    @Test
    void balancedWeightsFindARareClassThatPlainWeightsMiss() {
        // 1:50 imbalance, overlapping clouds: the rare class is outvoted in mixed leaves unless weighted
        Random random = new Random(8);
        int common = 5000;
        int rare = 100;
        TrainingSet train = clouds(random, common, rare);
        TrainingSet test = clouds(random, 2000, 2000);
        ForestSettings settings = ForestSettings.builder().trees(30).maxDepth(8).minSamplesLeaf(10).build();
        double[] plain = recalls(RandomForest.train(train, settings.toBuilder().balanceClasses(false).build()), test);
        double[] balanced = recalls(RandomForest.train(train, settings), test);

        assertThat(balanced[1]).isGreaterThan(plain[1] + 0.15);
        assertThat((balanced[0] + balanced[1]) / 2).isGreaterThan((plain[0] + plain[1]) / 2 + 0.03);
    }

    private static TrainingSet clouds(Random random, int common, int rare) {
        int n = common + rare;
        float[] values = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean isRare = i >= common;
            y[i] = isRare ? 2 : 1;
            double shift = isRare ? 1.5 : 0;
            values[i] = (float) (random.nextGaussian() + shift);
            values[n + i] = (float) (random.nextGaussian() + shift);
            values[2 * n + i] = random.nextFloat();
            values[3 * n + i] = random.nextFloat();
        }
        return TrainingSet.of(values, y, 4, 2);
    }

    private static double[] recalls(RandomForest forest, TrainingSet test) {
        int[] right = new int[2];
        int[] total = new int[2];
        float[] p = new float[2];
        for (int i = 0; i < test.sampleCount(); i++) {
            int truth = test.classOf(i) - 1;
            total[truth]++;
            right[truth] += forest.predict(test.features(i), p) - 1 == truth ? 1 : 0;
        }
        return new double[] {right[0] / (double) total[0], right[1] / (double) total[1]};
    }

    @Test
    void outOfBagAccuracyIsCloseToHeldOutAccuracy() {
        Rule noisy = new Rule() {
            final Random noise = new Random(10);

            @Override
            public int classOf(float[] x) {
                return x[0] + x[1] + 0.35 * noise.nextGaussian() > 1 ? 2 : 1;
            }
        };
        TrainingSet train = sample(4000, 6, 2, noisy, 11);
        TrainingSet test = sample(20000, 6, 2, noisy, 12);
        // Each sample is judged by the trees that did not draw it, about a third of them: with the
        // default 8 trees that is too few votes for a fair estimate, so this forest has 20.
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(20).build());

        double heldOut = accuracy(forest, test);
        assertThat(heldOut).isBetween(0.7, 0.95);
        assertThat(forest.outOfBagAccuracy()).isCloseTo(heldOut, within(0.02));
        double[] perClass = forest.outOfBagAccuracyPerClass();
        assertThat(perClass).hasSize(2);
        assertThat(perClass[0]).isBetween(0.6, 1.0);
        assertThat(perClass[1]).isBetween(0.6, 1.0);
    }

    @Test
    void importancesRankTheInformativeFeaturesAboveNoise() {
        TrainingSet train = sample(3000, 5, 2, x -> x[3] > 0.5f ? 2 : 1, 13);
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(20).build());
        double[] importance = forest.featureImportances();

        assertThat(importance).hasSize(5);
        assertThat(importance[0] + importance[1] + importance[2] + importance[3] + importance[4])
                .isCloseTo(1.0, within(1e-9));
        for (int f : new int[] {0, 1, 2, 4}) {
            assertThat(importance[3]).isGreaterThan(5 * importance[f]);
        }
    }

    @Test
    void aRegionOfTheFeaturesPredictsAsTheWholeImageDoes() {
        TrainingSet train = sample(2000, 8, 3, STRIPES, 14);
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(10).build());
        Raster features = SyntheticStack.features(0, 0, 300, 40, 8, 15);
        LabelRaster wholeClasses = LabelRaster.allocate(300, 40);
        Raster wholeProbs = Raster.allocate(300, 40, 3);
        forest.predict(features, wholeClasses, wholeProbs);

        PixelRegion inner = new PixelRegion(13, 7, 270, 25);
        LabelRaster classes = LabelRaster.allocate(inner.width(), inner.height());
        Raster probs = Raster.allocate(inner.width(), inner.height(), 3);
        forest.predict(features, inner, classes, probs);

        for (int y = 0; y < inner.height(); y++) {
            for (int x = 0; x < inner.width(); x++) {
                assertThat(classes.get(x, y)).isEqualTo(wholeClasses.get(x + inner.x(), y + inner.y()));
                for (int k = 0; k < 3; k++) {
                    assertThat(probs.get(k, x, y)).isEqualTo(wholeProbs.get(k, x + inner.x(), y + inner.y()));
                }
            }
        }
        LabelRaster onlyClasses = LabelRaster.allocate(inner.width(), inner.height());
        forest.predict(features, inner, onlyClasses, null);
        assertThat(onlyClasses.data()).isEqualTo(classes.data());
    }

    @Test
    void deepTreesPredictInBlocksAsOnePixelAtATime() {
        // noisy labels grow deep trees, exercising the walk that drops finished pixels
        Rule noisy = new Rule() {
            final Random noise = new Random(16);

            @Override
            public int classOf(float[] x) {
                return noise.nextInt(10) == 0 ? 1 + noise.nextInt(3) : STRIPES.classOf(x);
            }
        };
        TrainingSet train = sample(6000, 5, 3, noisy, 17);
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(8).maxDepth(30).build());
        int deepest = 0;
        for (int t = 0; t < forest.treeCount(); t++) {
            deepest = Math.max(deepest, forest.treeDepth(t));
        }
        assertThat(deepest).isGreaterThan(16);

        Raster features = Raster.allocate(300, 4, 5);
        Random random = new Random(18);
        for (int c = 0; c < 5; c++) {
            for (int i = 0; i < 1200; i++) {
                features.plane(c)[i] = random.nextFloat();
            }
        }
        LabelRaster classes = LabelRaster.allocate(300, 4);
        Raster probs = Raster.allocate(300, 4, 3);
        forest.predict(features, classes, probs);
        float[] x = new float[5];
        float[] p = new float[3];
        for (int i = 0; i < 1200; i++) {
            for (int c = 0; c < 5; c++) {
                x[c] = features.plane(c)[i];
            }
            assertThat(forest.predict(x, p)).isEqualTo(classes.data()[i] & 0xff);
            for (int k = 0; k < 3; k++) {
                assertThat(p[k]).isEqualTo(probs.plane(k)[i]);
            }
        }
    }

    @Test
    void classesAloneEqualTheClassesWithProbabilitiesWhereTreesDisagree() {
        // Noisy labels: pure trees that often split 4 to 4, the case where a lead of exactly the
        // trees left decides for class 1 only.
        for (int classes = 2; classes <= 3; classes++) {
            int k = classes;
            Random noise = new Random(7);
            TrainingSet train = sample(2000, 4, k, x -> 1 + Math.floorMod((int) (x[0] * 3 + noise.nextGaussian()), k), 5 + k);
            for (int trees : new int[] {2, 4, 6, 8}) {
                RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(trees).build());
                assertClassesAloneEqualClassesWithProbabilities(forest, SyntheticStack.features(0, 0, 256, 64, 4, 3),
                        k + " noisy classes, " + trees + " trees");
            }
        }
    }

    @Test
    void pixelsAskedForAloneGetTheClassOfTheWholePredictionAndTheOthersAreLeftAlone() {
        Random noise = new Random(11);
        TrainingSet train = sample(2000, 4, 3, x -> 1 + Math.floorMod((int) (x[0] * 3 + noise.nextGaussian()), 3), 9);
        RandomForest forest = RandomForest.train(train, ForestSettings.builder().trees(8).build());
        Raster features = SyntheticStack.features(0, 0, 300, 70, 4, 3);
        LabelRaster whole = LabelRaster.allocate(300, 70);
        forest.classify(features, whole);
        Random pick = new Random(3);
        for (double share : new double[] {0, 0.02, 0.5, 1}) {
            boolean[] wanted = new boolean[300 * 70];
            for (int i = 0; i < wanted.length; i++) {
                wanted[i] = pick.nextDouble() < share;
            }
            LabelRaster some = LabelRaster.allocate(300, 70);
            java.util.Arrays.fill(some.data(), (byte) 9);
            forest.classifyWhere(features, wanted, some);
            for (int i = 0; i < wanted.length; i++) {
                assertThat(some.data()[i]).as("pixel %d of share %s", i, share).isEqualTo(wanted[i] ? whole.data()[i] : 9);
            }
        }
        assertThatThrownBy(() -> forest.classifyWhere(features, new boolean[10], LabelRaster.allocate(300, 70)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300 x 70");
    }

    private static void assertClassesAloneEqualClassesWithProbabilities(RandomForest forest, Raster features,
                                                                        String what) {
        int w = features.width(), h = features.height();
        LabelRaster alone = LabelRaster.allocate(w, h);
        LabelRaster withProbabilities = LabelRaster.allocate(w, h);
        forest.classify(features, alone);
        forest.predict(features, withProbabilities, Raster.allocate(w, h, forest.classCount()));
        assertThat(alone.data()).as(what).isEqualTo(withProbabilities.data());
    }

    @Test
    void tiesGoToTheLowestClass() {
        // one tree, a root leaf that cannot choose between classes 2 and 3
        RandomForest forest = new RandomForest(ForestSettings.builder().trees(1).build(), 1, 3, new int[] {0},
                new int[] {0}, new int[] {0}, new float[] {Float.POSITIVE_INFINITY}, new int[] {0}, new int[] {0},
                new float[] {0.2f, 0.4f, 0.4f}, Double.NaN, new double[] {Double.NaN, Double.NaN, Double.NaN},
                new double[] {0});
        float[] p = new float[3];
        assertThat(forest.predict(new float[] {1}, p)).isEqualTo(2);
        LabelRaster classes = LabelRaster.allocate(2, 1);
        forest.classify(Raster.allocate(2, 1, 1), classes);
        assertThat(classes.data()).containsExactly(2, 2);
    }

    @Test
    void nanCountsAsTheLowestValueInTrainingAndPredictionAlike() {
        int n = 400;
        float[] values = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0 ? 1 : 2;
            values[i] = y[i] == 1 ? (i % 10 == 0 ? Float.NaN : i / 1000f) : 2 + i / 1000f;
        }
        RandomForest forest = RandomForest.train(TrainingSet.of(values, y, 1, 2), ForestSettings.builder().trees(5).build());
        float[] p = new float[2];
        assertThat(forest.predict(new float[] {Float.NaN}, p)).isEqualTo(1);
        assertThat(forest.predict(new float[] {Float.NEGATIVE_INFINITY}, p)).isEqualTo(1);
        assertThat(forest.predict(new float[] {Float.POSITIVE_INFINITY}, p)).isEqualTo(2);
        assertThat(forest.outOfBagAccuracy()).isEqualTo(1.0);
    }

    @Test
    void aFeatureStackOfTheWrongShapeIsRejected() {
        RandomForest forest = RandomForest.train(sample(300, 3, 3, STRIPES, 19), ForestSettings.builder().trees(2).build());
        assertThatThrownBy(() -> forest.classify(Raster.allocate(4, 4, 2), LabelRaster.allocate(4, 4)))
                .hasMessageContaining("expects 3 feature planes, got 2");
        assertThatThrownBy(() -> forest.classify(Raster.allocate(4, 4, 3), LabelRaster.allocate(4, 5)))
                .hasMessageContaining("4 x 5");
        assertThatThrownBy(() -> forest.predictProbabilities(Raster.allocate(4, 4, 3), Raster.allocate(4, 4, 2)))
                .hasMessageContaining("needs 3 planes, got 2");
        assertThatThrownBy(() -> forest.predict(Raster.allocate(4, 4, 3), new PixelRegion(2, 2, 4, 4),
                LabelRaster.allocate(4, 4), null)).hasMessageContaining("not inside");
    }
}
