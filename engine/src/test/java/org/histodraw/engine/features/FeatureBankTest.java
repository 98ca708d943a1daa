package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.histodraw.engine.colour.StainDeconvolution;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class FeatureBankTest {
    private static final FeatureSettings ALL_KINDS = new FeatureSettings(List.of(FeatureKind.values()), List.of(0.7, 3.0));

    @Test
    void constantImageKeepsItsValueAndHasNoStructure() {
        Raster grey = TestImages.grey(40, 30, (x, y) -> 0.6);
        FeatureBank bank = new FeatureBank(ALL_KINDS);
        Raster f = bank.compute(grey);
        for (int i = 0; i < bank.featureCount(); i++) {
            String name = bank.featureNames().get(i);
            float expected = name.matches("\\w+ Gaussian σ=.*") ? 0.6f : 0f;
            for (float v : f.plane(i)) {
                assertThat(v).as(name).isCloseTo(expected, within(2e-6f));
            }
        }
    }

    @Test
    void linearRampHasItsSlopeAsGradientAndNoCurvature() {
        double a = 0.01, b = 0.005;
        Raster ramp = TestImages.grey(90, 90, (x, y) -> 0.1 + a * x + b * y);
        FeatureBank bank = new FeatureBank(ALL_KINDS);
        Raster f = bank.compute(ramp);
        double slope = Math.hypot(a, b);
        for (int y = bank.halo(); y < 90 - bank.halo(); y++) {
            for (int x = bank.halo(); x < 90 - bank.halo(); x++) {
                for (int i = 0; i < bank.featureCount() / 3; i++) {
                    String name = bank.featureNames().get(i);
                    double expected;
                    if (name.matches("\\w+ Gaussian σ=.*")) {
                        expected = 0.1 + a * x + b * y;
                    } else if (name.contains("gradient")) {
                        expected = slope;
                    } else if (name.contains("structure tensor eigenvalue 1")) {
                        expected = slope * slope;
                    } else {
                        expected = 0;
                    }
                    assertThat((double) f.get(i, x, y)).as(name + " at " + x + "," + y).isCloseTo(expected, within(2e-5));
                }
            }
        }
    }

    @Test
    void paraboloidHasItsCurvaturesAsHessianEigenvalues() {
        double p = 0.002, q = -0.001;
        Raster bowl = TestImages.grey(81, 81, (x, y) -> p * (x - 40) * (x - 40) + q * (y - 40) * (y - 40));
        FeatureBank bank = new FeatureBank(FeatureSettings.parse("kinds=hessian,log,gradient;sigmas=1,2"));
        Raster f = bank.compute(bowl);
        for (int y = 20; y <= 60; y += 5) {
            for (int x = 20; x <= 60; x += 5) {
                for (int s = 0; s < 2; s++) {
                    int base = s * 4;
                    assertThat((double) f.get(base, x, y)).isCloseTo(2 * p, within(1e-5));
                    assertThat((double) f.get(base + 1, x, y)).isCloseTo(2 * q, within(1e-5));
                    assertThat((double) f.get(base + 2, x, y)).isCloseTo(2 * p + 2 * q, within(1e-5));
                    double gradient = Math.hypot(2 * p * (x - 40), 2 * q * (y - 40));
                    assertThat((double) f.get(base + 3, x, y)).isCloseTo(gradient, within(1e-5));
                }
            }
        }
    }

    @Test
    void brightSpotHasNegativeLaplacianAndDifferenceOfGaussiansAtItsCentre() {
        Raster spot = TestImages.grey(41, 41, (x, y) -> Math.exp(-((x - 20) * (x - 20) + (y - 20) * (y - 20)) / 8.0));
        FeatureBank bank = new FeatureBank(FeatureSettings.parse("kinds=log,dog,hessian;sigmas=2"));
        Raster f = bank.compute(spot);
        assertThat(f.get(0, 20, 20)).isNegative();
        assertThat(f.get(1, 20, 20)).isNegative();
        // Both Hessian eigenvalues negative and equal at the centre of a round spot.
        assertThat(f.get(2, 20, 20)).isNegative().isCloseTo(f.get(3, 20, 20), within(1e-6f));
    }

    @Test
    void gaussianEqualsDirectConvolutionWithMirroredBorders() {
        Raster image = TestImages.tissue(23, 19, 3);
        double sigma = 1.6;
        FeatureBank bank = new FeatureBank(FeatureSettings.parse("kinds=gaussian;sigmas=1.6"));
        Raster f = bank.compute(image);
        int r = (int) (4 * sigma + 0.5);
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int k = -r; k <= r; k++) {
            w[k + r] = Math.exp(-k * k / (2 * sigma * sigma));
            sum += w[k + r];
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 19; y++) {
                for (int x = 0; x < 23; x++) {
                    double expected = 0;
                    for (int j = -r; j <= r; j++) {
                        for (int i = -r; i <= r; i++) {
                            expected += w[j + r] * w[i + r] / (sum * sum)
                                    * image.get(c, mirror(x + i, 23), mirror(y + j, 19));
                        }
                    }
                    assertThat((double) f.get(c, x, y)).as("channel " + c + " at " + x + "," + y)
                            .isCloseTo(expected, within(1e-5));
                }
            }
        }
    }

    @Test
    void stainChannelsAreTheDeconvolvedPlanes() {
        Raster image = TestImages.tissue(30, 20, 5);
        Raster stains = StainDeconvolution.HEMATOXYLIN_EOSIN.deconvolve(image);
        FeatureSettings onStains = FeatureSettings.parse("kinds=gaussian,structure;sigmas=1;channels=rgb+he");
        Raster f = new FeatureBank(onStains).compute(image);
        Raster reference = new FeatureBank(onStains.withChannels(ChannelSet.RGB)).compute(stains);
        // Features 9.. are hematoxylin then eosin; the reference has them as its first two channels.
        for (int i = 0; i < 6; i++) {
            assertThat(f.plane(9 + i)).containsExactly(reference.plane(i));
        }
        Raster rgbOnly = new FeatureBank(onStains.withChannels(ChannelSet.RGB)).compute(image);
        for (int i = 0; i < 9; i++) {
            assertThat(f.plane(i)).containsExactly(rgbOnly.plane(i));
        }
    }

    @Test
    void computingIntoAGivenRasterReusesScratchAndGivesTheSameResult() {
        FeatureBank bank = new FeatureBank(ALL_KINDS);
        Raster a = TestImages.tissue(50, 40, 1), b = TestImages.tissue(33, 61, 2);
        Raster expectedA = bank.compute(a);
        Raster out = Raster.allocate(33, 61, bank.featureCount());
        bank.compute(b, out);
        Raster again = Raster.allocate(50, 40, bank.featureCount());
        bank.compute(a, again);
        FeatureBankTilingTest.assertSameBits(again, expectedA, "after another image");
        FeatureBankTilingTest.assertSameBits(out, new FeatureBank(ALL_KINDS).compute(b), "second image");
    }

    @Test
    void badArgumentsAreRejectedWithWhatIsWrong() {
        FeatureBank bank = new FeatureBank(FeatureSettings.scikitImage());
        Raster image = TestImages.tissue(20, 20, 1);
        assertThatThrownBy(() -> bank.compute(image, Raster.allocate(20, 20, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20 x 20 x 60");
        assertThatThrownBy(() -> bank.compute(image, new PixelRegion(15, 0, 10, 10)))
                .hasMessageContaining("not inside the slide");
        assertThatThrownBy(() -> bank.compute(Raster.allocate(5, 5, 1)))
                .hasMessageContaining("RGB raster, got 1 channels");
    }

    private static int mirror(int i, int n) {
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - i - 1;
        }
        return i;
    }
}
