package org.histodraw.engine.features;

import java.util.Arrays;

/**
 * Mean and standard deviation of each input channel of one slide (in the order of a
 * {@link ChannelSet}), measured once per slide and handed to every tile's feature computation,
 * so that tiles are normalised alike and tiling still changes no bit.
 *
 * @see FeatureBank#measure(org.histodraw.engine.tiles.TileSource)
 */
public record ChannelStatistics(double[] means, double[] deviations) {

    /** Below this a channel counts as constant and is only centred, not scaled. */
    static final double MIN_DEVIATION = 1e-6;

    public ChannelStatistics {
        if (means.length != deviations.length || means.length == 0) {
            throw new IllegalArgumentException("need one mean and one deviation per channel, got "
                    + means.length + " and " + deviations.length);
        }
        means = means.clone();
        deviations = deviations.clone();
        for (int i = 0; i < deviations.length; i++) {
            if (!Double.isFinite(means[i]) || !(deviations[i] >= 0) || !Double.isFinite(deviations[i])) {
                throw new IllegalArgumentException("channel " + i + " has mean " + means[i] + " and deviation "
                        + deviations[i]);
            }
        }
    }

    public int channels() {
        return means.length;
    }

    /** The factor that standardises channel {@code c}: 1 / deviation (1 for a constant channel). */
    public float scale(int c) {
        return deviations[c] < MIN_DEVIATION ? 1f : (float) (1.0 / deviations[c]);
    }

    public float mean(int c) {
        return (float) means[c];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStatistics s && Arrays.equals(means, s.means) && Arrays.equals(deviations, s.deviations);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(deviations);
    }

    @Override
    public String toString() {
        return "ChannelStatistics" + Arrays.toString(means) + " ± " + Arrays.toString(deviations);
    }
}
