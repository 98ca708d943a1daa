package org.histodraw.service.preview;

/**
 * The colours of the uncertainty overlay: a ramp from clear (the forest is sure: the tissue shows
 * through) over blue and purple to orange and yellow (the trees disagree: draw regions there), the
 * stops of matplotlib's "plasma", perceptually ordered and readable by the colour-blind. Alpha rises
 * with the uncertainty so confident tissue stays visible; the viewer's opacity slider scales it all.
 * The viewer draws the legend from the same stops ({@link #STOPS}, served in {@code /api/info}).
 */
public final class UncertaintyRamp {
    /** Stops at 0, 0.25, 0.5, 0.75 and 1: RGB of plasma. */
    public static final int[] STOPS = {0x0d0887, 0x7e03a8, 0xcc4778, 0xf89540, 0xf0f921};

    private UncertaintyRamp() {
    }

    /** ARGB of an uncertainty in 0..1 (NaN and values outside are clamped; NaN counts as 0). */
    public static int argb(float uncertainty) {
        float u = uncertainty >= 0 ? Math.min(1, uncertainty) : 0;
        float at = u * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) at);
        float t = at - i;
        int a = STOPS[i], b = STOPS[i + 1];
        int r = mix(a >>> 16 & 0xff, b >>> 16 & 0xff, t), g = mix(a >>> 8 & 0xff, b >>> 8 & 0xff, t), bl = mix(a & 0xff, b & 0xff, t);
        int alpha = Math.round(255 * Math.min(1, 1.5f * u)); // clear where sure, opaque from 2/3 on
        return alpha << 24 | r << 16 | g << 8 | bl;
    }

    /** The stops as CSS colours, for the legend. */
    public static java.util.List<String> css() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int s : STOPS) {
            out.add(String.format("#%06x", s));
        }
        return out;
    }

    private static int mix(int a, int b, float t) {
        return Math.round(a + (b - a) * t);
    }
}
