package org.histodraw.engine.tiles;

import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Where whole-slide pixels come from, one region at a time, so that no caller needs the whole
 * image in memory. Implementations (files, pyramids, HTTP) live outside the engine.
 */
public interface TileSource {

    int width();

    int height();

    /** The pixels of {@code region} (which lies inside the image) as R, G, B channels in [0, 1]. */
    Raster read(PixelRegion region);

    default PixelRegion bounds() {
        return PixelRegion.of(width(), height());
    }

    /** A tile source over an image already in memory. */
    static TileSource of(Raster rgb) {
        return new TileSource() {
            @Override
            public int width() {
                return rgb.width();
            }

            @Override
            public int height() {
                return rgb.height();
            }

            @Override
            public Raster read(PixelRegion region) {
                return rgb.crop(region);
            }
        };
    }
}
