package org.histodraw.slides.io;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Opens slide images: {@code SlideImages.open(Path.of("slide.tif"))}. Recognises the format from
 * the file's content, checks its size against {@link SlideLimits} before decoding anything, and turns
 * every failure into a {@link SlideException} naming the file and the problem.
 */
public final class SlideImages {
    /** TIFF tiles or strips up to this many pixels are decoded per region; larger ones whole. */
    static final long MAX_REGION_BLOCK_PIXELS = 4L << 20;

    private SlideImages() {
    }

    public static SlideImage open(Path file) {
        return open(file, SlideLimits.DEFAULT);
    }

    public static SlideImage open(Path file, SlideLimits limits) {
        ImageFiles.checkReadable(file);
        List<SlideException> failures = new ArrayList<>();
        try {
            Optional<TiledTiff> tiff = TiledTiff.open(file);
            if (tiff.isPresent()) {
                return fromTiles(file, tiff.get(), limits);
            }
        } catch (TooLarge e) {
            throw e;
        } catch (SlideException e) {
            failures.add(e); // a structure our reader does not follow: ImageIO may still read it
        }
        List<ImageReaderSpi> providers;
        try {
            providers = ImageFiles.providers(file);
        } catch (SlideException e) {
            throw failures.isEmpty() ? e : failures.get(0);
        }
        for (ImageReaderSpi provider : providers) {
            try {
                return open(file, provider, limits);
            } catch (TooLarge e) {
                throw e;
            } catch (Unsuitable e) {
                failures.add(e);
            } catch (SlideException e) {
                failures.add(0, e); // a real decoding failure says more than "not this reader"
            }
        }
        throw failures.get(0);
    }

    private static SlideImage fromTiles(Path file, TiledTiff tiff, SlideLimits limits) {
        try {
            long pixels = (long) tiff.width() * tiff.height();
            if (pixels > limits.maxPixels()) {
                throw new TooLarge(file, "image too large", tiff.width() + " x " + tiff.height() + " = "
                        + SlideLimits.megapixels(pixels) + ", above the limit of " + SlideLimits.megapixels(limits.maxPixels()));
            }
            SlideImage image = new SlideImage(file, "TIFF", tiff.micronsPerPixel(), tiff);
            image.read(new PixelRegion(0, 0, 1, 1)); // fail at open, not half-way through a job
            return image;
        } catch (RuntimeException e) {
            tiff.close();
            throw e;
        }
    }

    /**
     * Opens the file whole, for readers of small images such as label images: fails when the image is
     * above {@link SlideLimits#maxWholeImagePixels()}.
     */
    static Decoded decodeWhole(Path file, SlideLimits limits) {
        ImageFiles.checkReadable(file);
        List<SlideException> failures = new ArrayList<>();
        for (ImageReaderSpi provider : ImageFiles.providers(file)) {
            String format = ImageFiles.formatName(provider);
            ImageReader reader = null;
            try {
                reader = ImageFiles.openReader(file, provider);
                int level = largestImage(reader, format);
                checkWholeSize(file, format, reader.getWidth(level), reader.getHeight(level), limits);
                return new Decoded(format, read(file, format, reader, level));
            } catch (TooLarge e) {
                throw e;
            } catch (SlideException e) {
                failures.add(e);
            } catch (IOException | RuntimeException e) {
                failures.add(ImageFiles.failure(file, format, e));
            } finally {
                ImageFiles.closeQuietly(reader);
            }
        }
        throw failures.get(0);
    }

    record Decoded(String format, BufferedImage image) {
    }

    /** Opens with one given reader (tests use it to exercise the TwelveMonkeys fallback). */
    static SlideImage open(Path file, ImageReaderSpi provider, SlideLimits limits) {
        String format = ImageFiles.formatName(provider);
        ImageReader reader = null;
        try {
            reader = ImageFiles.openReader(file, provider);
            int level = largestImage(reader, format);
            int width = reader.getWidth(level);
            int height = reader.getHeight(level);
            long pixels = (long) width * height;
            if (pixels > limits.maxPixels()) {
                throw new TooLarge(file, "image too large", width + " x " + height + " = " + SlideLimits.megapixels(pixels)
                        + ", above the limit of " + SlideLimits.megapixels(limits.maxPixels()));
            }
            if (ImageFiles.isJdk(provider) && pixels > Integer.MAX_VALUE) {
                // javax.imageio.ImageReader.getDestination refuses any read, even of a small source
                // region, once the whole image exceeds 2^31 pixels.
                throw new Unsuitable(file, "the JDK's " + format + " reader cannot read images above 2^31 pixels");
            }
            Optional<Double> mpp = PixelSizes.micronsPerPixel(reader, level);
            long block = (long) reader.getTileWidth(level) * reader.getTileHeight(level);
            if ("TIFF".equals(format) && block <= MAX_REGION_BLOCK_PIXELS) {
                boolean bands = !ImageFiles.isJdk(provider) && reader.isImageTiled(level);
                RegionReaders regions = new RegionReaders(file, provider, level, width, height, bands,
                        reader.getTileHeight(level), limits.maxReaders(), reader);
                reader = null; // now owned by the pool
                SlideImage image = new SlideImage(file, format, mpp, regions);
                try {
                    image.read(new PixelRegion(0, 0, 1, 1)); // fail at open, not half-way through a job
                } catch (RuntimeException e) {
                    image.close();
                    throw e;
                }
                return image;
            }
            checkWholeSize(file, format, width, height, limits);
            BufferedImage whole = read(file, format, reader, level);
            return new SlideImage(file, format, mpp, new WholeImage(whole));
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(file, format, e);
        } finally {
            ImageFiles.closeQuietly(reader);
        }
    }

    private static void checkWholeSize(Path file, String format, int width, int height, SlideLimits limits) {
        long pixels = (long) width * height;
        if (pixels > limits.maxWholeImagePixels()) {
            throw new TooLarge(file, "too large to decode whole", format + " of " + width + " x " + height + " = "
                    + SlideLimits.megapixels(pixels) + ", above the limit of " + SlideLimits.megapixels(limits.maxWholeImagePixels())
                    + " for images without tiles; save it as a tiled TIFF, e.g. vips tiffsave in.png out.tif --tile --pyramid");
        }
    }

    /** Reads a whole level, failing on truncation that the reader reports only as a warning (JPEG). */
    private static BufferedImage read(Path file, String format, ImageReader reader, int level) throws IOException {
        List<String> truncations = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (ImageFiles.mentionsTruncation(warning)) {
                truncations.add(warning);
            }
        });
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(0, 0, reader.getWidth(level), reader.getHeight(level)));
        BufferedImage image = reader.read(level, param);
        if (!truncations.isEmpty()) {
            throw new SlideException(file, "truncated " + format, truncations.get(0));
        }
        return image;
    }

    /** Level 0 of a pyramid: the largest image in the file (thumbnails and label images are smaller). */
    private static int largestImage(ImageReader reader, String format) throws IOException {
        if (!"TIFF".equals(format)) {
            return 0;
        }
        int count = reader.getNumImages(true);
        int best = 0;
        long bestArea = -1;
        for (int i = 0; i < count; i++) {
            long area = (long) reader.getWidth(i) * reader.getHeight(i);
            if (area > bestArea) {
                best = i;
                bestArea = area;
            }
        }
        return best;
    }

    /** This reader cannot serve the file; the next one is tried. */
    static final class Unsuitable extends SlideException {
        Unsuitable(Path file, String problem) {
            super(file, problem);
        }
    }

    /** A size-limit failure: another reader would say the same, so no fallback is tried. */
    static final class TooLarge extends SlideException {
        TooLarge(Path file, String problem, String detail) {
            super(file, problem, detail);
        }
    }
}
