package org.histodraw.engine.colour;

import java.util.List;
import org.histodraw.engine.math.PortableMath;
import org.histodraw.engine.raster.Raster;

/**
 * Colour deconvolution (Ruifrok and Johnston 2001): splits an RGB bright-field image into the
 * amounts of three stains. Each channel's intensity {@code I} in [0, 1] becomes an optical density
 * {@code OD = -log10(I)}; the three densities are a linear mix of the stain vectors, so multiplying
 * by the inverse of the stain matrix gives each stain's concentration.
 *
 * <p>Guaranteed: black never yields an infinite density (intensity is floored at
 * {@link #MIN_INTENSITY}); each output depends on its own pixel only, so results are the same
 * whatever the tiling. Not guaranteed: concentrations stay non-negative (noise and colours outside
 * the stains' span give small negative values, kept as they are) or are comparable between
 * laboratories (that needs stain vectors measured on the slides at hand).
 *
 * <p>Immutable and thread-safe.
 */
public final class StainDeconvolution {

    /** Hematoxylin, eosin and their residual, with Ruifrok and Johnston's vectors. */
    public static final StainDeconvolution HEMATOXYLIN_EOSIN = of(StainVector.HEMATOXYLIN, StainVector.EOSIN);
    /** Hematoxylin, DAB (immunohistochemistry brown) and their residual. */
    public static final StainDeconvolution HEMATOXYLIN_DAB = of(StainVector.HEMATOXYLIN, StainVector.DAB);

    /**
     * Half an 8-bit grey level: the floor on intensity, so that black has a finite density
     * (about 2.71) that is still above the darkest recorded level (1/255, density 2.41).
     */
    public static final float MIN_INTENSITY = 0.5f / 255f;

    // Densities of the 256 8-bit levels as Raster.fromPackedRgb scales them; other values are computed.
    private static final float[] LEVELS = new float[256];
    private static final float[] LEVEL_DENSITY = new float[256];

    static {
        // i / 255f exactly as image readers (and Raster.fromPackedRgb) scale 8-bit values, so that
        // every pixel of an 8-bit image hits the table.
        for (int i = 0; i < 256; i++) {
            LEVELS[i] = i / 255f;
            LEVEL_DENSITY[i] = computeDensity(LEVELS[i]);
        }
    }

    private final List<StainVector> stains;
    // Inverse stain matrix, row = input channel (R, G, B), column = stain.
    private final float[] unmix = new float[9];

    private StainDeconvolution(StainVector given1, StainVector given2, StainVector given3) {
        this.stains = List.of(given1, given2, given3);
        StainVector first = given1.normalised(), second = given2.normalised(), third = given3.normalised();
        double[][] m = {
                {first.red(), first.green(), first.blue()},
                {second.red(), second.green(), second.blue()},
                {third.red(), third.green(), third.blue()}};
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        if (Math.abs(det) < 1e-6) {
            throw new IllegalArgumentException("stain vectors " + first.name() + ", " + second.name() + " and "
                    + third.name() + " are not independent (determinant " + det + ")");
        }
        // OD (row vector) = c * M, so c = OD * inverse(M); inverse by cofactors.
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                double cofactor = m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
                unmix[i * 3 + j] = (float) (cofactor / det);
            }
        }
    }

    /** Two measured stains; the third is their {@linkplain StainVector#residual residual}. */
    public static StainDeconvolution of(StainVector first, StainVector second) {
        return new StainDeconvolution(first, second, StainVector.residual(first, second));
    }

    /** Three measured stains, for example hematoxylin, eosin and DAB. */
    public static StainDeconvolution of(StainVector first, StainVector second, StainVector third) {
        return new StainDeconvolution(first, second, third);
    }

    /** Two stains as a pair of {@link StainVectors}; the third is their residual. */
    public static StainDeconvolution of(StainVectors stains) {
        return of(stains.first(), stains.second());
    }

    /** The three stains as given, in output order. */
    public List<StainVector> stains() {
        return stains;
    }

    /** {@code -log10(max(intensity, MIN_INTENSITY))}; fast for the 256 levels of 8-bit images. */
    public static float opticalDensity(float intensity) {
        int level = eightBitLevel(intensity);
        return level >= 0 ? LEVEL_DENSITY[level] : computeDensity(intensity);
    }

    /** The 8-bit level an intensity is exactly (as image readers scale them), or -1. */
    private static int eightBitLevel(float intensity) {
        int level = (int) (intensity * 255f + 0.5f);
        return level >= 0 && level < 256 && LEVELS[level] == intensity ? level : -1;
    }

    private static float computeDensity(float intensity) {
        if (intensity != intensity) {
            return Float.NaN; // a missing value stays missing (the logarithm's reduction would give -308)
        }
        float density = (float) -PortableMath.log10(Math.max(intensity, MIN_INTENSITY));
        // -log10(1) is -0 on the JVM but +0 in the browser build (which negates as 0 - x): one zero.
        return density == 0f ? 0f : density;
    }

    /**
     * Densities of intensities off the 8-bit levels, remembered: the pixels of coarser pyramid
     * levels are means of 8-bit values, a few thousand distinct numbers over a whole slide, and
     * looking one up costs a fraction of its logarithm (a third of the time of deconvolving a
     * level-2 image). Each density is the one {@link #opticalDensity} gives, bit for bit. Not
     * thread-safe: one per caller that deconvolves again and again, such as a feature bank's level.
     */
    public static final class DensityMemo {
        private static final int SLOT_BITS = 12;
        private int[] keys;
        private float[] densities;

        /** {@link #opticalDensity}, remembered for values off the 8-bit levels. */
        public float density(float intensity) {
            int level = eightBitLevel(intensity);
            if (level >= 0) {
                return LEVEL_DENSITY[level];
            }
            if (intensity != intensity) {
                return computeDensity(intensity);
            }
            if (keys == null) {
                keys = new int[1 << SLOT_BITS];
                densities = new float[1 << SLOT_BITS];
                java.util.Arrays.fill(keys, -1); // a NaN pattern: never the key of a number
            }
            int bits = Float.floatToIntBits(intensity);
            int slot = (bits * 0x9E3779B9) >>> (32 - SLOT_BITS);
            if (keys[slot] != bits) {
                keys[slot] = bits;
                densities[slot] = computeDensity(intensity);
            }
            return densities[slot];
        }
    }

    /** The three stain concentrations of one RGB colour (components in [0, 1]). */
    public float[] concentrations(float red, float green, float blue) {
        float r = opticalDensity(red), g = opticalDensity(green), b = opticalDensity(blue);
        float[] c = new float[3];
        for (int s = 0; s < 3; s++) {
            c[s] = r * unmix[s] + g * unmix[3 + s] + b * unmix[6 + s];
        }
        return c;
    }

    /** All three stains as a new three-plane raster of the same size. */
    public Raster deconvolve(Raster rgb) {
        Raster out = Raster.allocate(rgb.width(), rgb.height(), 3);
        deconvolve(rgb, 0, 0, rgb.width(), rgb.height(),
                new float[][] {out.plane(0), out.plane(1), out.plane(2)});
        return out;
    }

    /**
     * Writes the stains of the pixels in a rectangle of {@code rgb} into {@code out}, one row-major
     * plane of {@code width * height} per stain; a {@code null} plane (or fewer than three) skips that
     * stain. Allocates nothing for 8-bit images.
     */
    public void deconvolve(Raster rgb, int x, int y, int width, int height, float[][] out) {
        deconvolve(rgb, x, y, width, height, out, new DensityMemo());
    }

    /** As {@link #deconvolve(Raster, int, int, int, int, float[][])}, remembering densities in {@code memo}. */
    public void deconvolve(Raster rgb, int x, int y, int width, int height, float[][] out, DensityMemo memo) {
        if (rgb.channels() < 3) {
            throw new IllegalArgumentException("colour deconvolution needs an RGB raster, got "
                    + rgb.channels() + " channels");
        }
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > rgb.width() || y + height > rgb.height()) {
            throw new IllegalArgumentException("rectangle " + x + "," + y + " " + width + " x " + height
                    + " is not inside the raster " + rgb.width() + " x " + rgb.height());
        }
        if (out.length > 3) {
            throw new IllegalArgumentException("there are three stains, got " + out.length + " output planes");
        }
        for (float[] plane : out) {
            if (plane != null && plane.length < width * height) {
                throw new IllegalArgumentException("output plane holds " + plane.length + " values, needs "
                        + width * height);
            }
        }
        float[] red = rgb.plane(0), green = rgb.plane(1), blue = rgb.plane(2);
        // Locals, not the fields and the array of planes: the JIT cannot tell that the output
        // stores leave the matrix alone, and would reload it for every pixel. Null checks of the
        // planes do not change in the loop, so it compiles one loop per case.
        float[] first = out.length > 0 ? out[0] : null;
        float[] second = out.length > 1 ? out[1] : null;
        float[] third = out.length > 2 ? out[2] : null;
        float u0 = unmix[0], u1 = unmix[1], u2 = unmix[2];
        float u3 = unmix[3], u4 = unmix[4], u5 = unmix[5];
        float u6 = unmix[6], u7 = unmix[7], u8 = unmix[8];
        for (int row = 0; row < height; row++) {
            int in = (y + row) * rgb.width() + x;
            int o = row * width;
            for (int i = 0; i < width; i++) {
                float r = memo.density(red[in + i]);
                float g = memo.density(green[in + i]);
                float b = memo.density(blue[in + i]);
                if (first != null) {
                    first[o + i] = r * u0 + g * u3 + b * u6;
                }
                if (second != null) {
                    second[o + i] = r * u1 + g * u4 + b * u7;
                }
                if (third != null) {
                    third[o + i] = r * u2 + g * u5 + b * u8;
                }
            }
        }
    }
}
