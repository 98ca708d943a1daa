package org.histodraw.server.store;

import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * One ingested image of a series and its tile pyramid, stored under {@code storageKey} (a UUID the
 * server chose, never a name from a user). {@code changeSeq} is the number of the last committed
 * change to its regions.
 */
public record Slice(long id, long seriesId, long projectId, String name, double position, int width, int height,
                    Double micronsPerPixel, int tileSize, int overlap, TileFormat format, String storageKey,
                    long changeSeq) {

    public PyramidLayout layout() {
        return new PyramidLayout(width, height, tileSize, overlap, format);
    }
}
