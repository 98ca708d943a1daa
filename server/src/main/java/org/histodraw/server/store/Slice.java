package org.histodraw.server.store;

import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * One image of a series, stored under {@code storageKey} (a UUID the server chose, never a name from a
 * user): its pixels come from {@code source} (the original file, or a Deep Zoom pyramid), served as a
 * Deep Zoom pyramid of {@code tileSize}, {@code overlap} and {@code format}. {@code changeSeq} is the
 * number of the last committed change to its regions.
 */
public record Slice(long id, long seriesId, long projectId, String name, double position, int width, int height,
                    Double micronsPerPixel, int tileSize, int overlap, TileFormat format, String storageKey,
                    long changeSeq, SliceSource source) {

    public PyramidLayout layout() {
        return new PyramidLayout(width, height, tileSize, overlap, format);
    }
}
