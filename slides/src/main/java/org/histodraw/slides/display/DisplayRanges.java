package org.histodraw.slides.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.histodraw.engine.raster.Raster;

/**
 * The automatic display range of each channel, from the slide's own statistics as QuPath's "auto"
 * brightness and contrast does: the {@value #LOW_PERCENTILE} and {@value #HIGH_PERCENTILE}
 * percentiles of the channel's values in sample windows spread over the slide (so a few saturated
 * or dead pixels do not set the range). NaN is left out. A channel whose values are all one number
 * gets a range around it, so it shows instead of failing.
 */
public final class DisplayRanges {
    public static final double LOW_PERCENTILE = 0.1;
    public static final double HIGH_PERCENTILE = 99.9;
    /** Values kept per channel: enough for a stable 0.1th percentile, little memory. */
    static final int MAX_SAMPLES = 1 << 18;

    private DisplayRanges() {
    }

    /**
     * The auto settings: every channel visible in its own colour, ranged on the percentiles of the
     * values in {@code samples} (rasters of original values, one plane per channel).
     */
    public static DisplaySettings auto(List<ImageChannel> channels, List<Raster> samples) {
        List<ChannelDisplay> out = new ArrayList<>();
        long total = samples.stream().mapToLong(Raster::pixelCount).sum();
        int step = (int) Math.max(1, total / MAX_SAMPLES);
        for (int c = 0; c < channels.size(); c++) {
            float[] values = new float[(int) Math.min(total, MAX_SAMPLES + samples.size())];
            int n = 0;
            long seen = 0;
            for (Raster r : samples) {
                float[] p = r.plane(c);
                for (float v : p) {
                    if (seen++ % step == 0 && !Float.isNaN(v) && n < values.length) {
                        values[n++] = v;
                    }
                }
            }
            double[] range = range(Arrays.copyOf(values, n), channels.get(c));
            out.add(new ChannelDisplay(true, channels.get(c).rgb(), range[0], range[1]));
        }
        return new DisplaySettings(out);
    }

    static double[] range(float[] values, ImageChannel channel) {
        if (values.length == 0) {
            double max = Double.isNaN(channel.typeMax()) ? 1 : channel.typeMax();
            return new double[] {0, max};
        }
        Arrays.sort(values);
        double low = values[(int) Math.floor((values.length - 1) * LOW_PERCENTILE / 100)];
        double high = values[(int) Math.ceil((values.length - 1) * HIGH_PERCENTILE / 100)];
        if (!(high > low)) {
            double spread = Math.max(Math.abs(low) * 0.01, 1e-6);
            return new double[] {low - spread, low + spread};
        }
        return new double[] {low, high};
    }
}
