package org.histodraw.engine.pipeline;

import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;

/**
 * Receives a slide's prediction as full-width horizontal strips, strictly from top to bottom, so
 * writers and the vectoriser can stream a slide that never fits in memory whole.
 */
public interface StripSink {

    /**
     * @param y             the image row of the strip's first line
     * @param classes       class map of the strip (image width x strip height)
     * @param probabilities per-class probabilities plus uncertainty, or null when not computed
     */
    void accept(int y, LabelRaster classes, Raster probabilities);

    /** Called once after the last strip. */
    default void finish() {
    }
}
