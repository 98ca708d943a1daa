package org.histodraw.engine.forest;

import java.util.Arrays;

/**
 * Grows one tree on binned features: depth first, histogram split search over a random subset of
 * features at every node, weighted Gini. Scratch space is its own, so several growers may run at
 * once on the same {@link FeatureBins}.
 */
final class TreeGrower {
    private final FeatureBins bins;
    /** Class per sample, 0-based. */
    private final int[] y;
    private final double[] classWeight;
    private final int classes;
    private final int features;
    private final int mtry;
    private final int minLeaf;
    private final int maxDepth;
    private final SplitMix64 random;

    private final int[] hist;
    private final int[] nodeCounts;
    private final double[] nodeWeights;
    private final double[] leftWeights;
    private final int[] featureOrder;
    private int[] tmp;

    // Growing node store (depth-first ids).
    private int nodes;
    private int[] nFeature = new int[64];
    private int[] nBin = new int[64];
    private int[] nLeft = new int[64];
    private int[] nRight = new int[64];
    private int[] nLeaf = new int[64];
    private int[] nDepth = new int[64];
    private float[] dist;
    private int leaves;
    private final double[] impurityDecrease;

    // Best split of the node being searched.
    private int bestFeature;
    private int bestBin;
    private double bestScore;

    TreeGrower(FeatureBins bins, int[] y, double[] classWeight, int classes, int mtry, int minLeaf, int maxDepth,
               SplitMix64 random) {
        this.bins = bins;
        this.y = y;
        this.classWeight = classWeight;
        this.classes = classes;
        this.features = bins.featureCount();
        this.mtry = mtry;
        this.minLeaf = minLeaf;
        this.maxDepth = maxDepth;
        this.random = random;
        this.hist = new int[FeatureBins.MAX_BINS * classes];
        this.nodeCounts = new int[classes];
        this.nodeWeights = new double[classes];
        this.leftWeights = new double[classes];
        this.featureOrder = new int[features];
        for (int f = 0; f < features; f++) {
            featureOrder[f] = f;
        }
        this.dist = new float[64 * classes];
        this.impurityDecrease = new double[features];
    }

    /**
     * Grows the tree on the bootstrap sample {@code idx} (sample numbers, ascending, repeats allowed;
     * reordered in place). Returns the raw tree in breadth-first order.
     */
    Grown grow(int[] idx) {
        tmp = new int[idx.length];
        int root = newNode(0);
        // depth first, left before right: at most one pending sibling per level
        int[] stackStart = new int[maxDepth + 2];
        int[] stackEnd = new int[stackStart.length];
        int[] stackNode = new int[stackStart.length];
        int top = 0;
        stackStart[0] = 0;
        stackEnd[0] = idx.length;
        stackNode[0] = root;
        top = 1;
        while (top > 0) {
            top--;
            int start = stackStart[top];
            int end = stackEnd[top];
            int node = stackNode[top];
            int depth = nDepth[node];

            Arrays.fill(nodeCounts, 0);
            for (int s = start; s < end; s++) {
                nodeCounts[y[idx[s]]]++;
            }
            double total = 0;
            double sumSquares = 0;
            int present = 0;
            for (int k = 0; k < classes; k++) {
                double w = nodeCounts[k] * classWeight[k];
                nodeWeights[k] = w;
                total += w;
                sumSquares += w * w;
                if (nodeCounts[k] > 0) {
                    present++;
                }
            }
            int n = end - start;
            if (depth >= maxDepth || n < 2 * minLeaf || present <= 1 || !findSplit(idx, start, end, total)) {
                makeLeaf(node, total);
                continue;
            }
            int mid = partition(idx, start, end, bestFeature, bestBin);
            impurityDecrease[bestFeature] += bestScore - sumSquares / total;
            int left = newNode(depth + 1);
            int right = newNode(depth + 1);
            nFeature[node] = bestFeature;
            nBin[node] = bestBin;
            nLeft[node] = left;
            nRight[node] = right;
            // right below left on the stack: the left subtree is finished first
            stackStart[top] = mid;
            stackEnd[top] = end;
            stackNode[top++] = right;
            stackStart[top] = start;
            stackEnd[top] = mid;
            stackNode[top++] = left;
        }
        tmp = null;
        return breadthFirst();
    }

    /**
     * Tries features in random order until {@code mtry} non-constant ones were searched; leaves the
     * best in {@link #bestFeature}/{@link #bestBin}. The score to maximise is
     * {@code sum_k L_k^2 / W_L + sum_k R_k^2 / W_R}, which is the node's weighted Gini impurity
     * minus that of its children, up to a constant.
     */
    private boolean findSplit(int[] idx, int start, int end, double total) {
        bestFeature = -1;
        bestScore = Double.NEGATIVE_INFINITY;
        int n = end - start;
        int searched = 0;
        int[] h = hist;
        int K = classes;
        for (int j = 0; j < features && searched < mtry; j++) {
            int pick = j + random.nextInt(features - j);
            int f = featureOrder[pick];
            featureOrder[pick] = featureOrder[j];
            featureOrder[j] = f;

            byte[] column = bins.column(f);
            int lo = 255;
            int hi = 0;
            for (int s = start; s < end; s++) {
                int i = idx[s];
                int b = column[i] & 0xff;
                h[b * K + y[i]]++;
                lo = Math.min(lo, b);
                hi = Math.max(hi, b);
            }
            if (lo == hi) {
                Arrays.fill(h, lo * K, lo * K + K, 0);
                continue;
            }
            searched++;
            Arrays.fill(leftWeights, 0);
            int leftCount = 0;
            int previous = -1;
            for (int b = lo; b <= hi; b++) {
                int base = b * K;
                int inBin = 0;
                for (int k = 0; k < K; k++) {
                    inBin += h[base + k];
                }
                if (inBin == 0) {
                    continue;
                }
                // a split between the previous non-empty bin and this one
                if (previous >= 0 && leftCount >= minLeaf && n - leftCount >= minLeaf) {
                    double wl = 0;
                    double l2 = 0;
                    double r2 = 0;
                    for (int k = 0; k < K; k++) {
                        double l = leftWeights[k];
                        double r = nodeWeights[k] - l;
                        wl += l;
                        l2 += l * l;
                        r2 += r * r;
                    }
                    double wr = total - wl;
                    if (wl > 0 && wr > 0) {
                        double score = l2 / wl + r2 / wr;
                        if (score > bestScore) {
                            bestScore = score;
                            bestFeature = f;
                            // the middle of the empty gap, so unseen values split evenly
                            bestBin = (previous + b - 1) >>> 1;
                        }
                    }
                }
                for (int k = 0; k < K; k++) {
                    int c = h[base + k];
                    if (c != 0) {
                        leftWeights[k] += c * classWeight[k];
                        h[base + k] = 0;
                    }
                }
                leftCount += inBin;
                previous = b;
            }
        }
        return bestFeature >= 0;
    }

    /** Stable partition: samples with bin &lt;= splitBin first, order kept on both sides. */
    private int partition(int[] idx, int start, int end, int feature, int splitBin) {
        byte[] column = bins.column(feature);
        int l = start;
        int r = 0;
        for (int s = start; s < end; s++) {
            int i = idx[s];
            // written to both sides, kept on one: no unpredictable branch
            int right = ((column[i] & 0xff) - splitBin - 1) >>> 31 ^ 1;
            tmp[r] = i;
            idx[l] = i;
            r += right;
            l += right ^ 1;
        }
        System.arraycopy(tmp, 0, idx, l, r);
        return l;
    }

    private int newNode(int depth) {
        if (nodes == nFeature.length) {
            int size = nodes * 2;
            nFeature = Arrays.copyOf(nFeature, size);
            nBin = Arrays.copyOf(nBin, size);
            nLeft = Arrays.copyOf(nLeft, size);
            nRight = Arrays.copyOf(nRight, size);
            nLeaf = Arrays.copyOf(nLeaf, size);
            nDepth = Arrays.copyOf(nDepth, size);
        }
        nDepth[nodes] = depth;
        nLeaf[nodes] = -1;
        return nodes++;
    }

    private void makeLeaf(int node, double total) {
        if ((leaves + 1) * classes > dist.length) {
            dist = Arrays.copyOf(dist, dist.length * 2);
        }
        int base = leaves * classes;
        for (int k = 0; k < classes; k++) {
            dist[base + k] = (float) (nodeWeights[k] / total);
        }
        nLeaf[node] = leaves++;
    }

    /** Renumbers the nodes breadth first, so siblings sit side by side and each level is contiguous. */
    private Grown breadthFirst() {
        int[] order = new int[nodes];
        int[] newId = new int[nodes];
        int head = 0;
        int tail = 1;
        order[0] = 0;
        while (head < tail) {
            int old = order[head];
            newId[old] = head++;
            if (nLeaf[old] < 0) {
                order[tail++] = nLeft[old];
                order[tail++] = nRight[old];
            }
        }
        int[] feature = new int[nodes];
        int[] bin = new int[nodes];
        float[] threshold = new float[nodes];
        int[] left = new int[nodes];
        int[] leaf = new int[nodes];
        float[] distributions = new float[leaves * classes];
        int leafCount = 0;
        int depth = 0;
        for (int id = 0; id < nodes; id++) {
            int old = order[id];
            if (nLeaf[old] < 0) {
                feature[id] = nFeature[old];
                bin[id] = nBin[old];
                threshold[id] = bins.edge(nFeature[old], nBin[old]);
                left[id] = newId[nLeft[old]];
                leaf[id] = -1;
            } else {
                feature[id] = 0;
                bin[id] = 255;
                threshold[id] = Float.POSITIVE_INFINITY;
                left[id] = id;
                leaf[id] = leafCount;
                System.arraycopy(dist, nLeaf[old] * classes, distributions, leafCount * classes, classes);
                leafCount++;
                depth = Math.max(depth, nDepth[old]);
            }
        }
        return new Grown(feature, bin, threshold, left, leaf, distributions, depth, impurityDecrease);
    }

    record Grown(int[] feature, int[] bin, float[] threshold, int[] left, int[] leaf, float[] distributions,
                 int depth, double[] impurityDecrease) {
    }
}
