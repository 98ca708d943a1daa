package org.histodraw.engine.pipeline;

import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * The prediction for one tile: its class map, and when asked for, one probability plane per class
 * plus an uncertainty plane (see {@link Uncertainty}); {@code probabilities} is null otherwise.
 */
public record TileResult(PixelRegion region, LabelRaster classes, Raster probabilities) {

    public boolean hasProbabilities() {
        return probabilities != null;
    }
}
