package org.histodraw.service.models;

import java.util.List;

/**
 * A model saved by the service: its name and version, content id, classes and the slices (of the
 * server it was trained against) whose regions taught it.
 */
public record SavedModel(String name, int version, String modelId, List<String> classes, List<Long> trainingSlices,
                         String server, long createdAt) {
    public SavedModel {
        classes = List.copyOf(classes);
        trainingSlices = List.copyOf(trainingSlices);
    }

    public ModelRef ref() {
        return new ModelRef(name, version, trainingSlices);
    }
}
