package org.histodraw.engine.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PortableMathTest {

    @Test
    void log10IsWithinAFewUlpsOfStrictMath() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            double x = Math.exp((random.nextDouble() - 0.5) * 60);
            double reference = StrictMath.log10(x);
            assertThat(PortableMath.log10(x)).as("log10(%s)", x)
                    .isCloseTo(reference, within(8 * Math.ulp(reference) + 1e-300));
        }
    }

    @Test
    void log10KeepsItsDigitsNearOneAndAtEveryEightBitLevel() {
        Random random = new Random(4);
        for (int i = 0; i < 100_000; i++) {
            double x = 1 + (random.nextDouble() - 0.5) * Math.pow(2, -random.nextInt(50));
            double reference = StrictMath.log10(x);
            assertThat(PortableMath.log10(x)).as("log10(%s)", x)
                    .isCloseTo(reference, within(8 * Math.ulp(reference) + 1e-300));
        }
        for (int level = 1; level <= 1020; level++) {
            double x = level / 1020.0; // the means of four 8-bit levels, as coarser pyramid levels hold
            double reference = StrictMath.log10(x);
            assertThat(PortableMath.log10(x)).as("log10(%s)", x)
                    .isCloseTo(reference, within(8 * Math.ulp(reference) + 1e-300));
        }
        assertThat(PortableMath.log10(1)).isZero();
        assertThat(PortableMath.log10(1000)).isCloseTo(3, within(4 * Math.ulp(3.0)));
    }

    @Test
    void expIsWithinTwoUlpsOfStrictMathOverTheWholeRange() {
        Random random = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            double x = (random.nextDouble() - 0.5) * 1400;
            double reference = StrictMath.exp(x);
            assertThat(PortableMath.exp(x)).as("exp(%s)", x).isCloseTo(reference, within(2 * Math.ulp(reference)));
        }
        assertThat(PortableMath.exp(0)).isEqualTo(1.0);
        assertThat(PortableMath.exp(1000)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(PortableMath.exp(-1000)).isZero();
        assertThat(PortableMath.exp(Double.NaN)).isNaN();
        assertThat(PortableMath.exp(-740)).isCloseTo(StrictMath.exp(-740), within(4 * Math.ulp(StrictMath.exp(-740))));
    }
}
