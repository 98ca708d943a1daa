package org.histodraw.service.jobs;

/**
 * How far a job is on one slice.
 *
 * @param state         queued, running, staged (done, waiting for the job to publish), failed or cancelled
 * @param seconds       the slice's time in all (pixels, prediction, polygons, sending)
 * @param uploadSeconds of which sending the polygons to the server
 */
public record SliceProgress(long sliceId, String name, long tilesDone, long tilesTotal, String state, long polygons,
                            double seconds, double uploadSeconds) {

    SliceProgress with(long done, String newState) {
        return new SliceProgress(sliceId, name, done, tilesTotal, newState, polygons, seconds, uploadSeconds);
    }

    SliceProgress staged(long polygonCount, double took, double upload) {
        return new SliceProgress(sliceId, name, tilesTotal, tilesTotal, "staged", polygonCount, took, upload);
    }
}
