package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbabilityMapWriterTest {
    @TempDir
    Path dir;

    @Test
    void eachPlaneBecomesAGrayPngStreamedInStrips() throws IOException {
        ClassList classes = ClassList.named(List.of("Background", "Nucleus"));
        List<Path> files = ProbabilityMapWriter.planeFiles(dir, "01", classes, true);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("01_prob_background.png", "01_prob_nucleus.png", "01_uncertainty.png");
        int w = 300, h = 200;

        try (ProbabilityMapWriter writer = ProbabilityMapWriter.perPlane(files, w, h, Optional.empty())) {
            for (int y = 0; y < h; y += 64) {
                int rows = Math.min(64, h - y);
                Raster strip = Raster.allocate(w, rows, 3);
                for (int j = 0; j < rows; j++) {
                    for (int x = 0; x < w; x++) {
                        float p = x / (float) (w - 1);
                        strip.set(0, x, j, 1 - p);
                        strip.set(1, x, j, p);
                        strip.set(2, x, j, (y + j) / (float) (h - 1));
                    }
                }
                writer.accept(y, strip);
            }
        }

        BufferedImage nucleus = ImageIO.read(files.get(1).toFile());
        assertThat(nucleus.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(nucleus.getRaster().getSample(0, 50, 0)).isZero();
        assertThat(nucleus.getRaster().getSample(w - 1, 50, 0)).isEqualTo(255);
        assertThat(nucleus.getRaster().getSample(150, 10, 0)).isEqualTo(Math.round(150f / (w - 1) * 255));
        BufferedImage uncertainty = ImageIO.read(files.get(2).toFile());
        assertThat(uncertainty.getRaster().getSample(7, h - 1, 0)).isEqualTo(255);
    }

    @Test
    void compositeMixesClassColoursByProbability() throws IOException {
        ClassList classes = new ClassList(List.of(new ImageClass(1, "Red", 0xFF0000), new ImageClass(2, "Blue", 0x0000FF)));
        Path file = dir.resolve("composite.png");
        Raster planes = Raster.allocate(2, 1, 3);
        planes.set(0, 0, 0, 1f);                 // pure red
        planes.set(0, 1, 0, 0.5f);               // half and half
        planes.set(1, 1, 0, 0.5f);

        try (ProbabilityMapWriter writer = ProbabilityMapWriter.composite(file, 2, 1, classes, Optional.empty())) {
            writer.accept(0, planes);
        }

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getRGB(0, 0) & 0xffffff).isEqualTo(0xFF0000);
        assertThat(read.getRGB(1, 0) & 0xffffff).isEqualTo(0x800080);
    }

    @Test
    void classNamesBecomeSafeDistinctFileNames() {
        ClassList classes = ClassList.named(Arrays.asList("Tumour / stroma", "tumour-stroma", "Ñ"));
        assertThat(ProbabilityMapWriter.planeFiles(dir, "s", classes, false))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("s_prob_tumour-stroma.png", "s_prob_tumour-stroma-2.png", "s_prob_class.png");
    }
}
