package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Ring;

/**
 * Labels drawn as regions (polygons with a class), rasterised only where a tile is read: the
 * labels of a whole slide never exist as one raster. Later regions overwrite earlier ones.
 */
public final class PolygonLabels implements LabelSource {
    private final int width;
    private final int height;
    private final List<ClassifiedPolygon> regions;
    private final List<PixelRegion> areas;

    public PolygonLabels(int width, int height, List<ClassifiedPolygon> regions) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
        this.regions = List.copyOf(regions);
        PixelRegion image = PixelRegion.of(width, height);
        List<PixelRegion> boxes = new ArrayList<>();
        for (ClassifiedPolygon region : this.regions) {
            PixelRegion box = boundingBox(region.polygon().shell()).intersect(image);
            if (!box.isEmpty()) {
                boxes.add(box);
            }
        }
        this.areas = List.copyOf(boxes);
    }

    /** The pixels whose centres may fall inside the ring. */
    static PixelRegion boundingBox(Ring ring) {
        double[] b = ring.bounds();
        int x0 = (int) Math.floor(b[0]), y0 = (int) Math.floor(b[1]);
        int x1 = (int) Math.ceil(b[2]), y1 = (int) Math.ceil(b[3]);
        return new PixelRegion(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    public List<ClassifiedPolygon> regions() {
        return regions;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public List<PixelRegion> labelledAreas() {
        return areas;
    }

    @Override
    public LabelRaster read(PixelRegion region) {
        LabelRaster target = LabelRaster.allocate(region.width(), region.height());
        PolygonRasteriser.fill(target, region, regions);
        return target;
    }
}
