package org.histodraw.slides.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.histodraw.engine.raster.Raster;

/**
 * How a slide that is not plain 8-bit RGB is turned into the colours a viewer shows (as QuPath's
 * brightness and contrast dialog, or ImageJ's composite mode): each visible channel's original
 * values are mapped linearly from its range onto black..its colour, and the channels are added
 * (an additive composite, clipped at full brightness). Only the display: analysis reads the
 * original values ({@link org.histodraw.slides.io.SlideImage#readChannels}).
 *
 * <p>Immutable; the {@link #fingerprint()} names the settings in tile ETags, so a tile cached
 * under other settings is never shown.
 */
public record DisplaySettings(List<ChannelDisplay> channels) {
    /** More channels than any fluorescence panel has; a hostile settings body stops here. */
    public static final int MAX_CHANNELS = 64;

    public DisplaySettings {
        channels = List.copyOf(channels);
        if (channels.isEmpty() || channels.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException("display settings need 1.." + MAX_CHANNELS + " channels, not " + channels.size());
        }
    }

    /**
     * Renders original channel values (one plane per channel, as {@code readChannels} gives them) as
     * opaque 0xFFRRGGBB pixels. NaN (float images mark missing data so) shows black.
     */
    public int[] render(Raster values) {
        if (values.channels() != channels.size()) {
            throw new IllegalArgumentException("display settings of " + channels.size() + " channels for "
                    + values.channels() + " channels of pixels");
        }
        int n = values.pixelCount();
        float[] r = new float[n], g = new float[n], b = new float[n];
        for (int c = 0; c < channels.size(); c++) {
            ChannelDisplay d = channels.get(c);
            if (!d.visible()) {
                continue;
            }
            float cr = (d.rgb() >> 16 & 0xff) / 255f, cg = (d.rgb() >> 8 & 0xff) / 255f, cb = (d.rgb() & 0xff) / 255f;
            float min = (float) d.min(), scale = (float) (1 / (d.max() - d.min()));
            float[] p = values.plane(c);
            for (int i = 0; i < n; i++) {
                float v = (p[i] - min) * scale;
                if (!(v > 0)) {
                    continue; // below the range, or NaN
                }
                if (v > 1) {
                    v = 1;
                }
                r[i] += v * cr;
                g[i] += v * cg;
                b[i] += v * cb;
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 0xff000000 | eight(r[i]) << 16 | eight(g[i]) << 8 | eight(b[i]);
        }
        return out;
    }

    private static int eight(float v) {
        int q = Math.round(v * 255f);
        return q > 255 ? 255 : q;
    }

    /** The same settings for other channels, checked to fit them (count). */
    public DisplaySettings checkFits(List<ImageChannel> imageChannels) {
        if (imageChannels.size() != channels.size()) {
            throw new IllegalArgumentException("the slide has " + imageChannels.size() + " channels, the display settings name "
                    + channels.size());
        }
        return this;
    }

    /** A short stable text naming these settings (for ETags and caches). */
    public String fingerprint() {
        StringBuilder s = new StringBuilder();
        for (ChannelDisplay d : channels) {
            s.append(d.visible() ? '1' : '0').append(Integer.toHexString(d.rgb())).append(':')
                    .append(Double.toString(d.min())).append(':').append(Double.toString(d.max())).append(';');
        }
        return Long.toHexString(fnv(s.toString()));
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** As JSON-ready maps: {@code [{visible, color: "#rrggbb", min, max}, ...]}. */
    public List<Map<String, Object>> toMaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChannelDisplay d : channels) {
            out.add(Map.of("visible", d.visible(), "color", String.format(Locale.ROOT, "#%06x", d.rgb()), "min", d.min(), "max", d.max()));
        }
        return out;
    }

    /**
     * Reads the maps {@link #toMaps()} writes (as a JSON parser gives them), checked against the
     * slide's channels; IllegalArgumentException naming the first problem.
     */
    public static DisplaySettings fromMaps(List<?> maps, List<ImageChannel> imageChannels) {
        if (maps.size() != imageChannels.size()) {
            throw new IllegalArgumentException("the slide has " + imageChannels.size() + " channels; the display settings must name "
                    + "each once, in order (" + maps.size() + " given)");
        }
        List<ChannelDisplay> out = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            if (!(maps.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("channel " + i + ": expected an object {visible, color, min, max}");
            }
            String where = "channel " + i + " (" + imageChannels.get(i).name() + ")";
            boolean visible = !(m.get("visible") instanceof Boolean v) || v;
            int rgb = m.get("color") == null ? imageChannels.get(i).rgb() : colour(m.get("color"), where);
            double min = number(m.get("min"), where + " min");
            double max = number(m.get("max"), where + " max");
            try {
                out.add(new ChannelDisplay(visible, rgb, min, max));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return new DisplaySettings(out);
    }

    private static int colour(Object value, String where) {
        if (value instanceof String s && s.matches("#[0-9a-fA-F]{6}")) {
            return Integer.parseInt(s.substring(1), 16);
        }
        throw new IllegalArgumentException(where + ": color must be \"#rrggbb\", not " + value);
    }

    private static double number(Object value, String where) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(where + " must be a finite number, not " + value);
    }
}
