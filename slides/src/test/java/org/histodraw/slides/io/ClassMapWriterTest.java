package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassMapWriterTest {
    @TempDir
    Path dir;

    @Test
    void classMapIsAPalettePngWithClassColoursAndTransparentZero() throws IOException {
        ClassList classes = ClassList.named(List.of("Background", "Nucleus"));
        LabelRaster map = new LabelRaster(3, 1, new byte[] {0, 1, 2});
        Path file = dir.resolve("map.png");

        ClassMapWriter.write(map, classes, file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getColorModel()).isInstanceOf(IndexColorModel.class);
        assertThat(read.getRaster().getSamples(0, 0, 3, 1, 0, new int[3])).containsExactly(0, 1, 2);
        assertThat(read.getRGB(0, 0) >>> 24).isZero();
        assertThat(read.getRGB(1, 0)).isEqualTo(0xff000000 | classes.get(1).rgb());
        assertThat(read.getRGB(2, 0)).isEqualTo(0xff000000 | classes.get(2).rgb());
    }

    @Test
    void stripsStreamedTopToBottomMakeTheSameImageAsAWholeMap() throws IOException {
        int w = 1500, h = 1000;
        LabelRaster whole = LabelRaster.allocate(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                whole.set(x, y, 1 + ((x / 37 + y / 23) % 4));
            }
        }
        ClassList classes = ClassList.numbered(4);
        Path file = dir.resolve("streamed.png");

        try (ClassMapWriter writer = ClassMapWriter.open(file, w, h, classes)) {
            for (int y = 0; y < h; y += 256) {
                writer.accept(y, whole.crop(new org.histodraw.engine.raster.PixelRegion(0, y, w, Math.min(256, h - y))));
            }
        }

        BufferedImage read = ImageIO.read(file.toFile());
        int[] values = read.getRaster().getSamples(0, 0, w, h, 0, new int[w * h]);
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).isEqualTo(whole.data()[i] & 0xff);
        }
        assertThat(dir.resolve("streamed.png.part")).doesNotExist();
    }

    @Test
    void incompleteMapIsNotLeftBehind() {
        Path file = dir.resolve("cut.png");
        ClassMapWriter writer = ClassMapWriter.open(file, 10, 10, ClassList.numbered(2));
        writer.accept(0, LabelRaster.allocate(10, 4));

        assertThatThrownBy(writer::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4 of 10 rows");
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("cut.png.part")).doesNotExist();
    }

    @Test
    void abortedMapLeavesNothingAndCloseAfterAbortIsQuiet() {
        Path file = dir.resolve("aborted.png");
        ClassMapWriter writer = ClassMapWriter.open(file, 10, 10, ClassList.numbered(2));
        writer.accept(0, LabelRaster.allocate(10, 4));
        writer.abort();
        writer.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void stripsOutOfOrderOrWithUnknownClassesAreRejected() {
        try (ClassMapWriter writer = ClassMapWriter.open(dir.resolve("bad.png"), 4, 4, ClassList.numbered(2))) {
            assertThatThrownBy(() -> writer.accept(2, LabelRaster.allocate(4, 2)))
                    .hasMessageContaining("expected row 0, got 2");
            assertThatThrownBy(() -> writer.accept(0, new LabelRaster(4, 1, new byte[] {1, 2, 3, 0})))
                    .hasMessageContaining("value 3 at (2, 0) is not a class (have 2)");
            assertThatThrownBy(() -> writer.accept(0, LabelRaster.allocate(5, 1)))
                    .hasMessageContaining("strip width 5");
            writer.abort();
        }
    }

    @Test
    void pixelSizeIsWrittenAndReadBack() throws IOException {
        Path file = dir.resolve("scaled.png");
        ClassMapWriter.write(new LabelRaster(2, 2, new byte[] {1, 1, 1, 1}), ClassList.numbered(1), file, Optional.of(0.25));

        try (SlideImage read = SlideImages.open(file)) {
            assertThat(read.micronsPerPixel()).hasValueSatisfying(m -> assertThat(m).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-6)));
        }
        assertThat(Files.size(file)).isLessThan(200);
    }
}
