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
 * @param id            content hash of features + classes + forests: the same model always has the same id
 * @param name          a name the user chose (or a default)
 * @param createdAt     milliseconds since the epoch
 * @param overview      a coarse forest for predicting at a lower resolution, or null
 * @param featureChoice how the features were chosen, for people ("" when unknown or given)
 */
public record SegmentationModel(String id, String name, long createdAt, FeatureSettings features, ClassList classes,
                                RandomForest forest, List<TrainingSnapshot> training, Overview overview,
                                String featureChoice) {

    public SegmentationModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(forest, "forest");
        training = List.copyOf(training);
        Objects.requireNonNull(featureChoice, "featureChoice");
        if (overview != null && overview.forest().classCount() != classes.size()) {
            throw new IllegalArgumentException("the overview predicts " + overview.forest().classCount()
                    + " classes but the model names " + classes.size());
        }
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

    /** A model without an overview or a recorded feature choice. */
    public SegmentationModel(String id, String name, long createdAt, FeatureSettings features, ClassList classes,
                             RandomForest forest, List<TrainingSnapshot> training) {
        this(id, name, createdAt, features, classes, forest, training, null, "");
    }

    /** A model with its content-derived id. */
    public static SegmentationModel of(String name, long createdAt, FeatureSettings features, ClassList classes,
                                       RandomForest forest, List<TrainingSnapshot> training) {
        return new SegmentationModel(ModelCodec.contentId(features, classes, forest, null), name, createdAt, features,
                classes, forest, training);
    }

    /** The same model under another name. */
    public SegmentationModel withName(String newName) {
        return new SegmentationModel(id, newName, createdAt, features, classes, forest, training, overview, featureChoice);
    }

    /** The same model with an overview (a new content, so a new id). */
    public SegmentationModel withOverview(Overview newOverview) {
        return new SegmentationModel(ModelCodec.contentId(features, classes, forest, newOverview), name, createdAt,
                features, classes, forest, training, newOverview, featureChoice);
    }

    /**
     * The overview as a model of its own, for predicting on the slide's level
     * {@code overview().resolution()} (a tissue map; the first pass of {@link Refinement}).
     *
     * @throws IllegalStateException when the model has no overview
     */
    public SegmentationModel overviewModel() {
        if (overview == null) {
            throw new IllegalStateException("model " + name + " has no overview: train it with one (--overview)");
        }
        return new SegmentationModel(id + "-overview-" + overview.resolution(), name + " at 1/" + overview.resolution(),
                createdAt, overview.features(), classes, overview.forest(), training);
    }

    /** The same model with a note of how its features were chosen (not part of its content or id). */
    public SegmentationModel withFeatureChoice(String choice) {
        return new SegmentationModel(id, name, createdAt, features, classes, forest, training, overview, choice);
    }
}
