package org.histodraw.engine.math;

/**
 * The few transcendental functions the engine needs, made of additions, multiplications,
 * divisions and exact bit operations only, so that the JVM and the browser build compute the same
 * bits. {@code Math.log10} and {@code Math.exp} are not portable: the JVM's intrinsics and the
 * browser's {@code Math} may differ in the last bit, and TeaVM computes log10 as log(x) / ln 10.
 * Each result is within a few ulps of {@code StrictMath}'s; square roots need nothing of this
 * (IEEE rounds them exactly everywhere).
 */
public final class PortableMath {
    private static final double LN2 = 0.6931471805599453;
    private static final double LN10 = 2.302585092994046;
    // ln 2 split so that k * LN2_HI is exact for |k| < 2048 (fdlibm's constants).
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;

    private PortableMath() {
    }

    /**
     * ln c and 1 / c for the mantissas c = j / 128 that {@link #log10} reduces to (j from 90 to 182
     * covers [0.707, 1.414]), the logs summed by the long series once, at class initialisation.
     */
    private static final double[] LOG_OF_STEP = new double[184];
    private static final double[] INVERSE_STEP = new double[184];

    static {
        for (int j = 90; j < LOG_OF_STEP.length; j++) {
            LOG_OF_STEP[j] = seriesLog(j / 128.0);
            INVERSE_STEP[j] = 128.0 / j;
        }
    }

    /**
     * log10 of a positive normal x. x = 2^k m with m in [0.707, 1.414); m = c (1 + r) with c the
     * nearest multiple of 1/128, whose log is in a table (exactly 0 for c = 1, so no cancellation
     * near x = 1), and r = (m - c) / c, |r| < 0.0056, taken by multiplying the exact difference by
     * 128 / j; log(1 + r) by 9 terms of its series (Horner's rule), which reach 1e-19. No division
     * but the last: optical densities of averaged (non 8-bit) pixels at coarser levels spend their
     * time here (17 ns a call by the long series over the whole range, 9 ns now).
     */
    public static double log10(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int k = (int) ((bits >>> 52) & 0x7ff) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
        if (m > 1.4142135623730951) {
            m /= 2;
            k++;
        }
        int j = (int) (m * 128 + 0.5);
        double r = (m - j / 128.0) * INVERSE_STEP[j];
        double series = r * (1 + r * (-1.0 / 2 + r * (1.0 / 3 + r * (-1.0 / 4 + r * (1.0 / 5 + r * (-1.0 / 6
                + r * (1.0 / 7 + r * (-1.0 / 8 + r * (1.0 / 9)))))))));
        return (k * LN2 + (LOG_OF_STEP[j] + series)) / LN10;
    }

    /** ln m for m in [0.707, 1.414) by 2 atanh((m - 1) / (m + 1)) (|s| < 0.172: 12 terms reach 1e-19). */
    private static double seriesLog(double m) {
        double s = (m - 1) / (m + 1), s2 = s * s, term = s, sum = 0;
        for (int n = 1; n <= 23; n += 2) {
            sum += term / n;
            term *= s2;
        }
        return 2 * sum;
    }

    /**
     * e^x. x = k ln 2 + r with |r| <= ln 2 / 2 (Cody and Waite's two-part ln 2 keeps r exact), e^r
     * by its Taylor series (22 terms reach 1e-20, summed by Horner's rule), times 2^k built from its bits.
     */
    public static double exp(double x) {
        if (x != x) {
            return x;
        }
        if (x > 709.782712893384) {
            return Double.POSITIVE_INFINITY;
        }
        if (x < -745.1332191019412) {
            return 0;
        }
        int k = (int) Math.floor(x / LN2 + 0.5);
        double r = (x - k * LN2_HI) - k * LN2_LO;
        // Horner's rule from the smallest term up: 1 + r (1 + r/2 (1 + r/3 (...))).
        double sum = 1;
        for (int n = 22; n >= 1; n--) {
            sum = 1 + r * sum / n;
        }
        // 2^k in two steps when it is below the smallest normal double.
        if (k < -1021) {
            return sum * powerOfTwo(k + 64) * powerOfTwo(-64);
        }
        return sum * powerOfTwo(k);
    }

    /** 2^k for k in [-1022, 1023], exactly. */
    private static double powerOfTwo(int k) {
        return Double.longBitsToDouble((long) (k + 1023) << 52);
    }
}
