package org.histodraw.engine.pipeline;

import java.util.Objects;
import org.histodraw.engine.tiles.TileSource;

/**
 * One image and the labels drawn on it, as handed to training.
 *
 * @param name     how the image is known to the user (file name, slice name)
 * @param snapshot the regions as polygons, kept in the model for provenance
 */
public record TrainingImage(String name, TileSource pixels, LabelSource labels, TrainingSnapshot snapshot) {

    public TrainingImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(snapshot, "snapshot");
        if (pixels.width() != labels.width() || pixels.height() != labels.height()) {
            throw new IllegalArgumentException("labels of " + name + " are " + labels.width() + " x " + labels.height()
                    + " but the image is " + pixels.width() + " x " + pixels.height());
        }
    }
}
