package org.histodraw.engine.features;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.histodraw.engine.colour.StainVectors;

/**
 * Which features the bank computes: every kind at every sigma on every channel, on the slide's own
 * pixels and on each coarser level of its pyramid asked for. Immutable; saved in model files
 * through its text form, e.g.
 * {@code kinds=gaussian,gradient,hessian;sigmas=1,2,4;channels=rgb;normalise=slide}, or with a
 * slide's own stain vectors {@code kinds=gaussian;sigmas=1;channels=he;stains=0.62,0.73,0.29/0.3,0.88,0.36},
 * or with context from the pyramid {@code kinds=gaussian,gradient;sigmas=1,2.5;levels=1,4,16;channels=he}.
 *
 * <p>Levels: level {@code d} is the slide downsampled {@code d} times (each pixel the mean of a
 * {@code d x d} block, built as a pyramid of 2 x 2 means); every kind at every sigma is computed
 * there, on that level's pixels (so sigma 2.5 at level 16 reaches as far as sigma 40 on the slide,
 * at 1/256 of the cost), and brought back to the slide's pixels by bilinear interpolation.
 *
 * @param kinds         filters, in output order, at least one, no repeats
 * @param sigmas        Gaussian scales in pixels, in output order, each in (0, {@value #MAX_SIGMA}], no repeats
 * @param levels        pyramid levels the features are computed on, ascending: 1 (the slide's own
 *                      pixels), 2, 4, 8 or {@value #MAX_LEVEL}; output comes level by level
 * @param channels      input channels
 * @param normalisation whether each slide's channels are standardised first
 * @param stains        the stain vectors of the stain channels: the channel set's preset unless given
 *                      (null means the preset); null for {@link ChannelSet#RGB}
 * @param imageChannels for {@link ChannelSet#IMAGE}, the image's channels the features are computed on,
 *                      counted from 1 as a viewer lists them ({@code channels=image:1,3}); empty otherwise
 */
public record FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, List<Integer> levels,
                              ChannelSet channels, Normalisation normalisation, StainVectors stains,
                              List<Integer> imageChannels) {
    /** More channels than any multiplexed panel picks. */
    public static final int MAX_IMAGE_CHANNELS = 64;

    /** Largest sigma accepted: beyond it the halo (4 sigma) dwarfs any sensible tile. */
    public static final double MAX_SIGMA = 64;
    /** Coarsest pyramid level: 16 times downsampled (the halo of its features reaches about 200 px). */
    public static final int MAX_LEVEL = 16;
    /** The slide's own pixels only. */
    public static final List<Integer> FULL_RESOLUTION = List.of(1);

    // The default bank, kept here so that it is easy to tune: smoothed intensity, edges, Hessian
    // texture and blobs (Laplacian) at sigma 0.5 and 1.25 on the slide's own pixels and on level 2
    // (effective sigma 0.5 to 2.5), on the hematoxylin and eosin channels, each slide standardised
    // (40 features). Measured on the GBM nuclei series (train on 3 slides, apply to 20; seed 42):
    // mean IoU 0.843, and 0.830, 0.825, 0.827 with the slides and scribbles rescaled by 0.5, 2 and 4
    // (the previous default, sigma 1 and 2.5 without level 2 or the Laplacian: 0.840, then 0.801,
    // 0.829, 0.827). Training adds coarser levels and may take RGB instead, from the training
    // images (org.histodraw.engine.pipeline.FeatureChoice); per-slide standardisation is what
    // carries a model across slides of different staining.
    private static final List<FeatureKind> DEFAULT_KINDS = List.of(FeatureKind.GAUSSIAN,
            FeatureKind.GRADIENT_MAGNITUDE, FeatureKind.HESSIAN_EIGENVALUES, FeatureKind.LAPLACIAN_OF_GAUSSIAN);
    private static final List<Double> DEFAULT_SIGMAS = List.of(0.5, 1.25);
    private static final List<Integer> DEFAULT_LEVELS = List.of(1, 2);
    private static final ChannelSet DEFAULT_CHANNELS = ChannelSet.HEMATOXYLIN_EOSIN;

    public FeatureSettings {
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(sigmas, "sigmas");
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(normalisation, "normalisation");
        if (channels.presetStains() == null && stains != null) {
            throw new IllegalArgumentException("stain vectors need stain channels (channels=he, hdab, rgb+he or "
                    + "rgb+hdab), not " + channels.token());
        }
        if (stains == null) {
            stains = channels.presetStains();
        }
        imageChannels = imageChannels == null ? List.of() : List.copyOf(imageChannels);
        if (channels == ChannelSet.IMAGE) {
            if (imageChannels.isEmpty()) {
                throw new IllegalArgumentException("channels=image needs the channels to use, e.g. image:1,3 (counted from 1)");
            }
            if (imageChannels.size() > MAX_IMAGE_CHANNELS || new HashSet<>(imageChannels).size() != imageChannels.size()) {
                throw new IllegalArgumentException("image channels must be at most " + MAX_IMAGE_CHANNELS + ", none twice: " + imageChannels);
            }
            for (int c : imageChannels) {
                if (c < 1 || c > MAX_IMAGE_CHANNELS * 16) {
                    throw new IllegalArgumentException("image channels are counted from 1: " + c);
                }
            }
        } else if (!imageChannels.isEmpty()) {
            throw new IllegalArgumentException("image channels need channels=image, not " + channels.token());
        }
        kinds = List.copyOf(kinds);
        sigmas = List.copyOf(sigmas);
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("feature settings need at least one level (1 = the slide's own pixels)");
        }
        for (int i = 0; i < levels.size(); i++) {
            int d = levels.get(i);
            if (d < 1 || d > MAX_LEVEL || Integer.bitCount(d) != 1) {
                throw new IllegalArgumentException("levels are 1, 2, 4, 8 or " + MAX_LEVEL + " (times downsampled), not " + d);
            }
            if (i > 0 && d <= levels.get(i - 1)) {
                throw new IllegalArgumentException("levels must be ascending, without repeats: " + levels);
            }
        }
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

    /** Settings on the slide's own pixels only. */
    public FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, ChannelSet channels,
                           Normalisation normalisation, StainVectors stains) {
        this(kinds, sigmas, FULL_RESOLUTION, channels, normalisation, stains, List.of());
    }

    /** Settings on pyramid levels of the slide's colour or stain channels. */
    public FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, List<Integer> levels,
                           ChannelSet channels, Normalisation normalisation, StainVectors stains) {
        this(kinds, sigmas, levels, channels, normalisation, stains, List.of());
    }

    /** Features on the image's own channels {@code picked} (counted from 1), e.g. two of a fluorescence panel. */
    public static FeatureSettings onImageChannels(List<FeatureKind> kinds, List<Double> sigmas, List<Integer> picked,
                                                  Normalisation normalisation) {
        return new FeatureSettings(kinds, sigmas, FULL_RESOLUTION, ChannelSet.IMAGE, normalisation, null, picked);
    }

    /** Input channels: the channel set's, or the picked image channels. */
    public int channelCount() {
        return channels == ChannelSet.IMAGE ? imageChannels.size() : channels.channelCount();
    }

    /** Input channel names in feature order ("Channel 2" for picked image channels). */
    public List<String> channelNames() {
        if (channels != ChannelSet.IMAGE) {
            return channels.channelNames();
        }
        List<String> names = new ArrayList<>();
        for (int c : imageChannels) {
            names.add("Channel " + c);
        }
        return names;
    }

    /** Settings on the slide's own pixels, with the channel set's preset stain vectors. */
    public FeatureSettings(List<FeatureKind> kinds, List<Double> sigmas, ChannelSet channels,
                           Normalisation normalisation) {
        this(kinds, sigmas, FULL_RESOLUTION, channels, normalisation, null);
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

    /**
     * The bank used where nothing is chosen, and the base of every chosen one: see the constants at
     * the top of this class.
     */
    public static FeatureSettings defaults() {
        return new FeatureSettings(DEFAULT_KINDS, DEFAULT_SIGMAS, DEFAULT_LEVELS, DEFAULT_CHANNELS, Normalisation.SLIDE,
                null);
    }

    /** The same kinds and channels at other sigmas. */
    public FeatureSettings withSigmas(List<Double> newSigmas) {
        return new FeatureSettings(kinds, newSigmas, levels, channels, normalisation, stains, imageChannels);
    }

    /** The same features on other pyramid levels. */
    public FeatureSettings withLevels(List<Integer> newLevels) {
        return new FeatureSettings(kinds, sigmas, newLevels, channels, normalisation, stains, imageChannels);
    }

    /**
     * The same kinds and sigmas on other channels, keeping custom stain vectors where the new
     * channels use the same stains (he and rgb+he, say), else with the new channels' preset.
     */
    public FeatureSettings withChannels(ChannelSet newChannels) {
        boolean sameStains = Objects.equals(newChannels.presetStains(), channels.presetStains());
        return new FeatureSettings(kinds, sigmas, levels, newChannels, normalisation, sameStains ? stains : null,
                newChannels == channels ? imageChannels : List.of());
    }

    /** The same features with another normalisation. */
    public FeatureSettings withNormalisation(Normalisation newNormalisation) {
        return new FeatureSettings(kinds, sigmas, levels, channels, newNormalisation, stains, imageChannels);
    }

    /** The same features with other stain vectors (a slide's own, say); null for the preset. */
    public FeatureSettings withStains(StainVectors newStains) {
        return new FeatureSettings(kinds, sigmas, levels, channels, normalisation, newStains, imageChannels);
    }

    /** Whether the stain vectors are not the channel set's preset. */
    public boolean customStains() {
        return stains != null && !stains.equals(channels.presetStains());
    }

    /** Features computed: levels x channels x sigmas x outputs of each kind. */
    public int featureCount() {
        return levels.size() * featuresPerLevel();
    }

    /** Features computed on each level: channels x sigmas x outputs of each kind. */
    public int featuresPerLevel() {
        int perScale = 0;
        for (FeatureKind k : kinds) {
            perScale += k.outputs();
        }
        return channelCount() * sigmas.size() * perScale;
    }

    /**
     * Pixels of the slide needed on each side of a tile, at most: the largest halo of any kind at
     * any sigma, and on coarser levels that level's halo in its own pixels, plus the pixels its
     * interpolation and its 2 x 2 blocks reach (see {@link FeatureBank#inputRegion}).
     */
    public int halo() {
        int reach = levels.get(0) == 1 ? levelHalo() : 0;
        for (int d : levels) {
            if (d > 1) {
                // The coarse window starts at most one coarse pixel before the tile's own block,
                // grown by the level's halo; blocks start on multiples of d.
                reach = Math.max(reach, d * (levelHalo() + 2));
            }
        }
        return reach;
    }

    /** Pixels of context each level needs on each side, in that level's pixels: the largest halo of any kind at any sigma. */
    public int levelHalo() {
        int halo = 0;
        for (FeatureKind k : kinds) {
            for (double s : sigmas) {
                halo = Math.max(halo, k.halo(s));
            }
        }
        return halo;
    }

    /**
     * The compact form {@code kinds=...;sigmas=...[;levels=...];channels=...[;stains=...][;normalise=slide]}
     * that {@link #parse} reads back; {@code levels} only when not 1 alone, {@code stains} only when
     * they are not the preset.
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
        if (!levels.equals(FULL_RESOLUTION)) {
            b.append(";levels=");
            for (int i = 0; i < levels.size(); i++) {
                b.append(i == 0 ? "" : ",").append(levels.get(i));
            }
        }
        b.append(";channels=").append(channels.token());
        for (int i = 0; i < imageChannels.size(); i++) {
            b.append(i == 0 ? ":" : ",").append(imageChannels.get(i));
        }
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
     * Reads the text form. Keys may come in any order; {@code levels} may be left out (1: the slide's
     * own pixels only), {@code channels} too (RGB),
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
        List<Integer> levels = null;
        ChannelSet channels = null;
        List<Integer> picked = List.of();
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
                    case "levels" -> {
                        if (levels != null) {
                            throw new IllegalArgumentException("'levels' given twice");
                        }
                        levels = new ArrayList<>();
                        for (String l : list(value, key)) {
                            levels.add(parseLevel(l));
                        }
                    }
                    case "channels" -> {
                        if (channels != null) {
                            throw new IllegalArgumentException("'channels' given twice");
                        }
                        int colon = value.indexOf(':');
                        channels = ChannelSet.parse(colon < 0 ? value : value.substring(0, colon));
                        if (colon >= 0) {
                            picked = new ArrayList<>();
                            for (String c : list(value.substring(colon + 1), "channels")) {
                                try {
                                    picked.add(Integer.parseInt(c));
                                } catch (NumberFormatException e) {
                                    throw new IllegalArgumentException("image channel is not a number: '" + c + "'");
                                }
                            }
                        }
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
                            + "' (known: kinds, sigmas, levels, channels, stains, normalise)");
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
            return new FeatureSettings(kinds, sigmas, levels == null ? FULL_RESOLUTION : levels, c,
                    normalisation == null ? Normalisation.NONE : normalisation, vectors, picked);
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

    private static int parseLevel(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("level is not a whole number: '" + s + "'");
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
