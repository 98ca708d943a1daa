package org.histodraw.engine.features;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.histodraw.engine.colour.StainVectors;

/**
 * Which features the bank computes: every kind at every sigma on every channel. Immutable; saved
 * in model files through its text form, e.g.
 * {@code kinds=gaussian,gradient,hessian;sigmas=1,2,4;channels=rgb;normalise=slide}, or with a
 * slide's own stain vectors {@code kinds=gaussian;sigmas=1;channels=he;stains=0.62,0.73,0.29/0.3,0.88,0.36}.
 *
 * @param kinds         filters, in output order, at least one, no repeats
 * @param sigmas        Gaussian scales in pixels, in output order, each in (0, {@value #MAX_SIGMA}], no repeats
 * @param channels      input channels
 * @param normalisation whether each slide's channels are standardised first
 * @param stains        the stain vectors of the stain channels: the channel set's preset unless given
 *                      (null means the preset); null for {@link ChannelSet#RGB}
 */
public record FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, ChannelSet channels,
                              Normalisation normalisation, StainVectors stains) {

    /** Largest sigma accepted: beyond it the halo (4 sigma) dwarfs any sensible tile. */
    public static final double MAX_SIGMA = 64;

    // The default set, kept here so that it is easy to tune: smoothed intensity, edges and
    // Hessian texture (scikit-image's trio) at two scales on the hematoxylin and eosin stain
    // channels, each slide standardised (16 features). Chosen on the GBM nuclei series (train on 3
    // slides, apply to 20; mean IoU over 15 forest seeds): sigmas 1 and 2.5 score 0.832 (lowest
    // seed 0.825), the earlier 0.7, 1.6 and 3.5 scored 0.830 (lowest 0.815) for half again the
    // feature time; larger sigmas overfit the few scribbles, RGB adds little over the stains, and
    // per-slide standardisation is what carries a model across slides of different staining.
    private static final List<FeatureKind> DEFAULT_KINDS = List.of(
            FeatureKind.GAUSSIAN, FeatureKind.GRADIENT_MAGNITUDE, FeatureKind.HESSIAN_EIGENVALUES);
    private static final List<Double> DEFAULT_SIGMAS = List.of(1.0, 2.5);
    private static final ChannelSet DEFAULT_CHANNELS = ChannelSet.HEMATOXYLIN_EOSIN;

    public FeatureSettings {
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(sigmas, "sigmas");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(normalisation, "normalisation");
        if (channels.presetStains() == null && stains != null) {
            throw new IllegalArgumentException("stain vectors need stain channels (channels=he, hdab, rgb+he or "
                    + "rgb+hdab), not " + channels.token());
        }
        if (stains == null) {
            stains = channels.presetStains();
        }
        kinds = List.copyOf(kinds);
        sigmas = List.copyOf(sigmas);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("feature settings need at least one feature kind");
        }
        if (new HashSet<>(kinds).size() != kinds.size()) {
            throw new IllegalArgumentException("feature kinds must not repeat: " + kinds);
        }
        if (sigmas.isEmpty()) {
            throw new IllegalArgumentException("feature settings need at least one sigma");
        }
        Set<Double> seen = new HashSet<>();
        for (double s : sigmas) {
            if (!(s > 0) || !(s <= MAX_SIGMA)) {
                throw new IllegalArgumentException("sigma must be in (0, " + formatSigma(MAX_SIGMA) + "]: " + s);
            }
            if (!seen.add(s)) {
                throw new IllegalArgumentException("sigmas must not repeat: " + formatSigma(s) + " in " + sigmas);
            }
        }
    }

    /** Settings with the channel set's preset stain vectors. */
    public FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, ChannelSet channels,
                           Normalisation normalisation) {
        this(kinds, sigmas, channels, normalisation, null);
    }

    /** Settings without normalisation. */
    public FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, ChannelSet channels) {
        this(kinds, sigmas, channels, Normalisation.NONE);
    }

    public FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas) {
        this(kinds, sigmas, ChannelSet.RGB);
    }

    /**
     * scikit-image's {@code multiscale_basic_features} defaults as the original service used them:
     * RGB, sigmas 1, 2, 4, 8, 16, intensity + edges + Hessian texture: 60 features.
     */
    public static FeatureSettings scikitImage() {
        return new FeatureSettings(
                List.of(FeatureKind.GAUSSIAN, FeatureKind.GRADIENT_MAGNITUDE, FeatureKind.HESSIAN_EIGENVALUES),
                List.of(1.0, 2.0, 4.0, 8.0, 16.0), ChannelSet.RGB);
    }

    /** ilastik's canonical features and scales on RGB: all six kinds at 0.3 ... 10, 168 features. */
    public static FeatureSettings ilastik() {
        return new FeatureSettings(List.of(FeatureKind.values()),
                List.of(0.3, 0.7, 1.0, 1.6, 3.5, 5.0, 10.0), ChannelSet.RGB);
    }

    /** A fast set that segments well: see the constants at the top of this class. */
    public static FeatureSettings defaults() {
        return new FeatureSettings(DEFAULT_KINDS, DEFAULT_SIGMAS, DEFAULT_CHANNELS, Normalisation.SLIDE);
    }

    /** The same kinds and channels at other sigmas. */
    public FeatureSettings withSigmas(List<Double> newSigmas) {
        return new FeatureSettings(kinds, newSigmas, channels, normalisation, stains);
    }

    /**
     * The same kinds and sigmas on other channels, keeping custom stain vectors where the new
     * channels use the same stains (he and rgb+he, say), else with the new channels' preset.
     */
    public FeatureSettings withChannels(ChannelSet newChannels) {
        boolean sameStains = Objects.equals(newChannels.presetStains(), channels.presetStains());
        return new FeatureSettings(kinds, sigmas, newChannels, normalisation, sameStains ? stains : null);
    }

    /** The same features with another normalisation. */
    public FeatureSettings withNormalisation(Normalisation newNormalisation) {
        return new FeatureSettings(kinds, sigmas, channels, newNormalisation, stains);
    }

    /** The same features with other stain vectors (a slide's own, say); null for the preset. */
    public FeatureSettings withStains(StainVectors newStains) {
        return new FeatureSettings(kinds, sigmas, channels, normalisation, newStains);
    }

    /** Whether the stain vectors are not the channel set's preset. */
    public boolean customStains() {
        return stains != null && !stains.equals(channels.presetStains());
    }

    /** Features computed: channels x sigmas x outputs of each kind. */
    public int featureCount() {
        int perScale = 0;
        for (FeatureKind k : kinds) {
            perScale += k.outputs();
        }
        return channels.channelCount() * sigmas.size() * perScale;
    }

    /** Pixels of context needed on each side of a tile: the largest halo of any kind at any sigma. */
    public int halo() {
        int halo = 0;
        for (FeatureKind k : kinds) {
            for (double s : sigmas) {
                halo = Math.max(halo, k.halo(s));
            }
        }
        return halo;
    }

    /**
     * The compact form {@code kinds=...;sigmas=...;channels=...[;stains=...][;normalise=slide]} that
     * {@link #parse} reads back; {@code stains} only when they are not the preset.
     */
    public String toText() {
        StringBuilder b = new StringBuilder("kinds=");
        for (int i = 0; i < kinds.size(); i++) {
            b.append(i == 0 ? "" : ",").append(kinds.get(i).token());
        }
        b.append(";sigmas=");
        for (int i = 0; i < sigmas.size(); i++) {
            b.append(i == 0 ? "" : ",").append(formatSigma(sigmas.get(i)));
        }
        b.append(";channels=").append(channels.token());
        if (customStains()) {
            b.append(";stains=").append(stains.toText());
        }
        if (normalisation != Normalisation.NONE) {
            b.append(";normalise=").append(normalisation.token());
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    /**
     * Reads the text form. Keys may come in any order; {@code channels} may be left out (RGB),
     * {@code normalise} (none) and {@code stains} (the preset of the channels: the two stains' red,
     * green and blue optical densities, {@code r,g,b/r,g,b}, see {@link StainVectors});
     * spaces and letter case do not matter.
     *
     * @throws IllegalArgumentException naming the part that could not be read
     */
    public static FeatureSettings parse(String text) {
        Objects.requireNonNull(text, "text");
        List<FeatureKind> kinds = null;
        List<Double> sigmas = null;
        ChannelSet channels = null;
        Normalisation normalisation = null;
        String stains = null;
        for (String part : text.split(";", -1)) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("feature settings '" + text + "': expected key=value, got '"
                        + part.trim() + "'");
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "kinds" -> {
                        if (kinds != null) {
                            throw new IllegalArgumentException("'kinds' given twice");
                        }
                        kinds = new ArrayList<>();
                        for (String k : list(value, key)) {
                            kinds.add(FeatureKind.parse(k));
                        }
                    }
                    case "sigmas" -> {
                        if (sigmas != null) {
                            throw new IllegalArgumentException("'sigmas' given twice");
                        }
                        sigmas = new ArrayList<>();
                        for (String s : list(value, key)) {
                            sigmas.add(parseSigma(s));
                        }
                    }
                    case "channels" -> {
                        if (channels != null) {
                            throw new IllegalArgumentException("'channels' given twice");
                        }
                        channels = ChannelSet.parse(value);
                    }
                    case "normalise", "normalize" -> {
                        if (normalisation != null) {
                            throw new IllegalArgumentException("'normalise' given twice");
                        }
                        normalisation = Normalisation.parse(value);
                    }
                    case "stains" -> {
                        if (stains != null) {
                            throw new IllegalArgumentException("'stains' given twice");
                        }
                        stains = value;
                    }
                    default -> throw new IllegalArgumentException("unknown key '" + key
                            + "' (known: kinds, sigmas, channels, stains, normalise)");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature settings '" + text + "': " + e.getMessage(), e);
            }
        }
        if (kinds == null || sigmas == null) {
            throw new IllegalArgumentException("feature settings '" + text + "': missing '"
                    + (kinds == null ? "kinds" : "sigmas") + "'");
        }
        try {
            ChannelSet c = channels == null ? ChannelSet.RGB : channels;
            StainVectors vectors = null;
            if (stains != null) {
                if (c.presetStains() == null) {
                    throw new IllegalArgumentException("'stains' needs stain channels (channels=he, hdab, rgb+he or "
                            + "rgb+hdab), not " + c.token());
                }
                vectors = StainVectors.parse(stains, c.presetStains());
            }
            return new FeatureSettings(kinds, sigmas, c, normalisation == null ? Normalisation.NONE : normalisation,
                    vectors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("feature settings '" + text + "': " + e.getMessage(), e);
        }
    }

    private static List<String> list(String value, String key) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            if (item.isBlank()) {
                throw new IllegalArgumentException("empty item in '" + key + "=" + value + "'");
            }
            items.add(item.trim());
        }
        return items;
    }

    private static double parseSigma(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sigma is not a number: '" + s + "'");
        }
    }

    /** Shortest text that reads back to the same double: 1, 1.6, 0.3. */
    static String formatSigma(double sigma) {
        if (sigma == Math.rint(sigma) && Math.abs(sigma) < 1e9) {
            return Long.toString((long) sigma);
        }
        return Double.toString(sigma);
    }
}
