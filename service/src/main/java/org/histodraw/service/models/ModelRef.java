package org.histodraw.service.models;

import java.util.List;

/**
 * Which model a result came from, as its provenance names it: the model's name and version (a
 * saved version, or the live version of the model being trained) and the slices it was trained on.
 */
public record ModelRef(String name, int version, List<Long> trainingSlices) {
    public ModelRef {
        trainingSlices = List.copyOf(trainingSlices);
    }
}
