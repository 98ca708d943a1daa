package org.histodraw.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;
import org.histodraw.slides.io.SlideImages;
import org.junit.jupiter.api.Assumptions;

/**
 * Aperio-style SVS files as a scanner writes them, made with Debian's libvips-tools: a pyramid of
 * 256-px JPEG tiles whose first directory carries an Aperio description ({@code Aperio Image
 * Library ...|MPP = 0.25}), which OpenSlide reads as an Aperio slide of 0.25 µm per pixel. Public
 * (in the spark module's test jar) for the app's cohort tests.
 */
public final class AperioSlides {
    public static final double MICRONS_PER_PIXEL = 0.25;
    private static final String DESCRIPTION = "Aperio Image Library v12.0.15 \r\n%d x %d [0,0 %dx%d] (256x256) JPEG/RGB Q=70"
            + "|AppMag = 40|MPP = 0.2500";

    private AperioSlides() {
    }

    /** Skips the calling test, saying why, where vips or OpenSlide is missing. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(SlideImages.openSlideAvailable(),
                "OpenSlide is not installed (apt-get install libopenslide0): skipping the test on an Aperio SVS");
        Assumptions.assumeTrue(vips("--version").isEmpty(),
                "vips is not installed (apt-get install libvips-tools): skipping the test on an Aperio SVS");
    }

    /** The image (any format ImageIO reads) as an Aperio SVS. */
    public static Path write(Path image, Path svs) throws IOException {
        BufferedImage pixels = ImageIO.read(image.toFile());
        Path described = svs.resolveSibling(svs.getFileName() + ".described.tif");
        writeDescribedTiff(pixels, String.format(Locale.ROOT, DESCRIPTION, pixels.getWidth(), pixels.getHeight(),
                pixels.getWidth(), pixels.getHeight()), described);
        // vips keeps the description of the TIFF it loads in the first directory of the one it writes.
        String failure = vips("tiffsave", described.toString(), svs.toString(), "--tile", "--pyramid", "--compression", "jpeg",
                "--tile-width", "256", "--tile-height", "256").orElse(null);
        Files.delete(described);
        if (failure != null) {
            throw new IOException(failure);
        }
        return svs;
    }

    /** An uncompressed TIFF with an ImageDescription, by the JDK's own TIFF writer (whose metadata API sets the tag). */
    private static void writeDescribedTiff(BufferedImage pixels, String description, Path file) throws IOException {
        ImageWriter writer = jdkTiffWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            TIFFDirectory directory = TIFFDirectory.createFromMetadata(
                    writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(pixels), param));
            directory.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION),
                    TIFFTag.TIFF_ASCII, 1, new String[] {description}));
            writer.write(null, new IIOImage(pixels, null, directory.getAsMetadata()), param);
        } finally {
            writer.dispose();
        }
    }

    /** The JDK's TIFF writer, not a plugin's (the slide readers bring TwelveMonkeys', whose metadata differs). */
    private static ImageWriter jdkTiffWriter() {
        for (Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff"); writers.hasNext(); ) {
            ImageWriter w = writers.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.plugins.tiff")) {
                return w;
            }
        }
        throw new IllegalStateException("the JDK's TIFF writer is missing");
    }

    /** Runs vips; empty when it succeeded, else what went wrong. */
    private static Optional<String> vips(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "vips";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return Optional.of("vips " + String.join(" ", args) + " failed: " + out);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("vips cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
