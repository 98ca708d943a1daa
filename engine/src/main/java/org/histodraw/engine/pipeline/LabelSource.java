package org.histodraw.engine.pipeline;

import java.util.List;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Training labels of one image, read a region at a time: a scribble image, or regions drawn as
 * polygons and rasterised on demand, so that sparse labels on a huge slide cost little memory.
 */
public interface LabelSource {

    int width();

    int height();

    /** Regions that together contain every labelled pixel (they may be coarse, and may overlap). */
    List<PixelRegion> labelledAreas();

    /** The labels inside {@code region}: 0 = unlabelled, 1..K = class. */
    LabelRaster read(PixelRegion region);

    /** Labels held as a raster in memory (e.g. a scribble image). */
    static LabelSource of(LabelRaster labels) {
        return new RasterLabels(labels);
    }
}
