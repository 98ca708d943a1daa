package org.histodraw.engine.pipeline;

/**
 * Where the forest hesitates: 1 minus the margin between the two most probable classes, in [0, 1].
 * 0 = all trees agree; 1 = two classes tie. Shown to users as "add labels here" (as ilastik does).
 */
public final class Uncertainty {
    private Uncertainty() {
    }

    /**
     * Writes the uncertainty of each pixel of {@code probabilities[0..classes)} into {@code out}.
     */
    public static void compute(float[][] probabilities, int classes, float[] out) {
        int n = out.length;
        for (int i = 0; i < n; i++) {
            float best = 0, second = 0;
            for (int c = 0; c < classes; c++) {
                float p = probabilities[c][i];
                if (p > best) {
                    second = best;
                    best = p;
                } else if (p > second) {
                    second = p;
                }
            }
            out[i] = 1f - (best - second);
        }
    }
}
