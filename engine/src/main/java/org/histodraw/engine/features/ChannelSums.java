package org.histodraw.engine.features;

import java.util.List;

/**
 * Sums of each input channel over some pixels of a slide (one measuring window): the part of a
 * slide's {@link ChannelStatistics} that windows can compute independently, on any thread.
 * Combined in the order of the windows, the parts give the very numbers of a serial measurement.
 *
 * @see FeatureBank#measuringWindows(org.histodraw.engine.raster.PixelRegion)
 * @see FeatureBank#sums(org.histodraw.engine.raster.Raster)
 */
public record ChannelSums(long pixels, double[] sums, double[] sumsOfSquares) {

    public ChannelSums {
        if (sums.length != sumsOfSquares.length || sums.length == 0) {
            throw new IllegalArgumentException("need one sum and one sum of squares per channel, got "
                    + sums.length + " and " + sumsOfSquares.length);
        }
        if (pixels < 0) {
            throw new IllegalArgumentException("pixel count is negative: " + pixels);
        }
        sums = sums.clone();
        sumsOfSquares = sumsOfSquares.clone();
    }

    @Override
    public double[] sums() {
        return sums.clone();
    }

    @Override
    public double[] sumsOfSquares() {
        return sumsOfSquares.clone();
    }

    /** The sums of some of the channels, in the given order (those of a bank on fewer channels). */
    public ChannelSums channels(int[] which) {
        double[] s = new double[which.length], sq = new double[which.length];
        for (int i = 0; i < which.length; i++) {
            s[i] = sums[which[i]];
            sq[i] = sumsOfSquares[which[i]];
        }
        return new ChannelSums(pixels, s, sq);
    }

    /** The statistics of all the parts together, summed in list order (so always the same bits). */
    public static ChannelStatistics combine(List<ChannelSums> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no measured pixels: the slide is empty");
        }
        int n = parts.get(0).sums.length;
        double[] sum = new double[n];
        double[] sumSquares = new double[n];
        long count = 0;
        for (ChannelSums part : parts) {
            if (part.sums.length != n) {
                throw new IllegalArgumentException("parts of " + n + " and " + part.sums.length + " channels");
            }
            for (int c = 0; c < n; c++) {
                sum[c] += part.sums[c];
                sumSquares[c] += part.sumsOfSquares[c];
            }
            count += part.pixels;
        }
        if (count == 0) {
            throw new IllegalArgumentException("no measured pixels: the slide is empty");
        }
        double[] means = new double[n];
        double[] deviations = new double[n];
        for (int c = 0; c < n; c++) {
            means[c] = sum[c] / count;
            deviations[c] = Math.sqrt(Math.max(0, sumSquares[c] / count - means[c] * means[c]));
        }
        return new ChannelStatistics(means, deviations);
    }
}
