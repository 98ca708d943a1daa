package org.histodraw.engine.features;

import org.histodraw.engine.math.PortableMath;

/**
 * A sampled, normalised Gaussian cut at {@link #TRUNCATE} standard deviations (scipy's and
 * scikit-image's rule: radius = floor(4 sigma + 0.5)). Only the centre and one side are stored; the
 * kernel is symmetric. The weights come from {@link PortableMath#exp}, so that the browser build
 * computes the very same kernels as the JVM.
 */
final class GaussianKernel {
    /** Standard deviations the kernel reaches on each side, as in scikit-image. */
    static final double TRUNCATE = 4.0;

    final double sigma;
    final int radius;
    /** weights[k] for offsets -k and +k, k = 0..radius; weights[0] + 2 * sum(rest) = 1 in double. */
    final float[] weights;

    /**
     * Pixel offsets of taps -k and +k in a row padded by the radius: radius - k and radius + k.
     * Read from memory so that the JIT does not see they differ by constants (see GaussianSmoother).
     */
    final int[] before;
    final int[] after;

    GaussianKernel(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite: " + sigma);
        }
        this.sigma = sigma;
        this.radius = radius(sigma);
        double[] w = new double[radius + 1];
        double sum = 0;
        for (int k = 0; k <= radius; k++) {
            w[k] = PortableMath.exp(-0.5 * k * k / (sigma * sigma));
            sum += k == 0 ? w[k] : 2 * w[k];
        }
        before = new int[radius + 2];
        after = new int[radius + 2];
        for (int k = 0; k < radius + 2; k++) {
            before[k] = radius - k;
            after[k] = radius + k;
        }
        weights = new float[radius + 1];
        for (int k = 0; k <= radius; k++) {
            weights[k] = (float) (w[k] / sum);
        }
    }

    /** Pixels the kernel reaches on each side of its centre. */
    static int radius(double sigma) {
        return (int) (TRUNCATE * sigma + 0.5);
    }
}
