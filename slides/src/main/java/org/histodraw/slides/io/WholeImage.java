package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/** An image decoded whole at open; regions are converted from memory, from any thread. */
final class WholeImage implements RegionSource {
    private final BufferedImage image;

    WholeImage(BufferedImage image) {
        this.image = image;
    }

    @Override
    public int width() {
        return image.getWidth();
    }

    @Override
    public int height() {
        return image.getHeight();
    }

    @Override
    public Raster read(PixelRegion region) {
        return RgbConversion.toRgb(image, region.x(), region.y(), region.width(), region.height());
    }

    @Override
    public boolean readsRegions() {
        return false;
    }

    @Override
    public void close() {
        // nothing held but memory
    }
}
