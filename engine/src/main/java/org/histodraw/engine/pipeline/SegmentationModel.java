package org.histodraw.engine.pipeline;

import java.util.List;
import java.util.Objects;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.RandomForest;

/**
 * Everything needed to segment a new slide the way the user trained it: how features are computed,
 * the classes, the trained forest, and what it was trained on. Saved by {@link ModelCodec}.
 *
 * @param id        content hash of features + classes + forest: the same model always has the same id
 * @param name      a name the user chose (or a default)
 * @param createdAt milliseconds since the epoch
 */
public record SegmentationModel(String id, String name, long createdAt, FeatureSettings features, ClassList classes,
                                RandomForest forest, List<TrainingSnapshot> training) {

    public SegmentationModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(forest, "forest");
        training = List.copyOf(training);
        int expected = new FeatureBank(features).featureCount();
        if (forest.featureCount() != expected) {
            throw new IllegalArgumentException("forest expects " + forest.featureCount()
                    + " features but the feature settings give " + expected);
        }
        if (forest.classCount() != classes.size()) {
            throw new IllegalArgumentException("forest predicts " + forest.classCount()
                    + " classes but the model names " + classes.size());
        }
    }

    /** A model with its content-derived id. */
    public static SegmentationModel of(String name, long createdAt, FeatureSettings features, ClassList classes,
                                       RandomForest forest, List<TrainingSnapshot> training) {
        return new SegmentationModel(ModelCodec.contentId(features, classes, forest), name, createdAt, features,
                classes, forest, training);
    }

    /** The same model under another name. */
    public SegmentationModel withName(String newName) {
        return new SegmentationModel(id, newName, createdAt, features, classes, forest, training);
    }
}
