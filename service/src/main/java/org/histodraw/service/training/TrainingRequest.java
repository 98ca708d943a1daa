package org.histodraw.service.training;

import java.util.List;
import java.util.Objects;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.Overview;
import org.histodraw.service.errors.ClientError;

/**
 * What to train on: the slices whose human regions are the labels, the classes to learn (empty =
 * every class drawn there), how features are computed (null: chosen from the slices and their
 * regions, see {@link org.histodraw.engine.pipeline.FeatureChoice}) and how the forest is grown.
 *
 * @param channels     the channels of chosen features (the project's stain), or null to choose them
 *                     too; ignored when {@code features} are given
 * @param stainVectors the project's own vectors for those channels' stains (null: the preset ones);
 *                     ignored when {@code features} are given
 * @param overview     0, or the resolution (2, 4 or 8 times downsampled) of an overview to train
 *                     with the model, for tissue maps and coarse-to-fine jobs
 */
public record TrainingRequest(List<Long> sliceIds, List<String> classes, FeatureSettings features,
                              ChannelSet channels, StainVectors stainVectors, ForestSettings forest, int overview) {

    public TrainingRequest {
        Objects.requireNonNull(forest, "forest");
        sliceIds = List.copyOf(sliceIds);
        classes = List.copyOf(classes);
        if (sliceIds.isEmpty()) {
            throw ClientError.badRequest("choose at least one training slice");
        }
        if (sliceIds.stream().distinct().count() != sliceIds.size()) {
            throw ClientError.badRequest("a training slice is listed twice: " + sliceIds);
        }
        if (overview != 0 && !Overview.RESOLUTIONS.contains(overview)) {
            throw ClientError.badRequest("an overview is 2, 4 or 8 times downsampled (0: none), not " + overview);
        }
    }

    /** Without an overview. */
    public TrainingRequest(List<Long> sliceIds, List<String> classes, FeatureSettings features,
                           ChannelSet channels, StainVectors stainVectors, ForestSettings forest) {
        this(sliceIds, classes, features, channels, stainVectors, forest, 0);
    }

    /** Features given (null: chosen, channels too). */
    public TrainingRequest(List<Long> sliceIds, List<String> classes, FeatureSettings features, ForestSettings forest) {
        this(sliceIds, classes, features, null, null, forest, 0);
    }

    /** The default features (chosen from the slices) and forest of {@code histodraw segment}. */
    public static TrainingRequest of(List<Long> sliceIds, List<String> classes) {
        return new TrainingRequest(sliceIds, classes, null, ForestSettings.defaults());
    }
}
