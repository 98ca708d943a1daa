package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianKernelTest {

    @Test
    void weightsAreTheFloatsOfTheNormalisedGaussianForEverySigmaFrom03To12() {
        // The kernel's exp is the portable one (same bits in the browser build); on the JVM its
        // weights are the very floats that Math.exp gives.
        for (int tenths = 3; tenths <= 120; tenths++) {
            double sigma = tenths / 10.0;
            GaussianKernel kernel = new GaussianKernel(sigma);
            double[] w = new double[kernel.radius + 1];
            double sum = 0;
            for (int k = 0; k <= kernel.radius; k++) {
                w[k] = Math.exp(-0.5 * k * k / (sigma * sigma));
                sum += k == 0 ? w[k] : 2 * w[k];
            }
            for (int k = 0; k <= kernel.radius; k++) {
                assertThat(kernel.weights[k]).as("sigma %s, tap %d", sigma, k).isEqualTo((float) (w[k] / sum));
            }
        }
    }

    @Test
    void weightsSumToOneAndReachFourSigmas() {
        GaussianKernel kernel = new GaussianKernel(2.5);
        assertThat(kernel.radius).isEqualTo(10);
        double sum = kernel.weights[0];
        for (int k = 1; k <= kernel.radius; k++) {
            sum += 2.0 * kernel.weights[k];
            assertThat(kernel.weights[k]).isLessThan(kernel.weights[k - 1]);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-6));
    }
}
