package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;

/**
 * Chooses a model's features from what it is trained on, when the user gives none (the default of
 * {@code histodraw segment} and the service):
 * <ul>
 *   <li><b>scales from the labelled structures</b>: every model sees its slide as the default bank
 *       does (sigma 0.5 and 1.25 on the slide's own pixels and on level 2); coarser levels
 *       (4, 8, 16: context up to 20 pixels and beyond) are added while the level is at most half
 *       the radius of the finest labelled structure ({@link org.histodraw.engine.labels.LabelledStructures}):
 *       scribbles inside nuclei keep the model local, broad strokes over tissue give it context.
 *       A level whose image would be narrower than {@value #MIN_LEVEL_SIDE} pixels is left out.</li>
 *   <li><b>channels from the slide's colours</b>: the stain channels of H&amp;E when the stains
 *       estimated on the training slides ({@link org.histodraw.engine.colour.StainEstimator}) look
 *       like hematoxylin and eosin (the second nearer a measured eosin than DAB), else red, green
 *       and blue (on IHC, other stains, or too little stain to tell).</li>
 * </ul>
 * Kinds, sigmas and standardisation are those of {@link FeatureSettings#defaults()}. The rule and its thresholds were measured on the GBM nuclei series at four scales,
 * an epithelium/stroma tile and the IHC demo (docs/decisions.md). Explicit settings always win.
 */
public final class FeatureChoice {
    /** Coarser levels, added while at most half the finest labelled structure's radius. */
    public static final List<Integer> CONTEXT_LEVELS = List.of(4, 8, 16);
    /** The narrowest level image worth its features (a 512-px image has levels up to 8). */
    public static final int MIN_LEVEL_SIDE = 64;
    /**
     * Eosin as measured on real slides (the AMIDA 2013 challenge's vector, QuPath's default), bluer
     * than Ruifrok and Johnston's: what an estimated second stain is compared with.
     */
    public static final StainVector MEASURED_EOSIN = new StainVector("Eosin", 0.2159, 0.8012, 0.5581);

    private FeatureChoice() {
    }

    /**
     * The features and why: given by the user, or chosen.
     *
     * @param reason one line for people, e.g. "channels he (...); levels 1,2,4 (...)"
     */
    public record Result(FeatureSettings chosen, boolean automatic, String reason) {
        public Result {
            Objects.requireNonNull(chosen, "chosen");
            Objects.requireNonNull(reason, "reason");
        }

        /** Features the user gave. */
        public static Result given(FeatureSettings settings) {
            return new Result(settings, false, "given");
        }

        /** The same choice with the stains of its channels unmixed by {@code vectors} (a project's own). */
        public Result withStains(StainVectors vectors) {
            return new Result(chosen.withStains(vectors), automatic, reason + "; the project's stain vectors");
        }

        /** "features chosen ...: TEXT (reason)" or "features given: TEXT". */
        public String describe() {
            return automatic ? "features chosen from the training images: " + chosen.toText() + " (" + reason + ")"
                    : "features given: " + chosen.toText();
        }
    }

    /**
     * The bank for training images whose stains are {@code stains} (null when too little stain was
     * found to estimate them) and whose finest labelled structure has {@code radius} pixels, the
     * smallest training image being {@code smallestSide} pixels across.
     */
    public static Result automatic(StainVectors stains, double radius, int smallestSide) {
        ChannelSet channels;
        String why;
        if (stains == null) {
            channels = ChannelSet.RGB;
            why = "channels rgb (too little stain to estimate its colours)";
        } else {
            double toEosin = stains.second().angleTo(MEASURED_EOSIN), toDab = stains.second().angleTo(StainVector.DAB);
            boolean hematoxylinAndEosin = toEosin < toDab;
            channels = hematoxylinAndEosin ? ChannelSet.HEMATOXYLIN_EOSIN : ChannelSet.RGB;
            why = String.format(Locale.ROOT, "channels %s (second stain %.0f° from eosin, %.0f° from DAB)",
                    channels.token(), toEosin, toDab);
        }
        return withLevels(channels, why, radius, smallestSide);
    }

    /**
     * The bank on the given channels (a project's stain, say) with levels chosen from the labelled
     * structures, as {@link #automatic(StainVectors, double, int)} chooses them.
     */
    public static Result onChannels(ChannelSet channels, double radius, int smallestSide) {
        return withLevels(channels, "channels " + channels.token() + " (given)", radius, smallestSide);
    }

    private static Result withLevels(ChannelSet channels, String why, double radius, int smallestSide) {
        FeatureSettings base = FeatureSettings.defaults();
        List<Integer> levels = new ArrayList<>(base.levels());
        for (int d : CONTEXT_LEVELS) {
            if (d <= radius / 2 && smallestSide / d >= MIN_LEVEL_SIDE) {
                levels.add(d);
            }
        }
        why += String.format(Locale.ROOT, "; levels %s (finest labelled structure %s px in radius)",
                join(levels), Double.isNaN(radius) ? "?" : String.format(Locale.ROOT, "%.0f", radius));
        FeatureSettings settings = base.withLevels(levels).withChannels(channels);
        return new Result(settings, true, why);
    }

    private static String join(List<Integer> levels) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < levels.size(); i++) {
            b.append(i == 0 ? "" : ",").append(levels.get(i));
        }
        return b.toString();
    }
}
