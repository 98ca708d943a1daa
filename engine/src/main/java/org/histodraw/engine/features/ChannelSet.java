package org.histodraw.engine.features;

import java.util.List;
import java.util.Locale;
import org.histodraw.engine.colour.StainVectors;

/**
 * The image channels features are computed on: the red, green and blue of the image, the stain
 * amounts found by colour deconvolution, or both. The stain vectors are Ruifrok and Johnston's
 * presets unless the feature settings give a slide's own ({@link FeatureSettings#stains()}).
 */
public enum ChannelSet {
    RGB("rgb", null, 0, List.of("Red", "Green", "Blue")),
    /** Hematoxylin (nuclei) and eosin (cytoplasm, stroma) of H&E slides. */
    HEMATOXYLIN_EOSIN("he", StainVectors.HEMATOXYLIN_EOSIN, 2, List.of("Hematoxylin", "Eosin")),
    /** Hematoxylin and DAB (the brown of immunohistochemistry). */
    HEMATOXYLIN_DAB("hdab", StainVectors.HEMATOXYLIN_DAB, 2, List.of("Hematoxylin", "DAB")),
    RGB_HEMATOXYLIN_EOSIN("rgb+he", StainVectors.HEMATOXYLIN_EOSIN, 2,
            List.of("Red", "Green", "Blue", "Hematoxylin", "Eosin")),
    RGB_HEMATOXYLIN_DAB("rgb+hdab", StainVectors.HEMATOXYLIN_DAB, 2,
            List.of("Red", "Green", "Blue", "Hematoxylin", "DAB"));

    private final String token;
    private final StainVectors stains;
    private final int stainCount;
    private final List<String> channelNames;

    ChannelSet(String token, StainVectors stains, int stainCount, List<String> channelNames) {
        this.token = token;
        this.stains = stains;
        this.stainCount = stainCount;
        this.channelNames = channelNames;
    }

    /** Short name used in the settings text form, e.g. {@code rgb+he}. */
    public String token() {
        return token;
    }

    /** Channel names in feature order: red, green, blue first, then the stains. */
    public List<String> channelNames() {
        return channelNames;
    }

    public int channelCount() {
        return channelNames.size();
    }

    /** Whether the red, green and blue channels are among the inputs. */
    public boolean includesRgb() {
        return channelNames.size() > stainCount;
    }

    /** The preset stain vectors of the stain channels, or {@code null} for {@link #RGB}. */
    public StainVectors presetStains() {
        return stains;
    }

    /** How many of the deconvolution's stains are used (the first ones; the residual never is). */
    public int stainCount() {
        return stainCount;
    }

    /** The set with this token or enum name, case-insensitive. */
    public static ChannelSet parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ChannelSet c : values()) {
            if (c.token.equals(t) || c.name().toLowerCase(Locale.ROOT).equals(t)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (ChannelSet c : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(c.token);
        }
        throw new IllegalArgumentException("unknown channel set '" + text.trim() + "' (known: " + known + ")");
    }
}
