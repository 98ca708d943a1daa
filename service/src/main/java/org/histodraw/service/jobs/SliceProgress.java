package org.histodraw.service.jobs;

/**
 * How far a job is on one slice.
 *
 * @param state queued, running, staged (done, waiting for the job to publish), failed or cancelled
 */
public record SliceProgress(long sliceId, String name, long tilesDone, long tilesTotal, String state, long polygons,
                            double seconds) {

    SliceProgress with(long done, String newState) {
        return new SliceProgress(sliceId, name, done, tilesTotal, newState, polygons, seconds);
    }

    SliceProgress staged(long polygonCount, double took) {
        return new SliceProgress(sliceId, name, tilesTotal, tilesTotal, "staged", polygonCount, took);
    }
}
