package org.histodraw.service.training;

import java.util.List;

/**
 * What the user sees after training: out-of-bag accuracy overall and per class (how well the forest
 * predicts labelled pixels it did not see), how many labelled pixels each class had, the features
 * the forest leaned on most, how long each stage took, and which features were used and why.
 *
 * @param features      the feature settings of the model (text form)
 * @param featureChoice how they were chosen, for people (from the slices and their regions, or given)
 * @param overview      the resolution of the model's overview (its tissue maps; 0: none)
 * @param overviewOutOfBagAccuracy the overview forest's out-of-bag accuracy (0 without one)
 */
public record TrainingReport(String modelId, List<ClassReport> classes, double outOfBagAccuracy,
                             List<FeatureImportance> importances, long samples, int featureCount,
                             List<Long> trainingSlices, int skippedRegions, double fetchSeconds,
                             double featureSeconds, double forestSeconds, String features, String featureChoice,
                             int overview, double overviewOutOfBagAccuracy) {

    public TrainingReport {
        classes = List.copyOf(classes);
        importances = List.copyOf(importances);
        trainingSlices = List.copyOf(trainingSlices);
    }

    /** @param color "#rrggbb" */
    public record ClassReport(int index, String name, String color, double outOfBagAccuracy, long samples) {
    }

    /** @param share the feature's part of the total impurity decrease (all shares sum to 1) */
    public record FeatureImportance(String name, double share) {
    }

    public double totalSeconds() {
        return fetchSeconds + featureSeconds + forestSeconds;
    }
}
