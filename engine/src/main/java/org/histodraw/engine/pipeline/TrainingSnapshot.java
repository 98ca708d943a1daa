package org.histodraw.engine.pipeline;

import java.util.List;
import java.util.Objects;
import org.histodraw.engine.vector.ClassifiedPolygon;

/**
 * The regions a model was trained on, for one image: kept in the model file so every result can be
 * traced back to the exact labels that produced it.
 */
public record TrainingSnapshot(String imageName, int width, int height, List<ClassifiedPolygon> regions) {

    public TrainingSnapshot {
        Objects.requireNonNull(imageName, "imageName");
        regions = List.copyOf(regions);
    }
}
