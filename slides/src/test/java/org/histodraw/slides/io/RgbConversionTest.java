package org.histodraw.slides.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class RgbConversionTest {

    private static BufferedImage noise(int type, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt() | 0xff000000);
            }
        }
        return image;
    }

    /** Every pixel of the region, as getRGB sees it, divided by 255 (what the engine's planes hold). */
    private static void assertSamePixels(BufferedImage image, int x, int y, int w, int h) {
        Raster rgb = RgbConversion.toRgb(image, x, y, w, h);
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int argb = image.getRGB(x + i, y + j);
                int k = j * w + i;
                assertEquals(((argb >> 16) & 0xff) / 255f, rgb.plane(0)[k], "red at " + (x + i) + "," + (y + j));
                assertEquals(((argb >> 8) & 0xff) / 255f, rgb.plane(1)[k], "green at " + (x + i) + "," + (y + j));
                assertEquals((argb & 0xff) / 255f, rgb.plane(2)[k], "blue at " + (x + i) + "," + (y + j));
            }
        }
    }

    @Test
    void eightBitBgrImagesReadTheSameNumbersAsTheirColours() {
        assertSamePixels(noise(BufferedImage.TYPE_3BYTE_BGR, 37, 23), 0, 0, 37, 23);
        assertSamePixels(noise(BufferedImage.TYPE_3BYTE_BGR, 37, 23), 5, 7, 20, 11);
    }

    @Test
    void decodedPngRegionsReadTheSameNumbersAsTheirColours() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(noise(BufferedImage.TYPE_INT_RGB, 41, 29), "png", png);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertSamePixels(decoded, 0, 0, 41, 29);
        assertSamePixels(decoded, 13, 3, 17, 19);
    }

    @Test
    void subimagesReadTheirOwnPixelsNotTheirParentsCorner() {
        BufferedImage parent = noise(BufferedImage.TYPE_3BYTE_BGR, 50, 40);
        BufferedImage child = parent.getSubimage(9, 6, 30, 25);
        assertSamePixels(child, 0, 0, 30, 25);
        assertSamePixels(child, 4, 2, 10, 12);
    }

    @Test
    void greyImagesGiveEqualRedGreenAndBlue() {
        BufferedImage grey = new BufferedImage(19, 13, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Raster rgb = RgbConversion.toRgb(grey, 2, 3, 10, 8);
        for (int j = 0; j < 8; j++) {
            for (int i = 0; i < 10; i++) {
                float expected = (data[(3 + j) * 19 + 2 + i] & 0xff) / 255f;
                int k = j * 10 + i;
                assertEquals(expected, rgb.plane(0)[k]);
                assertEquals(expected, rgb.plane(1)[k]);
                assertEquals(expected, rgb.plane(2)[k]);
            }
        }
    }
}
