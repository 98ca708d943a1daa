package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.RandomForest;

/**
 * A second, coarse forest of a model, for predicting at a lower resolution (QuPath's "resolution"
 * choice): a tissue map of a whole slide from one level of its pyramid, and the first pass of
 * coarse-to-fine prediction ({@link TilePredictor} refines where it is unsure).
 *
 * <p>It is trained on the same labelled pixels as the model's own forest, with features of the
 * levels {@code resolution} and {@code 2 x resolution} only (computed at those pixels as the full
 * resolution bank computes them), and predicts on the slide's level {@code resolution}, where the
 * same features are those of levels 1 and 2 of that image: {@link #features()}.
 *
 * @param resolution how many times the slide is downsampled: 2, 4 or 8
 * @param features   the features on the level-{@code resolution} image (levels 1 and 2)
 * @param forest     trained on those features
 */
public record Overview(int resolution, FeatureSettings features, RandomForest forest) {

    /** Resolutions an overview may have (its coarser level must be within the pyramid). */
    public static final List<Integer> RESOLUTIONS = List.of(2, 4, 8);

    public Overview {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(forest, "forest");
        if (!RESOLUTIONS.contains(resolution)) {
            throw new IllegalArgumentException("an overview's resolution is 2, 4 or 8 (times downsampled), not " + resolution);
        }
        if (!features.levels().equals(List.of(1, 2))) {
            throw new IllegalArgumentException("an overview's features are on levels 1 and 2 of its image, not " + features.levels());
        }
        int expected = new FeatureBank(features).featureCount();
        if (forest.featureCount() != expected) {
            throw new IllegalArgumentException("the overview's forest expects " + forest.featureCount()
                    + " features but its settings give " + expected);
        }
    }

    /** The overview features of a model's features, on the level-{@code resolution} image. */
    public static FeatureSettings featuresFor(FeatureSettings model) {
        return model.withLevels(List.of(1, 2));
    }

    /** The same features as the full-resolution bank computes them: levels resolution and 2 x resolution. */
    public FeatureSettings atFullResolution() {
        return atFullResolution(features, resolution);
    }

    /** Overview features (levels 1 and 2 of the level image) as the slide's full-resolution bank computes them. */
    public static FeatureSettings atFullResolution(FeatureSettings overviewFeatures, int resolution) {
        List<Integer> levels = new ArrayList<>();
        for (int d : overviewFeatures.levels()) {
            levels.add(d * resolution);
        }
        return overviewFeatures.withLevels(levels);
    }
}
