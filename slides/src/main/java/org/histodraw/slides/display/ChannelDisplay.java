package org.histodraw.slides.display;

/**
 * How one channel is shown: whether at all, in which colour, and which range of its original
 * values maps onto black to full colour (values outside are clipped). Ranges are in the file's own
 * units (0..65535 for 16-bit, any float for float32).
 */
public record ChannelDisplay(boolean visible, int rgb, double min, double max) {
    public ChannelDisplay {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException("a display range needs finite min < max: " + min + " .. " + max);
        }
        rgb &= 0xffffff;
    }

    public ChannelDisplay withRange(double newMin, double newMax) {
        return new ChannelDisplay(visible, rgb, newMin, newMax);
    }
}
