package org.histodraw.service.jobs;

import java.util.List;

/**
 * A job as the page and the API show it.
 *
 * @param fraction overall progress 0..1 (tiles done over all tiles)
 * @param slices   progress per slice, in series order
 * @param user     who started it (the job acts with a token minted from theirs)
 * @param project  the project of its slices (only callers of that project see it)
 * @param prediction at which resolution it predicts, for people ("every pixel", "a tissue map at
 *                   1/8"...; null for jobs saved before it was recorded)
 */
public record JobView(String id, String state, String message, String modelId, String modelName, int modelVersion,
                      String layer, List<Long> trainingSlices, double fraction, double seconds, List<SliceProgress> slices,
                      long startedAt, long finishedAt, String user, long project, String prediction) {
}
