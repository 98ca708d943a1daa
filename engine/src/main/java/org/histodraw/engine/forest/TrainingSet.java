package org.histodraw.engine.forest;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;

/**
 * Labelled feature vectors: what a forest learns from. Values are stored feature-major (all samples
 * of feature 0, then all of feature 1, ...), which is how pixels come out of a feature stack and how
 * the trainer bins them. Classes are 1..{@link #classCount()}.
 *
 * <p>Immutable once made (the factories copy what they are given). A set may hold a single class,
 * since one tile of scribbles often does; {@link ForestTrainer} is the one that insists on two.
 */
public final class TrainingSet {
    private final int sampleCount;
    private final int featureCount;
    private final int classCount;
    private final float[] values;
    private final int[] classes;

    private TrainingSet(int sampleCount, int featureCount, int classCount, float[] values, int[] classes) {
        this.sampleCount = sampleCount;
        this.featureCount = featureCount;
        this.classCount = classCount;
        this.values = values;
        this.classes = classes;
    }

    /**
     * A set from feature-major values: {@code values[f * sampleCount + i]} is feature {@code f} of
     * sample {@code i}, and {@code classes[i]} its class in 1..classCount. Both arrays are copied.
     */
    public static TrainingSet of(float[] values, int[] classes, int featureCount, int classCount) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(classes, "classes");
        if (classes.length == 0) {
            throw new IllegalArgumentException("a training set needs at least one sample");
        }
        if (featureCount < 1) {
            throw new IllegalArgumentException("feature count must be at least 1: " + featureCount);
        }
        checkClassCount(classCount);
        if ((long) classes.length * featureCount != values.length) {
            throw new IllegalArgumentException(classes.length + " samples x " + featureCount + " features need "
                    + (long) classes.length * featureCount + " values, got " + values.length);
        }
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 1 || classes[i] > classCount) {
                throw new IllegalArgumentException("sample " + i + " has class " + classes[i]
                        + ", expected 1.." + classCount);
            }
        }
        return new TrainingSet(classes.length, featureCount, classCount, values.clone(), classes.clone());
    }

    /**
     * Every labelled pixel (label &gt; 0) of an image, with its feature vector. The class count is
     * the highest label present; use {@link #fromLabels(Raster, LabelRaster, int)} when the image
     * belongs to a class list with more classes than were drawn.
     */
    public static TrainingSet fromLabels(Raster features, LabelRaster labels) {
        Objects.requireNonNull(labels, "labels");
        return fromLabels(features, labels, Math.max(1, labels.maxLabel()));
    }

    /** Every labelled pixel of an image; labels must lie in 0..classCount. */
    public static TrainingSet fromLabels(Raster features, LabelRaster labels, int classCount) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        checkClassCount(classCount);
        if (features.width() != labels.width() || features.height() != labels.height()) {
            throw new IllegalArgumentException("features are " + features.width() + " x " + features.height()
                    + " but labels are " + labels.width() + " x " + labels.height());
        }
        if (features.channels() < 1) {
            throw new IllegalArgumentException("the feature raster has no planes");
        }
        byte[] label = labels.data();
        int n = 0;
        for (byte b : label) {
            int c = b & 0xff;
            if (c > classCount) {
                throw new IllegalArgumentException("label " + c + " exceeds the class count " + classCount);
            }
            if (c != 0) {
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no labelled pixels: draw at least one region");
        }
        int featureCount = features.channels();
        if ((long) n * featureCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " labelled pixels x " + featureCount
                    + " features are too many for one training set");
        }
        int[] classes = new int[n];
        int[] pixel = new int[n];
        for (int p = 0, i = 0; p < label.length; p++) {
            int c = label[p] & 0xff;
            if (c != 0) {
                classes[i] = c;
                pixel[i++] = p;
            }
        }
        float[] values = new float[n * featureCount];
        for (int f = 0; f < featureCount; f++) {
            float[] plane = features.plane(f);
            int base = f * n;
            for (int i = 0; i < n; i++) {
                values[base + i] = plane[pixel[i]];
            }
        }
        return new TrainingSet(n, featureCount, classCount, values, classes);
    }

    /** The samples of several sets, in order; the class count is the largest of theirs. */
    public static TrainingSet concat(TrainingSet... sets) {
        Objects.requireNonNull(sets, "sets");
        return concat(Arrays.asList(sets));
    }

    /** The samples of several sets, in order; the class count is the largest of theirs. */
    public static TrainingSet concat(List<TrainingSet> sets) {
        Objects.requireNonNull(sets, "sets");
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate: no training sets given");
        }
        int featureCount = sets.get(0).featureCount;
        int classCount = 0;
        long total = 0;
        for (int s = 0; s < sets.size(); s++) {
            TrainingSet set = Objects.requireNonNull(sets.get(s), "training set " + s);
            if (set.featureCount != featureCount) {
                throw new IllegalArgumentException("training set " + s + " has " + set.featureCount
                        + " features, the first has " + featureCount);
            }
            classCount = Math.max(classCount, set.classCount);
            total += set.sampleCount;
        }
        if (total * featureCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " samples x " + featureCount
                    + " features are too many for one training set");
        }
        int n = (int) total;
        float[] values = new float[n * featureCount];
        int[] classes = new int[n];
        int offset = 0;
        for (TrainingSet set : sets) {
            for (int f = 0; f < featureCount; f++) {
                System.arraycopy(set.values, f * set.sampleCount, values, f * n + offset, set.sampleCount);
            }
            System.arraycopy(set.classes, 0, classes, offset, set.sampleCount);
            offset += set.sampleCount;
        }
        return new TrainingSet(n, featureCount, classCount, values, classes);
    }

    /** The same samples with room for more classes (e.g. a class list's size when not all were drawn). */
    public TrainingSet withClassCount(int newClassCount) {
        checkClassCount(newClassCount);
        int highest = 0;
        for (int c : classes) {
            highest = Math.max(highest, c);
        }
        if (newClassCount < highest) {
            throw new IllegalArgumentException("class count " + newClassCount + " is below the highest class present, "
                    + highest);
        }
        return new TrainingSet(sampleCount, featureCount, newClassCount, values, classes);
    }

    /** The chosen samples, in the given order (repeats allowed), e.g. to hold some out for testing. */
    public TrainingSet select(int[] samples) {
        Objects.requireNonNull(samples, "samples");
        if (samples.length == 0) {
            throw new IllegalArgumentException("select needs at least one sample");
        }
        int n = samples.length;
        float[] v = new float[n * featureCount];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            int s = samples[i];
            if (s < 0 || s >= sampleCount) {
                throw new IllegalArgumentException("sample " + s + " outside 0.." + (sampleCount - 1));
            }
            c[i] = classes[s];
        }
        // Feature by feature: each output run is written in order (sample by sample, the writes
        // would stride across every feature's run).
        for (int f = 0; f < featureCount; f++) {
            int from = f * sampleCount, to = f * n;
            for (int i = 0; i < n; i++) {
                v[to + i] = values[from + samples[i]];
            }
        }
        return new TrainingSet(n, featureCount, classCount, v, c);
    }

    public int sampleCount() {
        return sampleCount;
    }

    public int featureCount() {
        return featureCount;
    }

    public int classCount() {
        return classCount;
    }

    /** Feature {@code feature} of sample {@code sample}. */
    public float value(int sample, int feature) {
        return values[feature * sampleCount + sample];
    }

    /** The class (1..K) of a sample. */
    public int classOf(int sample) {
        return classes[sample];
    }

    /** Samples per class: element {@code k - 1} counts class {@code k}. */
    public int[] classCounts() {
        int[] counts = new int[classCount];
        for (int c : classes) {
            counts[c - 1]++;
        }
        return counts;
    }

    /** A copy of one sample's feature vector. */
    public float[] features(int sample) {
        float[] x = new float[featureCount];
        for (int f = 0; f < featureCount; f++) {
            x[f] = values[f * sampleCount + sample];
        }
        return x;
    }

    /** The feature-major values, not copied: read only. */
    float[] values() {
        return values;
    }

    /** The classes (1..K), not copied: read only. */
    int[] classes() {
        return classes;
    }

    private static void checkClassCount(int classCount) {
        if (classCount < 1 || classCount > 255) {
            throw new IllegalArgumentException("class count must be 1..255: " + classCount);
        }
    }
}
