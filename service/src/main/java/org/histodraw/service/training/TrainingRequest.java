package org.histodraw.service.training;

import java.util.List;
import java.util.Objects;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.service.errors.ClientError;

/**
 * What to train on: the slices whose human regions are the labels, the classes to learn (empty =
 * every class drawn there), how features are computed and how the forest is grown.
 */
public record TrainingRequest(List<Long> sliceIds, List<String> classes, FeatureSettings features,
                              ForestSettings forest) {

    public TrainingRequest {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(forest, "forest");
        sliceIds = List.copyOf(sliceIds);
        classes = List.copyOf(classes);
        if (sliceIds.isEmpty()) {
            throw ClientError.badRequest("choose at least one training slice");
        }
        if (sliceIds.stream().distinct().count() != sliceIds.size()) {
            throw ClientError.badRequest("a training slice is listed twice: " + sliceIds);
        }
    }

    /** The default features and forest of {@code histodraw segment}. */
    public static TrainingRequest of(List<Long> sliceIds, List<String> classes) {
        return new TrainingRequest(sliceIds, classes, FeatureSettings.defaults(), ForestSettings.defaults());
    }
}
