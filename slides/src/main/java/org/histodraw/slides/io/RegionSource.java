package org.histodraw.slides.io;

import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/** Where a {@link SlideImage} gets its pixels: a decoded image, a pool of ImageReaders, or our TIFF tiles. */
interface RegionSource extends AutoCloseable {

    int width();

    int height();

    /** RGB in [0, 1] of a region already checked to lie inside the image. Safe from any thread. */
    Raster read(PixelRegion region);

    /** True when regions are decoded from the file on demand. */
    boolean readsRegions();

    @Override
    void close();
}
