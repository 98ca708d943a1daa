package org.histodraw.slides.png;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.slides.io.TestImages;
import org.junit.jupiter.api.Test;

class PngWriterTest {

    @Test
    void rgbRowsRoundTripThroughImageIoWhateverFilterWins() throws IOException {
        int w = 97, h = 61;
        BufferedImage expected = TestImages.patternImage(w, h);
        Random noise = new Random(3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] row = new byte[3 * w];
        try (PngWriter png = PngWriter.rgb(bytes, w, h, Optional.empty())) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y % 7 == 3 ? noise.nextInt(1 << 24) : expected.getRGB(x, y) & 0xffffff; // some rows favour no filter
                    expected.setRGB(x, y, p);
                    row[3 * x] = (byte) (p >> 16);
                    row[3 * x + 1] = (byte) (p >> 8);
                    row[3 * x + 2] = (byte) p;
                }
                png.writeRow(row, 0);
            }
        }

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertThat(read.getRGB(x, y)).isEqualTo(expected.getRGB(x, y));
            }
        }
    }

    @Test
    void grayImageSpanningManyIdatChunksRoundTrips() throws IOException {
        int w = 1000, h = 700; // random bytes do not compress: about 11 chunks of 64 KiB
        Random random = new Random(1);
        byte[] pixels = new byte[w * h];
        random.nextBytes(pixels);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PngWriter png = PngWriter.gray(bytes, w, h, Optional.empty())) {
            for (int y = 0; y < h; y++) {
                png.writeRow(pixels, y * w);
            }
        }

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        int[] values = read.getRaster().getSamples(0, 0, w, h, 0, new int[w * h]);
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).isEqualTo(pixels[i] & 0xff);
        }
    }

    @Test
    void finishingEarlyOrWritingTooManyRowsFails() {
        PngWriter png = PngWriter.gray(new ByteArrayOutputStream(), 2, 2, Optional.empty());
        png.writeRow(new byte[2], 0);
        assertThatThrownBy(png::finish).hasMessage("PNG incomplete: 1 of 2 rows written");
        png.writeRow(new byte[2], 0);
        assertThatThrownBy(() -> png.writeRow(new byte[2], 0)).hasMessage("all 2 rows were already written");
        png.close();
    }

    @Test
    void packedPixelsEncodeToAnRgbPngThatImageIoReadsBack() throws IOException {
        Random random = new Random(9);
        int w = 37, h = 23;
        int[] packed = new int[w * h];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = 0xff000000 | random.nextInt(1 << 24);
        }
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngWriter.encodeRgb(packed, w, h)));
        assertThat(read.getWidth()).isEqualTo(w);
        assertThat(read.getHeight()).isEqualTo(h);
        for (int i = 0; i < packed.length; i++) {
            assertThat(read.getRGB(i % w, i / w) & 0xffffff).isEqualTo(packed[i] & 0xffffff);
        }
        assertThatThrownBy(() -> PngWriter.encodeRgb(packed, w, h + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("37 x 24 pixels, not 851");
    }
}
