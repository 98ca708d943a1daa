package org.histodraw.enginejs;

import org.histodraw.engine.colour.StainDeconvolution;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.raster.Raster;

/**
 * Hashes of the only values of the engine that come from transcendental functions (whose last bit
 * a JavaScript engine may compute otherwise than the JVM): the optical densities of all 256 8-bit
 * levels ({@code log10}) and Gaussian kernels ({@code exp}) at sigmas 0.3 to 12 in steps of 0.1,
 * read as the Gaussian features of a single bright pixel. Equal fingerprints on the JVM and in the
 * browser mean these inputs of every feature are equal bit for bit, whatever the image.
 */
public final class ArithmeticFingerprint {
    private ArithmeticFingerprint() {
    }

    /** {"densities": hash, "kernels": hash} as one JSON line. */
    public static String compute() {
        long densities = FNV_OFFSET;
        for (int level = 0; level < 256; level++) {
            densities = mix(densities, Float.floatToRawIntBits(StainDeconvolution.opticalDensity(level / 255f)));
        }
        StringBuilder sigmas = new StringBuilder();
        for (int tenths = 3; tenths <= 120; tenths++) {
            sigmas.append(tenths == 3 ? "" : ",").append(tenths / 10).append('.').append(tenths % 10);
        }
        int side = 129;
        int[] impulse = new int[side * side];
        impulse[(side / 2) * side + side / 2] = 0xffffff;
        Raster features = new FeatureBank(FeatureSettings.parse("kinds=gaussian;sigmas=" + sigmas + ";channels=rgb;normalise=none"))
                .compute(Raster.fromPackedRgb(side, side, impulse));
        long kernels = FNV_OFFSET;
        for (int c = 0; c < features.channels(); c++) {
            for (float v : features.plane(c)) {
                kernels = mix(kernels, Float.floatToRawIntBits(v));
            }
        }
        return "{\"densities\":\"" + Long.toHexString(densities) + "\",\"kernels\":\"" + Long.toHexString(kernels)
                + "\",\"kernelFeatures\":" + features.channels() + "}";
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;

    private static long mix(long hash, int bits) {
        for (int shift = 0; shift < 32; shift += 8) {
            hash = (hash ^ ((bits >>> shift) & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }
}
