package org.histodraw.service.jobs;

/**
 * How far a job is on one slice.
 *
 * @param state         queued, running, sending (its polygons to the server), staged (traced and sent, shown
 *                      only when every slice of the job is: the job then publishes them all at once),
 *                      published (its layer holds the result), failed or cancelled
 * @param seconds       the slice's time in all (prediction, polygons, sending; fetching overlaps the
 *                      previous slice)
 * @param uploadSeconds of which sending the polygons to the server
 */
public record SliceProgress(long sliceId, String name, long tilesDone, long tilesTotal, String state, long polygons,
                            double seconds, double uploadSeconds) {

    SliceProgress with(long done, String newState) {
        return new SliceProgress(sliceId, name, done, tilesTotal, newState, polygons, seconds, uploadSeconds);
    }

    SliceProgress sending(double took) {
        return new SliceProgress(sliceId, name, tilesTotal, tilesTotal, "sending", polygons, took, 0);
    }

    SliceProgress published() {
        return new SliceProgress(sliceId, name, tilesDone, tilesTotal, "published", polygons, seconds, uploadSeconds);
    }

    SliceProgress staged(long polygonCount, double took, double upload) {
        return new SliceProgress(sliceId, name, tilesTotal, tilesTotal, "staged", polygonCount, took, upload);
    }
}
