package org.histodraw.engine.raster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class RgbTiffTest {

    @Test
    void pixelsWrittenAreThePixelsRead() {
        int[] rgb = noise(37, 23, 1);
        int[] read = RgbTiff.read(RgbTiff.write(rgb, 37, 23), 37, 23);
        for (int i = 0; i < rgb.length; i++) {
            assertThat(read[i]).isEqualTo(0xFF000000 | rgb[i]);
        }
    }

    @Test
    void theFileIsOneUncompressedStripThatImageIoReadsAsTheSamePixels() throws IOException {
        int[] rgb = noise(64, 48, 2);
        byte[] tiff = RgbTiff.write(rgb, 64, 48);
        assertThat(tiff.length).isEqualTo(140 + 3 * 64 * 48);
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(tiff));
        assertThat(image.getRGB(0, 0, 64, 48, null, 0, 64)).isEqualTo(opaque(rgb));
    }

    @Test
    void aBigEndianTiffOfManyStripsWrittenByImageIoIsRead() throws IOException {
        int[] rgb = noise(300, 257, 3);
        byte[] tiff = imageIoTiff(rgb, 300, 257, null);
        assertThat(new String(tiff, 0, 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("MM");
        assertThat(RgbTiff.read(tiff, 300, 257)).isEqualTo(opaque(rgb));
    }

    @Test
    void otherKindsOfTiffAreRefusedNamingWhy() throws IOException {
        int[] rgb = noise(40, 30, 4);
        assertThatThrownBy(() -> RgbTiff.read(imageIoTiff(rgb, 40, 30, "Deflate"), 40, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compressed");
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(grey, "tiff", out);
        assertThatThrownBy(() -> RgbTiff.read(out.toByteArray(), 40, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not RGB");
        assertThatThrownBy(() -> RgbTiff.read(RgbTiff.write(rgb, 40, 30), 30, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is 40 x 30 px, expected 30 x 40");
        assertThatThrownBy(() -> RgbTiff.read(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byte order");
        byte[] bigTiff = RgbTiff.write(rgb, 40, 30);
        bigTiff[2] = 43;
        assertThatThrownBy(() -> RgbTiff.read(bigTiff, 40, 30)).hasMessageContaining("BigTIFF");
    }

    @Test
    void offsetsAndCountsThatDoNotFitTheBytesAreRefused() {
        int[] rgb = noise(20, 10, 5);
        byte[] whole = RgbTiff.write(rgb, 20, 10);
        // the pixels cut short
        assertThatThrownBy(() -> RgbTiff.read(Arrays.copyOf(whole, whole.length - 1), 20, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strip 0 lies past the end");
        // the directory pointed past the end, then its count of entries
        byte[] farDirectory = whole.clone();
        farDirectory[7] = 0x7F;
        assertThatThrownBy(() -> RgbTiff.read(farDirectory, 20, 10)).hasMessageContaining("directory offset");
        byte[] manyEntries = whole.clone();
        manyEntries[8] = (byte) 0xFF;
        manyEntries[9] = (byte) 0xFF;
        assertThatThrownBy(() -> RgbTiff.read(manyEntries, 20, 10)).hasMessageContaining("65535 entries runs past the end");
        // bits per sample: three values said to be four billion, then a byte count too small for its rows
        byte[] manyValues = whole.clone();
        int bits = entryOf(manyValues, 258);
        manyValues[bits + 4] = manyValues[bits + 5] = manyValues[bits + 6] = manyValues[bits + 7] = (byte) 0xFF;
        assertThatThrownBy(() -> RgbTiff.read(manyValues, 20, 10)).hasMessageContaining("values lie past the end");
        byte[] shortStrip = whole.clone();
        shortStrip[entryOf(shortStrip, 279) + 8] = 10;
        shortStrip[entryOf(shortStrip, 279) + 9] = 0;
        assertThatThrownBy(() -> RgbTiff.read(shortStrip, 20, 10)).hasMessageContaining("strip 0 holds 10 bytes");
        assertThatThrownBy(() -> RgbTiff.read(new byte[3], 1, 1)).hasMessageContaining("only 3 bytes");
    }

    @Test
    void writingRefusesAPixelCountThatIsNotTheSize() {
        assertThatThrownBy(() -> RgbTiff.write(new int[10], 3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3 x 3 pixels, got 10");
    }

    /** Where the directory entry of {@code tag} starts, in a little-endian file of this writer. */
    private static int entryOf(byte[] tiff, int tag) {
        for (int e = 10; ; e += 12) {
            if ((tiff[e] & 0xFF | (tiff[e + 1] & 0xFF) << 8) == tag) {
                return e;
            }
        }
    }

    private static byte[] imageIoTiff(int[] rgb, int width, int height, String compression) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static int[] noise(int width, int height, long seed) {
        Random random = new Random(seed);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt(1 << 24);
        }
        return rgb;
    }

    private static int[] opaque(int[] rgb) {
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = 0xFF000000 | rgb[i];
        }
        return out;
    }
}
