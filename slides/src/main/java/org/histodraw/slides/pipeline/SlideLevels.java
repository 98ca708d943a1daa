package org.histodraw.slides.pipeline;

import java.util.Optional;
import org.histodraw.engine.features.PyramidLevel;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideLevel;

/**
 * A level of a slide for its overview: the file's own level of that downsample when the slide is a
 * pyramid that has one (a tissue map then reads a sixty-fourth of the pixels at 1/8), else the
 * level made from the slide's pixels ({@link PyramidLevel}). The file's level is read region by
 * region through the slide's reader; its pixels are the scanner's or vips's means, not exactly the
 * engine's, which a tissue map does not mind and coarse-to-fine's exact pixels never see.
 */
public final class SlideLevels {
    private SlideLevels() {
    }

    /** The slide's level 1/{@code downsample}: ceil(W / d) x ceil(H / d) pixels, the file's own when it has one. */
    public static TileSource level(SlideImage slide, int downsample) {
        return ownLevel(slide, downsample).orElseGet(() -> new PyramidLevel(slide, downsample));
    }

    /** The slide's level of ceil(W / d) x ceil(H / d) pixels (or one less, as some writers round down). */
    private static Optional<TileSource> ownLevel(SlideImage slide, int downsample) {
        int w = (slide.width() + downsample - 1) / downsample, h = (slide.height() + downsample - 1) / downsample;
        for (int i = 1; i < slide.levels().size(); i++) {
            SlideLevel level = slide.levels().get(i);
            if ((level.width() == w || level.width() == w - 1) && (level.height() == h || level.height() == h - 1)) {
                return Optional.of(new PaddedLevel(slide, i, level, w, h));
            }
        }
        return Optional.empty();
    }

    /** A file's level as a w x h image, its last column and row repeated where the writer rounded down. */
    private record PaddedLevel(SlideImage slide, int index, SlideLevel level, int width, int height)
            implements TileSource {
        @Override
        public Raster read(PixelRegion region) {
            int x0 = Math.min(region.x(), level.width() - 1), y0 = Math.min(region.y(), level.height() - 1);
            PixelRegion inside = new PixelRegion(x0, y0, Math.min(region.endX(), level.width()) - x0,
                    Math.min(region.endY(), level.height()) - y0);
            Raster read = slide.read(index, inside);
            if (inside.equals(region)) {
                return read;
            }
            Raster out = Raster.allocate(region.width(), region.height(), read.channels());
            for (int c = 0; c < read.channels(); c++) {
                for (int y = 0; y < region.height(); y++) {
                    int sy = Math.min(region.y() + y, level.height() - 1) - y0;
                    for (int x = 0; x < region.width(); x++) {
                        int sx = Math.min(region.x() + x, level.width() - 1) - x0;
                        out.set(c, x, y, read.get(c, sx, sy));
                    }
                }
            }
            return out;
        }
    }
}
