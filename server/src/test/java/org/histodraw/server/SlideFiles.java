package org.histodraw.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.Vips;

/**
 * Slide files written by other software, for the server's tests: openslide-python's test slides in
 * ../shared/data/wsi, and slides Debian's vips makes from the gbm-nuclei H&E images (an Aperio-style
 * SVS, generic pyramids). Each skips the test with a message when what it needs is absent.
 */
final class SlideFiles {
    private SlideFiles() {
    }

    static Path shared(String relative) {
        Path file = Path.of(System.getProperty("histodraw.data", "../shared/data")).resolve(relative);
        assumeTrue(Files.isRegularFile(file), "shared test data absent: " + file);
        return file;
    }

    static void assumeOpenSlide() {
        assumeTrue(SlideImages.openSlideAvailable(), "OpenSlide is not installed (apt-get install libopenslide0): skipping");
    }

    static void vips(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("vips"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "vips is not installed (apt-get install libvips-tools): skipping the tests on vips-made slides");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("vips " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A 2 x 2 mosaic of gbm-nuclei images 01-04 (1024 x 1024). */
    static BufferedImage mosaic() throws IOException {
        BufferedImage out = new BufferedImage(1024, 1024, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < 4; i++) {
            BufferedImage tile = ImageIO.read(shared("gbm-nuclei/0" + (i + 1) + ".png").toFile());
            out.getGraphics().drawImage(tile, (i % 2) * 512, (i / 2) * 512, null);
        }
        return out;
    }

    /**
     * An Aperio-style SVS: JPEG tiles of 256, pyramidal, with an Aperio ImageDescription (MPP 0.25,
     * AppMag 40) so OpenSlide reads it as Aperio: the image goes into a TIFF carrying the description,
     * which vips keeps when it writes the pyramid.
     */
    static Path aperioSvs(BufferedImage image, Path dir) throws IOException {
        Vips.assumeAvailable();
        return Vips.aperio(image, dir, "slide", false);
    }
}
