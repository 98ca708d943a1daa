package org.histodraw.service.jobs;

import java.util.List;

/**
 * A job as the page and the API show it.
 *
 * @param fraction overall progress 0..1 (tiles done over all tiles)
 * @param slices   progress per slice, in series order
 */
public record JobView(String id, String state, String message, String modelId, String modelName, int modelVersion,
                      String layer, List<Long> trainingSlices, double fraction, double seconds, List<SliceProgress> slices,
                      long startedAt, long finishedAt) {
}
