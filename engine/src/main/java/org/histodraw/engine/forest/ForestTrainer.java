package org.histodraw.engine.forest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Trains a {@link RandomForest} tree by tree, so the caller decides how to spread the trees over
 * threads or workers:
 * <pre>
 *   ForestTrainer trainer = new ForestTrainer(set, settings);   // bins the features once
 *   List&lt;DecisionTree&gt; trees = ...trainer.trainTree(i) for i in 0..trainer.treeCount()-1, in any order, on any thread...
 *   RandomForest forest = trainer.assemble(trees);
 * </pre>
 *
 * <p>Guarantees: {@link #trainTree(int)} is a pure function of the training set, the settings and
 * {@code i} (tree {@code i}'s randomness comes from the seed and {@code i} alone), and is safe to
 * call from several threads at once. The same trees assembled give the same forest, bit for bit.
 *
 * <p>How a tree grows: a bootstrap of {@code samplesPerTree} draws with replacement; at every node
 * up to {@code featuresPerSplit} random features (constant ones do not count) are searched for the
 * split with the lowest weighted Gini impurity; features are pre-binned to at most 256 quantile
 * bins, and a split's threshold is the raw value at a bin edge, so prediction on raw features
 * matches training exactly. A node becomes a leaf when it is pure, at {@code maxDepth}, too small to
 * give {@code minSamplesLeaf} to both sides, or when no split exists. Leaves hold the weighted class
 * distribution of their samples.
 *
 * <p>Not guaranteed: the same trees as scikit-learn or Smile for the same seed; splits finer than
 * the 256 bins of a feature.
 */
public final class ForestTrainer {
    /** Training samples, at most, on which the out-of-bag accuracy is estimated. */
    static final int OOB_SAMPLE_LIMIT = 20_000;

    private final ForestSettings settings;
    private final int sampleCount;
    private final int featureCount;
    private final int classCount;
    private final int featuresPerSplit;
    private final int samplesPerTree;
    private final FeatureBins bins;
    private final int[] y;
    private final int[] classCounts;
    private final double[] classWeight;
    private final int[] oobSamples;

    public ForestTrainer(TrainingSet set, ForestSettings settings) {
        Objects.requireNonNull(set, "training set");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sampleCount = set.sampleCount();
        this.featureCount = set.featureCount();
        this.classCount = set.classCount();
        this.featuresPerSplit = settings.featuresPerSplit(featureCount);
        this.samplesPerTree = settings.samplesPerTree(sampleCount);
        this.classCounts = set.classCounts();
        int present = 0;
        int onlyClass = 0;
        for (int k = 0; k < classCount; k++) {
            if (classCounts[k] > 0) {
                present++;
                onlyClass = k + 1;
            }
        }
        if (present < 2) {
            throw new IllegalArgumentException("only one class present (class " + onlyClass
                    + "): label pixels of at least two classes");
        }
        int[] classes = set.classes();
        this.y = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++) {
            y[i] = classes[i] - 1;
        }
        this.classWeight = new double[classCount];
        for (int k = 0; k < classCount; k++) {
            if (classCounts[k] > 0) {
                classWeight[k] = settings.balanceClasses() ? (double) sampleCount / ((double) present * classCounts[k]) : 1;
            }
        }
        this.oobSamples = oobSamples(classCounts, present);
        this.bins = FeatureBins.of(set);
    }

    /** A class-stratified, evenly spread subset of the samples (all of them when there are few). */
    private int[] oobSamples(int[] counts, int present) {
        if (sampleCount <= OOB_SAMPLE_LIMIT) {
            int[] all = new int[sampleCount];
            for (int i = 0; i < sampleCount; i++) {
                all[i] = i;
            }
            return all;
        }
        int quota = (OOB_SAMPLE_LIMIT + present - 1) / present;
        int[] seen = new int[classCount];
        int[] taken = new int[classCount];
        int[] out = new int[Math.min(sampleCount, quota * present)];
        int m = 0;
        for (int i = 0; i < sampleCount; i++) {
            int k = y[i];
            int want = Math.min(quota, counts[k]);
            // take the j-th wanted sample at rank floor(j * count / want)
            if (taken[k] < want && seen[k] == (int) ((long) taken[k] * counts[k] / want)) {
                out[m++] = i;
                taken[k]++;
            }
            seen[k]++;
        }
        return Arrays.copyOf(out, m);
    }

    public ForestSettings settings() {
        return settings;
    }

    public int treeCount() {
        return settings.trees();
    }

    /** Grows tree {@code i} (0-based, below {@link #treeCount()}). Thread-safe; allocates its own scratch. */
    public DecisionTree trainTree(int i) {
        if (i < 0 || i >= settings.trees()) {
            throw new IllegalArgumentException("tree index must be 0.." + (settings.trees() - 1) + ": " + i);
        }
        SplitMix64 random = SplitMix64.forTree(settings.seed(), i);
        int[] drawn = new int[sampleCount];
        for (int d = 0; d < samplesPerTree; d++) {
            drawn[random.nextInt(sampleCount)]++;
        }
        int[] idx = new int[samplesPerTree];
        for (int s = 0, p = 0; s < sampleCount; s++) {
            for (int c = drawn[s]; c > 0; c--) {
                idx[p++] = s;
            }
        }
        TreeGrower.Grown g = new TreeGrower(bins, y, classWeight, classCount, featuresPerSplit,
                settings.minSamplesLeaf(), settings.maxDepth(), random).grow(idx);

        int[] oobLeaf = new int[oobSamples.length];
        int[] left = g.left();
        int[] feature = g.feature();
        int[] bin = g.bin();
        for (int j = 0; j < oobSamples.length; j++) {
            int s = oobSamples[j];
            if (drawn[s] != 0) {
                oobLeaf[j] = -1;
                continue;
            }
            // the walk of prediction, on bins: a fixed number of steps, leaves point to themselves
            int node = 0;
            for (int d = g.depth(); d > 0; d--) {
                node = left[node] + ((bins.column(feature[node])[s] & 0xff) > bin[node] ? 1 : 0);
            }
            oobLeaf[j] = g.leaf()[node];
        }
        return new DecisionTree(this, i, classCount, g.feature(), g.bin(), g.threshold(), g.left(), g.leaf(),
                g.distributions(), g.depth(), g.impurityDecrease(), oobLeaf);
    }

    /**
     * The forest of the given trees, ordered by index whatever the list order. Any non-empty set
     * of distinct trees of this trainer will do (fewer than {@link #treeCount()} after a cancel).
     * Computes the out-of-bag accuracy and the feature importances.
     */
    public RandomForest assemble(List<DecisionTree> trees) {
        Objects.requireNonNull(trees, "trees");
        if (trees.isEmpty()) {
            throw new IllegalArgumentException("a forest needs at least one tree");
        }
        DecisionTree[] byIndex = new DecisionTree[settings.trees()];
        for (DecisionTree t : trees) {
            Objects.requireNonNull(t, "tree");
            if (t.origin != this) {
                throw new IllegalArgumentException("tree " + t.index + " was trained by another trainer");
            }
            if (byIndex[t.index] != null) {
                throw new IllegalArgumentException("tree " + t.index + " appears twice");
            }
            byIndex[t.index] = t;
        }
        List<DecisionTree> ordered = new ArrayList<>(trees.size());
        for (DecisionTree t : byIndex) {
            if (t != null) {
                ordered.add(t);
            }
        }
        return new RandomForest(settings, featureCount, classCount, ordered, outOfBag(ordered), importances(ordered));
    }

    /** Sequential convenience: every tree, one after the other. */
    public RandomForest train() {
        List<DecisionTree> trees = new ArrayList<>(settings.trees());
        for (int i = 0; i < settings.trees(); i++) {
            trees.add(trainTree(i));
        }
        return assemble(trees);
    }

    /**
     * Out-of-bag recall per class, then the accuracy as the class-frequency-weighted mean of the
     * recalls (equal to plain accuracy when every sample is evaluated, and unbiased for the
     * stratified subset otherwise). Element {@code classCount} of the result is the accuracy.
     */
    private double[] outOfBag(List<DecisionTree> trees) {
        int[] evaluated = new int[classCount];
        int[] correct = new int[classCount];
        double[] votes = new double[classCount];
        for (int j = 0; j < oobSamples.length; j++) {
            Arrays.fill(votes, 0);
            boolean any = false;
            for (DecisionTree t : trees) {
                int leaf = t.oobLeaf[j];
                if (leaf >= 0) {
                    any = true;
                    int base = leaf * classCount;
                    for (int k = 0; k < classCount; k++) {
                        votes[k] += t.distributions[base + k];
                    }
                }
            }
            if (!any) {
                continue;
            }
            int best = 0;
            for (int k = 1; k < classCount; k++) {
                if (votes[k] > votes[best]) {
                    best = k;
                }
            }
            int truth = y[oobSamples[j]];
            evaluated[truth]++;
            if (best == truth) {
                correct[truth]++;
            }
        }
        double[] out = new double[classCount + 1];
        double accuracy = 0;
        double weight = 0;
        for (int k = 0; k < classCount; k++) {
            if (evaluated[k] == 0) {
                out[k] = Double.NaN;
                continue;
            }
            out[k] = (double) correct[k] / evaluated[k];
            accuracy += out[k] * classCounts[k];
            weight += classCounts[k];
        }
        out[classCount] = weight == 0 ? Double.NaN : accuracy / weight;
        return out;
    }

    /** Mean over trees of each tree's normalised Gini decrease, normalised to sum 1. */
    private double[] importances(List<DecisionTree> trees) {
        double[] sum = new double[featureCount];
        for (DecisionTree t : trees) {
            double total = 0;
            for (double d : t.impurityDecrease) {
                total += d;
            }
            if (total > 0) {
                for (int f = 0; f < featureCount; f++) {
                    sum[f] += t.impurityDecrease[f] / total;
                }
            }
        }
        double total = 0;
        for (double s : sum) {
            total += s;
        }
        if (total > 0) {
            for (int f = 0; f < featureCount; f++) {
                sum[f] /= total;
            }
        }
        return sum;
    }
}
