package org.histodraw.engine.forest;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * A trained random forest pixel classifier: feature stack in, class probabilities and class map
 * out. Immutable and safe to use from many threads at once.
 *
 * <p>Guarantees: the probability of class {@code k} is the mean over trees of the leaf
 * distributions (they sum to 1 up to float rounding); the class is the most probable one, ties going
 * to the lowest class number; prediction of a pixel depends on its own feature vector only, so any
 * tiling of an image predicts exactly as the whole image does; a forest saved and loaded with
 * {@link ForestCodec} predicts bit for bit the same.
 *
 * <p>How: all trees live in flat arrays (feature, threshold, left child, leaf offset; the right child
 * follows the left one, a leaf is its own child). Pixels are predicted in blocks of {@value #BLOCK}
 * along a row: the block's features are copied once into a small buffer that stays in cache, and
 * each tree is walked level by level for the whole block with no branch on the path taken, which
 * lets the processor overlap the walks of many pixels; in deep trees, pixels that reached a leaf
 * are dropped from the walk. No allocation per pixel.
 */
public final class RandomForest {
    /** Pixels predicted together. */
    static final int BLOCK = 256;
    private static final int BLOCK_SHIFT = 8;
    /** Tree levels walked by every pixel of a block before the walkers are listed (see walkTree). */
    private static final int DENSE_LEVELS = 8;

    private final ForestSettings settings;
    private final int featureCount;
    private final int classCount;
    private final int[] treeRoot;
    private final int[] treeDepth;
    private final int[] feature;
    /** {@code feature[n] * BLOCK}: where node n's feature starts in a block buffer. */
    private final int[] featureOffset;
    private final float[] threshold;
    private final int[] left;
    private final int[] leafOffset;
    private final float[] distributions;
    /** Every leaf votes 0 or 1 for each class (trees grown to purity): class sums are exact integers. */
    private final boolean pureLeaves;
    private final double outOfBagAccuracy;
    private final double[] outOfBagPerClass;
    private final double[] importances;

    /** From flat arrays (all node indices global); arrays are kept, not copied. */
    RandomForest(ForestSettings settings, int featureCount, int classCount, int[] treeRoot, int[] treeDepth,
                 int[] feature, float[] threshold, int[] left, int[] leafOffset, float[] distributions,
                 double outOfBagAccuracy, double[] outOfBagPerClass, double[] importances) {
        this.settings = settings;
        this.featureCount = featureCount;
        this.classCount = classCount;
        this.treeRoot = treeRoot;
        this.treeDepth = treeDepth;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.leafOffset = leafOffset;
        this.distributions = distributions;
        this.outOfBagAccuracy = outOfBagAccuracy;
        this.outOfBagPerClass = outOfBagPerClass;
        this.importances = importances;
        this.featureOffset = offsets(feature);
        this.pureLeaves = pure(distributions);
    }

    /** Concatenates grown trees; {@code oob} holds per-class recall then the accuracy. */
    RandomForest(ForestSettings settings, int featureCount, int classCount, List<DecisionTree> trees, double[] oob,
                 double[] importances) {
        this.settings = settings;
        this.featureCount = featureCount;
        this.classCount = classCount;
        int nodes = 0;
        int leaves = 0;
        for (DecisionTree t : trees) {
            nodes += t.nodeCount();
            leaves += t.leafCount();
        }
        treeRoot = new int[trees.size()];
        treeDepth = new int[trees.size()];
        feature = new int[nodes];
        threshold = new float[nodes];
        left = new int[nodes];
        leafOffset = new int[nodes];
        distributions = new float[leaves * classCount];
        int node = 0;
        int dist = 0;
        for (int i = 0; i < trees.size(); i++) {
            DecisionTree t = trees.get(i);
            treeRoot[i] = node;
            treeDepth[i] = t.depth;
            for (int n = 0; n < t.nodeCount(); n++) {
                feature[node + n] = t.feature[n];
                threshold[node + n] = t.threshold[n];
                left[node + n] = node + t.left[n];
                leafOffset[node + n] = t.leaf[n] < 0 ? 0 : dist + t.leaf[n] * classCount;
            }
            System.arraycopy(t.distributions, 0, distributions, dist, t.distributions.length);
            node += t.nodeCount();
            dist += t.distributions.length;
        }
        this.outOfBagPerClass = Arrays.copyOf(oob, classCount);
        this.outOfBagAccuracy = oob[classCount];
        this.importances = importances;
        this.featureOffset = offsets(feature);
        this.pureLeaves = pure(distributions);
    }

    private static boolean pure(float[] distributions) {
        for (float v : distributions) {
            if (v != 0f && v != 1f) {
                return false;
            }
        }
        return true;
    }

    private static int[] offsets(int[] feature) {
        int[] offset = new int[feature.length];
        for (int n = 0; n < feature.length; n++) {
            offset[n] = feature[n] << BLOCK_SHIFT;
        }
        return offset;
    }

    /** Trains a forest with every tree grown one after the other on the calling thread. */
    public static RandomForest train(TrainingSet set, ForestSettings settings) {
        return new ForestTrainer(set, settings).train();
    }

    public ForestSettings settings() {
        return settings;
    }

    public int classCount() {
        return classCount;
    }

    public int featureCount() {
        return featureCount;
    }

    public int treeCount() {
        return treeRoot.length;
    }

    public int nodeCount() {
        return feature.length;
    }

    /** The depth of tree {@code i}: splits on its longest root-to-leaf path. */
    public int treeDepth(int i) {
        return treeDepth[i];
    }

    /**
     * Share of correctly classified training samples, each judged only by the trees that did not
     * see it (estimated on a class-stratified subset of at most 20,000 samples, weighted back to the
     * class frequencies). NaN when no sample was left out of every bootstrap.
     */
    public double outOfBagAccuracy() {
        return outOfBagAccuracy;
    }

    /** Out-of-bag recall per class (element {@code k - 1} for class {@code k}); NaN for a class not evaluated. */
    public double[] outOfBagAccuracyPerClass() {
        return outOfBagPerClass.clone();
    }

    /** Mean decrease in weighted Gini impurity per feature, summing to 1 (all 0 if no tree split). */
    public double[] featureImportances() {
        return importances.clone();
    }

    /** Mean class probabilities of every pixel: {@code out} has {@link #classCount()} planes, plane k-1 for class k. */
    public void predictProbabilities(Raster features, Raster out) {
        predict(features, whole(features), null, Objects.requireNonNull(out, "probabilities"));
    }

    /** The most probable class (1..K) of every pixel. */
    public void classify(Raster features, LabelRaster out) {
        predict(features, whole(features), Objects.requireNonNull(out, "classes"), null);
    }

    /** Classes and probabilities in one pass. */
    public void predict(Raster features, LabelRaster classes, Raster probabilities) {
        predict(features, whole(features), Objects.requireNonNull(classes, "classes"),
                Objects.requireNonNull(probabilities, "probabilities"));
    }

    /**
     * Predicts only the pixels of {@code region} of the feature raster (e.g. the inner tile of a
     * haloed feature tile), writing to outputs of the region's size. Either output may be null, not both.
     */
    public void predict(Raster features, PixelRegion region, LabelRaster classes, Raster probabilities) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(region, "region");
        float[][] planes = planes(features);
        if (region.isEmpty() || !PixelRegion.of(features.width(), features.height()).contains(region)) {
            throw new IllegalArgumentException("region " + region + " is not inside the " + features.width() + " x "
                    + features.height() + " features");
        }
        if (classes == null && probabilities == null) {
            throw new IllegalArgumentException("nothing to write: both outputs are null");
        }
        if (classes != null && (classes.width() != region.width() || classes.height() != region.height())) {
            throw new IllegalArgumentException("class output is " + classes.width() + " x " + classes.height()
                    + ", expected " + region.width() + " x " + region.height());
        }
        if (probabilities != null) {
            if (probabilities.width() != region.width() || probabilities.height() != region.height()) {
                throw new IllegalArgumentException("probability output is " + probabilities.width() + " x "
                        + probabilities.height() + ", expected " + region.width() + " x " + region.height());
            }
            if (probabilities.channels() != classCount) {
                throw new IllegalArgumentException("probability output needs " + classCount + " planes, got "
                        + probabilities.channels());
            }
        }
        int width = features.width();
        float[][] probs = null;
        if (probabilities != null) {
            probs = new float[classCount][];
            for (int k = 0; k < classCount; k++) {
                probs[k] = probabilities.plane(k);
            }
        }
        byte[] labels = labels(classes);
        float[] block = new float[featureCount * BLOCK];
        int[] node = new int[BLOCK];
        int[] active = new int[BLOCK];
        int[] undecided = new int[BLOCK];
        float[] sum = new float[classCount * BLOCK];
        float scale = 1f / treeRoot.length;
        for (int row = 0; row < region.height(); row++) {
            int in = (region.y() + row) * width + region.x();
            int out = row * region.width();
            for (int x = 0; x < region.width(); x += BLOCK) {
                int len = Math.min(BLOCK, region.width() - x);
                for (int f = 0; f < featureCount; f++) {
                    System.arraycopy(planes[f], in + x, block, f << BLOCK_SHIFT, len);
                }
                if (probs == null) {
                    classifyBlock(block, len, node, active, undecided, sum, labels, out + x);
                    continue;
                }
                sumBlock(block, len, node, active, sum);
                for (int k = 0; k < classCount; k++) {
                    float[] plane = probs[k];
                    int base = k << BLOCK_SHIFT;
                    for (int p = 0; p < len; p++) {
                        plane[out + x + p] = sum[base + p] * scale;
                    }
                }
                if (labels != null) {
                    argmax(sum, len, labels, out + x);
                }
            }
        }
    }

    /**
     * The classes of only the pixels where {@code wanted} is true (row-major over the raster), each
     * the class {@link #classify} gives it; the other pixels of {@code out} are left as they are.
     * For coarse-to-fine prediction, where the overview has settled the rest: the forest walks only
     * the pixels asked for, gathered {@value #BLOCK} at a time.
     */
    public void classifyWhere(Raster features, boolean[] wanted, LabelRaster out) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(wanted, "wanted");
        Objects.requireNonNull(out, "classes");
        int width = features.width(), height = features.height();
        float[][] planes = planes(features);
        if (wanted.length != width * height || out.width() != width || out.height() != height) {
            throw new IllegalArgumentException("classes and the pixels wanted must cover the " + width + " x " + height
                    + " features");
        }
        byte[] labels = out.data();
        float[] block = new float[featureCount * BLOCK];
        int[] node = new int[BLOCK];
        int[] active = new int[BLOCK];
        int[] undecided = new int[BLOCK];
        float[] sum = new float[classCount * BLOCK];
        int[] asked = new int[BLOCK];
        byte[] classes = new byte[BLOCK];
        // Row by row, a block at a time as classify does: the block's features are copied whole
        // (contiguous copies are cheaper than gathering scattered pixels), only the pixels asked
        // for walk the trees.
        for (int row = 0; row < height; row++) {
            for (int x = 0; x < width; x += BLOCK) {
                int len = Math.min(BLOCK, width - x);
                int in = row * width + x;
                int count = 0;
                for (int p = 0; p < len; p++) {
                    asked[count] = p;
                    count += wanted[in + p] ? 1 : 0;
                }
                if (count == 0) {
                    continue;
                }
                for (int f = 0; f < featureCount; f++) {
                    System.arraycopy(planes[f], in, block, f << BLOCK_SHIFT, len);
                }
                classifyBlock(block, len, count == len ? null : asked, count, node, active, undecided, sum, classes, 0);
                for (int i = 0; i < count; i++) {
                    int p = asked[i];
                    labels[in + p] = classes[p];
                }
            }
        }
    }

    /** The feature planes, checked to be as many as the forest was trained on. */
    private float[][] planes(Raster features) {
        if (features.channels() != featureCount) {
            throw new IllegalArgumentException("the forest expects " + featureCount + " feature planes, got "
                    + features.channels());
        }
        float[][] planes = new float[featureCount][];
        for (int f = 0; f < featureCount; f++) {
            planes[f] = features.plane(f);
        }
        return planes;
    }

    private static byte[] labels(LabelRaster classes) {
        return classes == null ? null : classes.data();
    }

    /** Sums the leaf distributions of every tree for the block's pixels into {@code sum[k * BLOCK + p]}. */
    private void sumBlock(float[] block, int len, int[] node, int[] active, float[] sum) {
        Arrays.fill(sum, 0f);
        for (int t = 0; t < treeRoot.length; t++) {
            walkTree(t, block, null, len, node, active);
            for (int k = 0; k < classCount; k++) {
                int base = k << BLOCK_SHIFT;
                for (int p = 0; p < len; p++) {
                    sum[base + p] += distributions[leafOffset[node[p]] + k];
                }
            }
        }
    }

    /**
     * Classes only, without probabilities: the trees are summed one after the other, and a pixel
     * stops walking as soon as its leading class is ahead of every other by more than the trees left
     * could add (each adds at most 1 to a class). Its class is then certain, so the result is the
     * class that summing every tree gives; confident pixels (most of a slide) skip up to half the
     * trees. When every leaf is pure the sums are exact integers, and a lead of exactly the trees
     * left is enough for class 1: at worst it ends in a tie, which goes to the lowest class.
     */
    private void classifyBlock(float[] block, int len, int[] node, int[] walkers, int[] undecided, float[] sum,
                               byte[] labels, int at) {
        classifyBlock(block, len, null, len, node, walkers, undecided, sum, labels, at);
    }

    /** As above for the block's pixels {@code pixels[0..count)} only (all {@code len} when null). */
    private void classifyBlock(float[] block, int len, int[] pixels, int count, int[] node, int[] walkers,
                               int[] undecided, float[] sum, byte[] labels, int at) {
        Arrays.fill(sum, 0f);
        int trees = treeRoot.length;
        boolean all = pixels == null;
        if (!all) {
            System.arraycopy(pixels, 0, undecided, 0, count);
        }
        for (int t = 0; t < trees && count > 0; t++) {
            walkTree(t, block, all ? null : undecided, count, node, walkers);
            for (int k = 0; k < classCount; k++) {
                int base = k << BLOCK_SHIFT;
                for (int i = 0; i < count; i++) {
                    int p = all ? i : undecided[i];
                    sum[base + p] += distributions[leafOffset[node[p]] + k];
                }
            }
            int remaining = trees - 1 - t;
            if (t + 1 > remaining || pureLeaves && t + 1 == remaining) {
                // A margin well above float rounding of the remaining additions keeps this exact.
                float bound = pureLeaves ? remaining : remaining + DECISION_MARGIN;
                int still = 0;
                for (int i = 0; i < count; i++) {
                    int p = all ? i : undecided[i];
                    float best = sum[p];
                    float second = Float.NEGATIVE_INFINITY;
                    boolean firstLeads = true;
                    for (int k = 1; k < classCount; k++) {
                        float v = sum[(k << BLOCK_SHIFT) + p];
                        if (v > best) {
                            second = best;
                            best = v;
                            firstLeads = false;
                        } else if (v > second) {
                            second = v;
                        }
                    }
                    float lead = best - second;
                    boolean decided = lead > bound || pureLeaves && firstLeads && lead == bound;
                    undecided[still] = p;
                    still += decided ? 0 : 1;
                }
                count = still;
                all = false;
            }
        }
        argmax(sum, len, labels, at);
    }

    /** Above the rounding error of summing a forest's leaf probabilities in float. */
    private static final float DECISION_MARGIN = 1e-3f;

    /**
     * Walks tree {@code t} for the block's pixels {@code pixels[0..count)} (or pixels 0..count-1 when
     * {@code pixels} is null), leaving each pixel's leaf in {@code node}.
     *
     * <p>The first {@value #DENSE_LEVELS} levels are walked for every pixel, one level at a time: the
     * walks are independent, so the processor overlaps them, and a leaf simply steps to itself, so
     * there is no branch on the path. Past that most pixels have reached their leaf (leaves lie at
     * depth 6 on average in our forests, but trees reach 16): the ones still inside the tree are
     * listed, and every further level walks only the list and shortens it in the same pass. Listing
     * costs more per step than the dense walk, hence 8 dense levels rather than 6 (8% faster on the
     * bench's forests; 4 levels: 25% slower, 10: 4% slower).
     */
    private void walkTree(int t, float[] block, int[] pixels, int count, int[] node, int[] walkers) {
        int[] offset = this.featureOffset;
        float[] threshold = this.threshold;
        int[] left = this.left;
        int root = treeRoot[t];
        int depth = treeDepth[t];
        int dense = Math.min(depth, DENSE_LEVELS);
        if (pixels == null) {
            Arrays.fill(node, 0, count, root);
            for (int d = 0; d < dense; d++) {
                for (int p = 0; p < count; p++) {
                    int n = node[p];
                    node[p] = left[n] + (block[offset[n] + p] > threshold[n] ? 1 : 0);
                }
            }
        } else {
            for (int i = 0; i < count; i++) {
                node[pixels[i]] = root;
            }
            for (int d = 0; d < dense; d++) {
                for (int i = 0; i < count; i++) {
                    int p = pixels[i];
                    int n = node[p];
                    node[p] = left[n] + (block[offset[n] + p] > threshold[n] ? 1 : 0);
                }
            }
        }
        if (dense == depth) {
            return;
        }
        int walking = 0;
        for (int i = 0; i < count; i++) {
            int p = pixels == null ? i : pixels[i];
            walkers[walking] = p;
            int n = node[p];
            walking += left[n] != n ? 1 : 0;
        }
        for (int level = dense; walking > 0 && level < depth; level++) {
            int still = 0;
            for (int i = 0; i < walking; i++) {
                int p = walkers[i];
                int n = node[p];
                int next = left[n] + (block[offset[n] + p] > threshold[n] ? 1 : 0);
                node[p] = next;
                walkers[still] = p;
                still += left[next] != next ? 1 : 0;
            }
            walking = still;
        }
    }

    private void argmax(float[] sum, int len, byte[] labels, int at) {
        for (int p = 0; p < len; p++) {
            int best = 0;
            float bestSum = sum[p];
            for (int k = 1; k < classCount; k++) {
                float s = sum[(k << BLOCK_SHIFT) + p];
                if (s > bestSum) {
                    bestSum = s;
                    best = k;
                }
            }
            labels[at + p] = (byte) (best + 1);
        }
    }

    /**
     * Probabilities of one feature vector (length {@link #featureCount()}) into {@code probabilities}
     * (length {@link #classCount()}); returns the class 1..K. Same result as the raster methods.
     */
    public int predict(float[] features, float[] probabilities) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(probabilities, "probabilities");
        if (features.length != featureCount) {
            throw new IllegalArgumentException("the forest expects " + featureCount + " features, got " + features.length);
        }
        if (probabilities.length != classCount) {
            throw new IllegalArgumentException("probabilities need " + classCount + " slots, got " + probabilities.length);
        }
        float[] sum = new float[classCount];
        for (int t = 0; t < treeRoot.length; t++) {
            int n = treeRoot[t];
            for (int d = treeDepth[t]; d > 0; d--) {
                n = left[n] + (features[feature[n]] > threshold[n] ? 1 : 0);
            }
            for (int k = 0; k < classCount; k++) {
                sum[k] += distributions[leafOffset[n] + k];
            }
        }
        float scale = 1f / treeRoot.length;
        int best = 0;
        for (int k = 0; k < classCount; k++) {
            probabilities[k] = sum[k] * scale;
            if (sum[k] > sum[best]) {
                best = k;
            }
        }
        return best + 1;
    }

    private static PixelRegion whole(Raster features) {
        Objects.requireNonNull(features, "features");
        return PixelRegion.of(features.width(), features.height());
    }

    // Package-private views for the codec (not copied: read only).

    int[] treeRoots() {
        return treeRoot;
    }

    int[] treeDepths() {
        return treeDepth;
    }

    int[] features() {
        return feature;
    }

    float[] thresholds() {
        return threshold;
    }

    int[] lefts() {
        return left;
    }

    int[] leafOffsets() {
        return leafOffset;
    }

    float[] distributions() {
        return distributions;
    }

    double[] outOfBagPerClassArray() {
        return outOfBagPerClass;
    }

    double[] importancesArray() {
        return importances;
    }
}
