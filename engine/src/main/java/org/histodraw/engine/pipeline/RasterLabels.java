package org.histodraw.engine.pipeline;

import java.util.List;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;

/** Labels from a raster in memory; the labelled area is the bounding box of the labelled pixels. */
final class RasterLabels implements LabelSource {
    private final LabelRaster labels;
    private final List<PixelRegion> areas;

    RasterLabels(LabelRaster labels) {
        this.labels = labels;
        this.areas = boundingBox(labels);
    }

    private static List<PixelRegion> boundingBox(LabelRaster labels) {
        int w = labels.width(), h = labels.height();
        byte[] data = labels.data();
        int minX = w, minY = h, maxX = -1, maxY = -1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (data[row + x] != 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? List.of() : List.of(new PixelRegion(minX, minY, maxX - minX + 1, maxY - minY + 1));
    }

    @Override
    public int width() {
        return labels.width();
    }

    @Override
    public int height() {
        return labels.height();
    }

    @Override
    public List<PixelRegion> labelledAreas() {
        return areas;
    }

    @Override
    public LabelRaster read(PixelRegion region) {
        return labels.crop(region);
    }
}
