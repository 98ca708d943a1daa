package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelImagesTest {
    @TempDir
    Path dir;

    @Test
    void grayscaleValuesAreTheLabels() throws IOException {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {0, 1, 2, 0, 0, 0, 7, 2});
        Path file = write(img, "labels.png");

        LabelImage read = LabelImages.read(file);

        assertThat(read.labels().data()).containsExactly(0, 1, 2, 0, 0, 0, 7, 2);
        assertThat(read.values()).containsExactly(1, 2, 7);
        assertThat(read.colours()).isEmpty();
        assertThat(read.maxValue()).isEqualTo(7);
    }

    @Test
    void sixteenBitGrayAboveTwoHundredFiftyFiveIsRefused() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 2, 300});
        Path file = write(img, "wide.png");

        assertThatThrownBy(() -> LabelImages.read(file))
                .isInstanceOf(SlideException.class)
                .hasMessage("label values must be 0..255: " + file + " (found 300 at (2, 0))");
    }

    @Test
    void eachColourOtherThanBlackIsAClassNumberedByColourValue() throws IOException {
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);  // red: the larger value, class 2
        img.setRGB(1, 0, 0x000000);
        img.setRGB(2, 0, 0x00FF00);  // green: class 1
        img.setRGB(3, 0, 0xFF0000);
        Path file = write(img, "scribbles.png");

        LabelImage read = LabelImages.read(file);

        assertThat(read.labels().data()).containsExactly(2, 0, 1, 2);
        assertThat(read.values()).containsExactly(1, 2);
        assertThat(read.colourOf(1)).contains(0x00FF00);
        assertThat(read.colourOf(2)).contains(0xFF0000);
        ClassList classes = read.classes(List.of("Stroma", "Tumour"));
        assertThat(classes.get(2).name()).isEqualTo("Tumour");
        assertThat(classes.get(2).rgb()).isEqualTo(0xFF0000);
    }

    @Test
    void paletteIndicesAreTheLabelsAndTheirColoursTheClassColours() throws IOException {
        byte[] r = {0, (byte) 255, 0}, g = {0, 0, 0}, b = {0, 0, (byte) 255}, a = {0, (byte) 255, (byte) 255};
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b, a));
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 1, 2});
        Path file = write(img, "palette.png");

        LabelImage read = LabelImages.read(file);

        assertThat(read.labels().data()).containsExactly(0, 1, 2); // index 0 (transparent) is unlabelled
        assertThat(read.values()).containsExactly(1, 2);
        assertThat(read.colourOf(1)).contains(0xFF0000);
        assertThat(read.colourOf(2)).contains(0x0000FF);
    }

    @Test
    void colourImageWithOnlyGrayPixelsIsReadAsGrayValues() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x010101);
        img.setRGB(2, 0, 0x020202);
        Path file = write(img, "gray-as-rgb.png");

        LabelImage read = LabelImages.read(file);

        assertThat(read.labels().data()).containsExactly(1, 0, 2);
        assertThat(read.colours()).isEmpty();
    }

    @Test
    void antiAliasedColourImagesAndJpegAreRefused() throws IOException {
        Path photo = write(TestImages.patternImage(64, 64), "photo.png");
        assertThatThrownBy(() -> LabelImages.read(photo))
                .isInstanceOf(SlideException.class)
                .hasMessageStartingWith("too many colours for a label image: " + photo);

        Path jpeg = dir.resolve("labels.jpg");
        ImageIO.write(TestImages.patternImage(8, 8), "jpg", jpeg.toFile());
        assertThatThrownBy(() -> LabelImages.read(jpeg)).hasMessageStartingWith("labels cannot be JPEG: " + jpeg);
    }

    @Test
    void classMapWrittenByClassMapWriterReadsBackAsTheSameLabels() {
        LabelRaster map = new LabelRaster(3, 2, new byte[] {1, 2, 3, 3, 2, 1});
        Path file = dir.resolve("map.png");
        ClassMapWriter.write(map, ClassList.numbered(3), file);

        LabelImage read = LabelImages.read(file);

        // The palette PNG holds class colours, so values come back by colour order; colours tell which.
        ClassList classes = ClassList.numbered(3);
        for (int i = 0; i < 6; i++) {
            int value = read.labels().data()[i];
            assertThat(read.colourOf(value)).contains(classes.get(map.data()[i]).rgb());
        }
    }

    @Test
    void sharedScribblesHoldTheTwoClasses() {
        Path file = SharedData.file("gbm-nuclei/01_scribbles.png");

        LabelImage read = LabelImages.read(file);

        assertThat(read.labels().width()).isEqualTo(512);
        assertThat(read.values()).containsExactly(1, 2);
        assertThat(read.labels().count(1)).isGreaterThan(100);
        assertThat(read.labels().count(2)).isGreaterThan(100);
    }

    private Path write(BufferedImage img, String name) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
        return file;
    }
}
