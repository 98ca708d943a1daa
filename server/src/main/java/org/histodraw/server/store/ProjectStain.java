package org.histodraw.server.store;

import java.util.Objects;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.ChannelSet;

/**
 * A project's stain: which channels the segmentation trains on ({@code he}, {@code hdab} or
 * {@code rgb}, the engine's channel tokens) and, for the two stained ones, the stain vectors when the
 * project has its own (estimated from a slide, or typed in) instead of the preset.
 *
 * @param stain         he, hdab or rgb
 * @param custom        the project's own vectors, null for the preset
 * @param estimatedFrom the slice they were estimated from, null when typed in or preset
 */
public record ProjectStain(String stain, StainVectors custom, Long estimatedFrom) {
    public ProjectStain {
        Objects.requireNonNull(stain, "stain");
        if (custom != null && preset(stain) == null) {
            throw new IllegalArgumentException("a project stained " + stain + " has no stain vectors");
        }
    }

    /** The preset vectors of a stain (Ruifrok and Johnston), null for rgb. */
    public static StainVectors preset(String stain) {
        return ChannelSet.parse(stain).presetStains();
    }

    /** The vectors the segmentation deconvolves with: the project's own, else the preset; null for rgb. */
    public StainVectors vectors() {
        return custom != null ? custom : preset(stain);
    }
}
