package org.histodraw.engine.pipeline;

import org.histodraw.engine.raster.LabelRaster;

/**
 * How well a class map agrees with a ground truth: intersection over union per class and pixel
 * accuracy. Truth pixels labelled 0 (unknown) are left out of every count. Scores add up over
 * images by {@link #plus}, so a series can be scored as a whole or averaged per image.
 */
public final class SegmentationScore {
    private final long[] intersection;
    private final long[] union;
    private long correct;
    private long total;

    private SegmentationScore(int classes) {
        intersection = new long[classes + 1];
        union = new long[classes + 1];
    }

    public static SegmentationScore compare(LabelRaster predicted, LabelRaster truth, int classes) {
        if (predicted.width() != truth.width() || predicted.height() != truth.height()) {
            throw new IllegalArgumentException("prediction is " + predicted.width() + " x " + predicted.height()
                    + " but the truth is " + truth.width() + " x " + truth.height());
        }
        SegmentationScore s = new SegmentationScore(classes);
        byte[] p = predicted.data(), t = truth.data();
        for (int i = 0; i < p.length; i++) {
            int tc = t[i] & 0xff;
            if (tc == 0) {
                continue;
            }
            int pc = p[i] & 0xff;
            if (tc > classes || pc > classes) {
                throw new IllegalArgumentException("class " + Math.max(tc, pc) + " beyond the " + classes + " classes scored");
            }
            s.total++;
            if (pc == tc) {
                s.correct++;
                s.intersection[tc]++;
                s.union[tc]++;
            } else {
                s.union[tc]++;
                if (pc > 0) {
                    s.union[pc]++;
                }
            }
        }
        return s;
    }

    /** Intersection over union of class {@code c} (1-based); NaN when the class is absent from both. */
    public double iou(int c) {
        return union[c] == 0 ? Double.NaN : (double) intersection[c] / union[c];
    }

    /** Mean of the per-class IoUs, skipping classes absent from both maps. */
    public double meanIou() {
        double sum = 0;
        int n = 0;
        for (int c = 1; c < union.length; c++) {
            if (union[c] > 0) {
                sum += iou(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public double pixelAccuracy() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** The pooled score of two comparisons (pixels of both counted together). */
    public SegmentationScore plus(SegmentationScore other) {
        if (other.union.length != union.length) {
            throw new IllegalArgumentException("scores of different class counts cannot be added");
        }
        SegmentationScore s = new SegmentationScore(union.length - 1);
        for (int c = 0; c < union.length; c++) {
            s.intersection[c] = intersection[c] + other.intersection[c];
            s.union[c] = union[c] + other.union[c];
        }
        s.correct = correct + other.correct;
        s.total = total + other.total;
        return s;
    }
}
