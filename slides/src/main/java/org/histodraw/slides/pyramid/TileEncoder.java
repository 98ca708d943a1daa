package org.histodraw.slides.pyramid;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.histodraw.engine.raster.RgbTiff;
import org.histodraw.slides.png.PngWriter;

/** Encodes 8-bit RGB images as JPEG (quality {@value #JPEG_QUALITY}), PNG or uncompressed TIFF bytes; thread-safe. */
public final class TileEncoder {
    static final float JPEG_QUALITY = 0.9f;

    private TileEncoder() {
    }

    /** Opaque packed pixels (0xFFRRGGBB, row by row) as JPEG, PNG or TIFF bytes. */
    public static byte[] encode(int[] argb, int width, int height, TileFormat format) {
        return switch (format) {
            case PNG -> PngWriter.encodeRgb(argb, width, height);
            case TIFF -> RgbTiff.write(argb, width, height);
            case JPEG -> encode(rgbImage(width, height, argb), format);
        };
    }

    /** An image's colours as JPEG, PNG or TIFF bytes (PNG by our own writer: fewer bytes, sooner, than ImageIO's). */
    public static byte[] encode(BufferedImage image, TileFormat format) {
        if (format != TileFormat.JPEG) {
            int w = image.getWidth(), h = image.getHeight();
            return encode(image.getRGB(0, 0, w, h, null, 0, w), w, h, format);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
        ImageWriter writer = writer(format);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == TileFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a " + format + " tile", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static ImageWriter writer(TileFormat format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(format.mediaType());
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format.mediaType());
        }
        return writers.next();
    }

    /** An RGB image over packed 0xRRGGBB pixels (no copy). */
    static BufferedImage rgbImage(int width, int height, int[] packed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, packed, 0, width);
        return image;
    }
}
