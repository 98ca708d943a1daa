package org.histodraw.engine.forest;

/**
 * One grown tree of a forest in training: the work item {@link ForestTrainer#trainTree(int)} returns
 * and {@link ForestTrainer#assemble(java.util.List)} gathers. Immutable. Nodes are numbered
 * breadth-first; an internal node sends {@code x[feature] > threshold} to child {@code left + 1} and
 * everything else (NaN included) to {@code left}; a leaf is its own child and holds a class
 * probability distribution.
 *
 * <p>Besides the tree it carries what assembly needs from training: the tree's share of the
 * feature importances and its out-of-bag votes. It is only meaningful to the trainer that made it.
 */
public final class DecisionTree {
    final ForestTrainer origin;
    final int index;
    final int classCount;
    /** Feature tested per node; 0 for leaves (any valid plane, never decisive). */
    final int[] feature;
    /** Split bin per node: training-time twin of {@link #threshold}; 255 for leaves. */
    final int[] bin;
    /** Split threshold per node; +infinity for leaves. */
    final float[] threshold;
    /** Left child per node (the right one follows it); a leaf points at itself. */
    final int[] left;
    /** Leaf number per node, -1 for internal nodes. */
    final int[] leaf;
    /** {@code classCount} probabilities per leaf, in leaf order. */
    final float[] distributions;
    final int depth;
    /** Weighted Gini decrease per feature, summed over this tree's splits. */
    final double[] impurityDecrease;
    /** Per out-of-bag evaluation sample of the trainer: its leaf number, or -1 when the tree saw it. */
    final int[] oobLeaf;

    DecisionTree(ForestTrainer origin, int index, int classCount, int[] feature, int[] bin, float[] threshold,
                 int[] left, int[] leaf, float[] distributions, int depth, double[] impurityDecrease, int[] oobLeaf) {
        this.origin = origin;
        this.index = index;
        this.classCount = classCount;
        this.feature = feature;
        this.bin = bin;
        this.threshold = threshold;
        this.left = left;
        this.leaf = leaf;
        this.distributions = distributions;
        this.depth = depth;
        this.impurityDecrease = impurityDecrease;
        this.oobLeaf = oobLeaf;
    }

    /** Which tree of the forest this is (its randomness derives from the seed and this index only). */
    public int index() {
        return index;
    }

    public int nodeCount() {
        return feature.length;
    }

    public int leafCount() {
        return distributions.length / classCount;
    }

    /** Splits on the longest path from the root to a leaf (0 when the root is a leaf). */
    public int depth() {
        return depth;
    }
}
