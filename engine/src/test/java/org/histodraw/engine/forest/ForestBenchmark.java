package org.histodraw.engine.forest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Not a unit test: training and prediction speed of the forest with default settings, and Smile's
 * prediction speed for comparison.
 * <pre>
 *   ./mvnw -q -o -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -Xmx3g -cp engine/target/classes:engine/target/test-classes:$(cat engine/target/cp.txt) \
 *       [-Dforest.depth=10 -Dforest.samples=10000] org.histodraw.engine.forest.ForestBenchmark [threads] [rounds] [train-only]
 * </pre>
 * Training: 200,000 labelled pixels x 60 features of a structured synthetic stack. Prediction: a
 * 4096 x 4096 image, as 64 tiles of 512 x 512 x 60 features (the whole stack would need 4 GB).
 */
public final class ForestBenchmark {
    private static final int FEATURES = 60;

    /** Both forests trained on the same 20,000 samples, same trees and depth; prediction of one 512 x 512 tile. */
    private static void compareWithSmile(TrainingSet set, Raster tile, ForestSettings base) {
        int[] picks = new int[20_000];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = i * (set.sampleCount() / picks.length);
        }
        TrainingSet small = set.select(picks);
        ForestSettings settings = base.toBuilder().maxSamplesPerTree(0).balanceClasses(false).build();
        RandomForest ours = RandomForest.train(small, settings);
        smile.classification.RandomForest smile = SmileReference.fit(small, settings.trees(), settings.maxDepth(), 2, 1.0, 1);
        LabelRaster all = LabelRaster.allocate(tile.width(), tile.height());
        java.util.Arrays.fill(all.data(), (byte) 1);
        TrainingSet pixels = TrainingSet.fromLabels(tile, all);
        smile.data.DataFrame frame = SmileReference.frame(pixels);
        LabelRaster classes = LabelRaster.allocate(tile.width(), tile.height());
        for (int round = 0; round < 2; round++) {
            long a = System.nanoTime();
            ours.classify(tile, classes);
            long b = System.nanoTime();
            int[] predicted = smile.predict(frame);
            long c = System.nanoTime();
            int agree = 0;
            for (int p = 0; p < predicted.length; p++) {
                agree += predicted[p] == (classes.data()[p] & 0xff) ? 1 : 0;
            }
            double mpx = tile.pixelCount() / 1e6;
            System.out.printf("one 512x512 tile, same 20k samples, %d trees of depth <= %d, 1 thread: ours %.2f Mpx/s, "
                    + "Smile %.2f Mpx/s (classes agree on %.1f%%)%n", settings.trees(), settings.maxDepth(),
                    mpx / ((b - a) / 1e9), mpx / ((c - b) / 1e9), 100.0 * agree / predicted.length);
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean predict = args.length <= 2 || !args[2].equals("train-only");
        // -Dforest.depth=10 -Dforest.samples=10000: the scikit-learn reference stack's trees
        ForestSettings settings = ForestSettings.defaults();
        settings = settings.toBuilder().maxDepth(Integer.getInteger("forest.depth", settings.maxDepth()))
                .maxSamplesPerTree(Integer.getInteger("forest.samples", settings.maxSamplesPerTree())).build();

        // 200k training pixels: a 1000 x 200 strip at scattered places
        long t0 = System.nanoTime();
        List<TrainingSet> parts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Raster f = SyntheticStack.features(i * 900, i * 700, 1000, 50, FEATURES, 7);
            parts.add(TrainingSet.fromLabels(f, SyntheticStack.truth(i * 900, i * 700, 1000, 50)));
        }
        TrainingSet set = TrainingSet.concat(parts);
        System.out.printf("training set: %d samples x %d features (made in %.0f ms)%n", set.sampleCount(),
                set.featureCount(), (System.nanoTime() - t0) / 1e6);

        RandomForest forest = null;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                long a = System.nanoTime();
                forest = RandomForest.train(set, settings);
                long b = System.nanoTime();
                ForestTrainer trainer = new ForestTrainer(set, settings);
                long c = System.nanoTime();
                List<Future<DecisionTree>> futures = new ArrayList<>();
                for (int i = 0; i < trainer.treeCount(); i++) {
                    int tree = i;
                    futures.add(pool.submit(() -> trainer.trainTree(tree)));
                }
                List<DecisionTree> trees = new ArrayList<>();
                for (Future<DecisionTree> f : futures) {
                    trees.add(f.get());
                }
                RandomForest parallel = trainer.assemble(trees);
                long d = System.nanoTime();
                System.out.printf("train: sequential %.0f ms, %d threads %.0f ms (binning %.0f ms); OOB %.4f; nodes %d%n",
                        (b - a) / 1e6, threads, (d - b) / 1e6, (c - b) / 1e6, parallel.outOfBagAccuracy(),
                        parallel.nodeCount());
            }
        } finally {
            pool.shutdown();
        }
        int maxDepth = 0;
        for (int t = 0; t < forest.treeCount(); t++) {
            maxDepth = Math.max(maxDepth, forest.treeDepth(t));
        }
        System.out.printf("forest: %d trees, %d nodes, deepest %d%n", forest.treeCount(), forest.nodeCount(), maxDepth);

        if (!predict) {
            return;
        }
        // prediction: 4096 x 4096 as 64 tiles; 4 distinct feature tiles reused
        int tile = 512;
        Raster[] tiles = new Raster[4];
        for (int i = 0; i < tiles.length; i++) {
            tiles[i] = SyntheticStack.features(5000 + i * tile, 3000, tile, tile, FEATURES, 11);
        }
        LabelRaster truth0 = SyntheticStack.truth(5000, 3000, tile, tile);
        LabelRaster check = LabelRaster.allocate(tile, tile);
        forest.classify(tiles[0], check);
        long right = 0;
        for (int p = 0; p < check.data().length; p++) {
            right += check.data()[p] == truth0.data()[p] ? 1 : 0;
        }
        System.out.printf("held-out accuracy on a tile: %.4f%n", right / (double) check.data().length);
        RandomForest model = forest;
        compareWithSmile(set, tiles[0], settings);
        for (int round = 0; round < rounds; round++) {
            for (int th : new int[] {1, threads}) {
                ExecutorService p = Executors.newFixedThreadPool(th);
                long a = System.nanoTime();
                List<Future<?>> jobs = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    Raster features = tiles[i % tiles.length];
                    jobs.add(p.submit(() -> {
                        LabelRaster classes = LabelRaster.allocate(tile, tile);
                        Raster probs = Raster.allocate(tile, tile, model.classCount());
                        model.predict(features, PixelRegion.of(tile, tile), classes, probs);
                    }));
                }
                for (Future<?> j : jobs) {
                    j.get();
                }
                long b = System.nanoTime();
                p.shutdown();
                double s = (b - a) / 1e9;
                System.out.printf("predict 4096x4096 (classes + probabilities), %d thread(s): %.2f s = %.1f Mpx/s%n",
                        th, s, 4096.0 * 4096 / 1e6 / s);
            }
        }
    }
}
