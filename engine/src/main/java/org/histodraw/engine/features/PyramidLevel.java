package org.histodraw.engine.features;

import java.util.Objects;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * A level of a slide's pyramid as a slide of its own: level {@code d} (2, 4, 8 or 16 times
 * downsampled) made from the slide's pixels by the 2 x 2 means the {@link FeatureBank} builds its
 * coarse levels with, so a bank run on this level computes what the slide's bank computes on it.
 * Each read reads the slide's blocks under the region: for a whole slide that is every pixel, so
 * where a slide file has a level of its own, read that instead (faster, slightly different pixels).
 */
public final class PyramidLevel implements TileSource {
    private final TileSource slide;
    private final int downsample;
    private final PixelRegion bounds;

    public PyramidLevel(TileSource slide, int downsample) {
        this.slide = Objects.requireNonNull(slide, "slide");
        if (downsample < 2 || downsample > FeatureSettings.MAX_LEVEL || Integer.bitCount(downsample) != 1) {
            throw new IllegalArgumentException("a pyramid level is 2, 4, 8 or " + FeatureSettings.MAX_LEVEL
                    + " times downsampled, not " + downsample);
        }
        this.downsample = downsample;
        this.bounds = LevelGeometry.levelBounds(slide.bounds(), downsample);
    }

    public int downsample() {
        return downsample;
    }

    @Override
    public int width() {
        return bounds.width();
    }

    @Override
    public int height() {
        return bounds.height();
    }

    @Override
    public Raster read(PixelRegion region) {
        if (region.isEmpty() || !bounds.contains(region)) {
            throw new IllegalArgumentException("region " + region + " is not inside level " + downsample + " ("
                    + bounds.width() + " x " + bounds.height() + ")");
        }
        // The regions of every level below, down to the slide's own pixels.
        int steps = Integer.numberOfTrailingZeros(downsample);
        PixelRegion[] at = new PixelRegion[steps + 1];
        at[steps] = region;
        for (int k = steps; k >= 1; k--) {
            at[k - 1] = LevelGeometry.children(at[k], LevelGeometry.levelBounds(slide.bounds(), 1 << (k - 1)));
        }
        Raster pixels = slide.read(at[0]);
        for (int k = 1; k <= steps; k++) {
            pixels = LevelGeometry.halve(pixels, at[k - 1], LevelGeometry.levelBounds(slide.bounds(), 1 << (k - 1)),
                    at[k], Raster.allocate(at[k].width(), at[k].height(), pixels.channels()));
        }
        return pixels;
    }
}
