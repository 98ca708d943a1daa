package org.histodraw.engine.colour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class StainDeconvolutionTest {

    /** The RGB a pixel has when it holds {@code amount} of a stain and nothing else. */
    private static float[] colourOf(StainVector given, double amount) {
        StainVector stain = given.normalised();
        return new float[] {
                (float) Math.pow(10, -amount * stain.red()),
                (float) Math.pow(10, -amount * stain.green()),
                (float) Math.pow(10, -amount * stain.blue())};
    }

    @Test
    void pureHematoxylinGivesHematoxylinAndNoEosin() {
        float[] rgb = colourOf(StainVector.HEMATOXYLIN, 0.8);
        float[] c = StainDeconvolution.HEMATOXYLIN_EOSIN.concentrations(rgb[0], rgb[1], rgb[2]);
        assertThat(c[0]).isCloseTo(0.8f, within(1e-4f));
        assertThat(c[1]).isCloseTo(0f, within(1e-4f));
        assertThat(c[2]).isCloseTo(0f, within(1e-4f));
    }

    @Test
    void pureEosinGivesEosinAndNoHematoxylin() {
        float[] rgb = colourOf(StainVector.EOSIN, 0.5);
        float[] c = StainDeconvolution.HEMATOXYLIN_EOSIN.concentrations(rgb[0], rgb[1], rgb[2]);
        assertThat(c[0]).isCloseTo(0f, within(1e-4f));
        assertThat(c[1]).isCloseTo(0.5f, within(1e-4f));
    }

    @Test
    void mixturesSeparateIntoTheirParts() {
        StainVector h = StainVector.HEMATOXYLIN.normalised(), d = StainVector.DAB.normalised();
        double ch = 0.3, cd = 0.6;
        float r = (float) Math.pow(10, -(ch * h.red() + cd * d.red()));
        float g = (float) Math.pow(10, -(ch * h.green() + cd * d.green()));
        float b = (float) Math.pow(10, -(ch * h.blue() + cd * d.blue()));
        float[] c = StainDeconvolution.HEMATOXYLIN_DAB.concentrations(r, g, b);
        assertThat(c[0]).isCloseTo(0.3f, within(1e-4f));
        assertThat(c[1]).isCloseTo(0.6f, within(1e-4f));
    }

    @Test
    void whiteHasNoStain() {
        float[] c = StainDeconvolution.HEMATOXYLIN_EOSIN.concentrations(1f, 1f, 1f);
        for (float v : c) {
            assertThat(v).isCloseTo(0f, within(0f));
        }
    }

    @Test
    void blackHasAFiniteDensity() {
        assertThat(StainDeconvolution.opticalDensity(0f)).isCloseTo((float) -Math.log10(0.5 / 255), within(1e-6f));
        float[] c = StainDeconvolution.HEMATOXYLIN_EOSIN.concentrations(0f, 0f, 0f);
        for (float v : c) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void eightBitLevelsAndOtherValuesGiveTheSameDensityFormula() {
        for (int level = 0; level < 256; level++) {
            float v = level * (1f / 255f);
            float expected = (float) -Math.log10(Math.max(v, StainDeconvolution.MIN_INTENSITY));
            assertThat(StainDeconvolution.opticalDensity(v)).isEqualTo(expected);
        }
        assertThat(StainDeconvolution.opticalDensity(0.123456f)).isEqualTo((float) -Math.log10(0.123456f));
    }

    @Test
    void residualIsOrthogonalToBothStains() {
        StainVector r = StainVector.residual(StainVector.HEMATOXYLIN, StainVector.EOSIN).normalised();
        assertThat(dot(r, StainVector.HEMATOXYLIN.normalised())).isCloseTo(0, within(1e-12));
        assertThat(dot(r, StainVector.EOSIN.normalised())).isCloseTo(0, within(1e-12));
        assertThat(dot(r, r)).isCloseTo(1, within(1e-12));
    }

    @Test
    void rasterDeconvolutionMatchesPixelDeconvolution() {
        Raster rgb = Raster.fromPackedRgb(3, 1, new int[] {0x8040c0, 0xffffff, 0x102030});
        Raster stains = StainDeconvolution.HEMATOXYLIN_DAB.deconvolve(rgb);
        for (int x = 0; x < 3; x++) {
            float[] c = StainDeconvolution.HEMATOXYLIN_DAB.concentrations(rgb.get(0, x, 0), rgb.get(1, x, 0), rgb.get(2, x, 0));
            for (int s = 0; s < 3; s++) {
                assertThat(stains.get(s, x, 0)).isEqualTo(c[s]);
            }
        }
    }

    @Test
    void customVectorsKeepTheirComponentsAndDeconvolveByTheirDirection() {
        StainVector v = new StainVector("Mine", 3, 0, 4);
        assertThat(v.red()).isEqualTo(3);
        assertThat(v.normalised().red()).isCloseTo(0.6, within(1e-12));
        assertThat(v.normalised().blue()).isCloseTo(0.8, within(1e-12));
        float[] rgb = {0.3f, 0.5f, 0.7f};
        float[] scaled = StainDeconvolution.of(new StainVector("H", 6.5, 7.04, 2.86), StainVector.EOSIN)
                .concentrations(rgb[0], rgb[1], rgb[2]);
        float[] preset = StainDeconvolution.HEMATOXYLIN_EOSIN.concentrations(rgb[0], rgb[1], rgb[2]);
        assertThat(scaled).containsExactly(preset);
    }

    @Test
    void presetMatricesKeepTheBitsTheyHadBeforeVectorsWereKeptAsGiven() {
        // Concentrations of unit densities in R, G, B, as hex floats, measured before the change.
        assertThat(unitResponses(StainDeconvolution.HEMATOXYLIN_EOSIN))
                .isEqualTo("3fbe99e8 bf8a881d bea9e925 be268d2c 3f8f1832 bd9ad0ac 3f03308c be958d38 3f70b73e ");
        assertThat(unitResponses(StainDeconvolution.HEMATOXYLIN_DAB))
                .isEqualTo("3f999c5c bf307bb7 3f22def0 3f2f697b 3cc14e54 bf35c451 bf6af2e2 3fc11d44 3e9a87bc ");
    }

    private static String unitResponses(StainDeconvolution d) {
        StringBuilder sb = new StringBuilder();
        float i = (float) Math.pow(10, -1);
        for (float[] p : new float[][] {{i, 1f, 1f}, {1f, i, 1f}, {1f, 1f, i}}) {
            for (float v : d.concentrations(p[0], p[1], p[2])) {
                sb.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
            }
        }
        return sb.toString();
    }

    @Test
    void badVectorsAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> new StainVector("Zero", 0, 0, 0)).hasMessageContaining("Zero").hasMessageContaining("zero");
        assertThatThrownBy(() -> new StainVector("NaN", Double.NaN, 0, 1)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> StainDeconvolution.of(StainVector.HEMATOXYLIN,
                new StainVector("Same", 0.65, 0.704, 0.286))).hasMessageContaining("same colour");
        assertThatThrownBy(() -> StainDeconvolution.of(StainVector.HEMATOXYLIN, StainVector.EOSIN,
                new StainVector("Sum", 0.722, 1.694, 0.391))).hasMessageContaining("not independent");
    }

    @Test
    void opticalDensitiesAreMathLog10sFloatsFromBasicArithmeticOnly() {
        // The densities come from a log10 made of + - * / (identical bits on the JVM and in the
        // browser build); for every 8-bit level they are the floats Math.log10 gives, zero without sign.
        for (int level = 0; level < 256; level++) {
            float intensity = level / 255f;
            float expected = (float) -Math.log10(Math.max(intensity, StainDeconvolution.MIN_INTENSITY));
            assertThat(StainDeconvolution.opticalDensity(intensity)).as("level %d", level).isEqualTo(expected == 0f ? 0f : expected);
        }
        assertThat(Float.floatToRawIntBits(StainDeconvolution.opticalDensity(1f))).isZero();
        assertThat(StainDeconvolution.opticalDensity(Float.NaN)).as("a missing value stays missing").isNaN();
    }

    @Test
    void aMemoOfDensitiesGivesTheVeryBitsOfTheDensityAlsoWhenItsSlotsCollide() {
        StainDeconvolution.DensityMemo memo = new StainDeconvolution.DensityMemo();
        java.util.Random random = new java.util.Random(7);
        // Means of four 8-bit values as a coarser pyramid level makes them: far more than the memo's
        // slots, so slots are taken over again and again; asked twice, the second from the memo.
        for (int round = 0; round < 2; round++) {
            random.setSeed(7);
            for (int i = 0; i < 100_000; i++) {
                float mean = ((random.nextInt(256) / 255f + random.nextInt(256) / 255f)
                        + (random.nextInt(256) / 255f + random.nextInt(256) / 255f)) / 4f;
                assertThat(Float.floatToRawIntBits(memo.density(mean)))
                        .isEqualTo(Float.floatToRawIntBits(StainDeconvolution.opticalDensity(mean)));
            }
        }
        // Off the scale, and NaN (including the NaN that marks an empty slot): never remembered wrongly.
        for (float odd : new float[] {0f, -0f, -1f, 2f, 1f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(-1)}) {
            assertThat(Float.floatToRawIntBits(memo.density(odd))).as("%s", odd)
                    .isEqualTo(Float.floatToRawIntBits(StainDeconvolution.opticalDensity(odd)));
        }
    }

    private static double dot(StainVector a, StainVector b) {
        return a.red() * b.red() + a.green() * b.green() + a.blue() * b.blue();
    }
}
