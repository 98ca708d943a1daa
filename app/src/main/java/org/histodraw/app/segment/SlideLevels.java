package org.histodraw.app.segment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.histodraw.engine.features.PyramidLevel;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.io.SlideImage;

/**
 * A level of a slide for its overview: the file's own level of that downsample when the file is a
 * pyramid that has one (a tissue map then reads a sixty-fourth of the pixels at 1/8), else the
 * level made from the slide's pixels ({@link PyramidLevel}). The file's level is read whole through
 * ImageIO (a pyramid level of 1/8 is small); its pixels are the scanner's or vips's means, not
 * exactly the engine's, which a tissue map does not mind and coarse-to-fine's exact pixels never see.
 */
final class SlideLevels {
    /** The largest file level read whole: 16k x 16k. */
    private static final long MAX_LEVEL_PIXELS = 1L << 28;

    private SlideLevels() {
    }

    static TileSource level(Path file, SlideImage slide, int downsample) {
        return ownLevel(file, slide, downsample).orElseGet(() -> new PyramidLevel(slide, downsample));
    }

    /** The file's page of ceil(W / d) x ceil(H / d) pixels (or one less, as some writers round down). */
    static Optional<TileSource> ownLevel(Path file, SlideImage slide, int downsample) {
        int w = (slide.width() + downsample - 1) / downsample, h = (slide.height() + downsample - 1) / downsample;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int pages = reader.getNumImages(true);
                for (int page = 1; page < pages; page++) {
                    int pw = reader.getWidth(page), ph = reader.getHeight(page);
                    if ((pw == w || pw == w - 1) && (ph == h || ph == h - 1) && (long) pw * ph <= MAX_LEVEL_PIXELS) {
                        BufferedImage img = reader.read(page);
                        return Optional.of(TileSource.of(padded(img, w, h)));
                    }
                }
                return Optional.empty();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not a pyramid ImageIO reads: the level is made from the slide
        }
    }

    /** The page's pixels, its last column and row repeated where the writer rounded the size down. */
    private static Raster padded(BufferedImage img, int w, int h) {
        int pw = img.getWidth(), ph = img.getHeight();
        int[] argb = img.getRGB(0, 0, pw, ph, null, 0, pw);
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(argb, Math.min(y, ph - 1) * pw, out, y * w, pw);
            for (int x = pw; x < w; x++) {
                out[y * w + x] = argb[Math.min(y, ph - 1) * pw + pw - 1];
            }
        }
        return Raster.fromPackedRgb(w, h, out);
    }
}
