package org.histodraw.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Files that must never become slices: bombs, corrupt, truncated and unsupported images (for tests). */
public final class BadSlides {
    private BadSlides() {
    }

    /** A valid PNG of a gradient. */
    public static byte[] png(int width, int height) throws IOException {
        return encode(gradient(width, height), "png");
    }

    public static BufferedImage gradient(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x ^ y) & 0xff));
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }

    /**
     * A decompression bomb: a well-formed PNG of a few hundred bytes whose header claims
     * {@code width x height} pixels of RGB (its compressed data would inflate to that).
     */
    public static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[1 << 20]); // the first megabyte of zero rows
        deflater.finish();
        byte[] buffer = new byte[1 << 16];
        int n = deflater.deflate(buffer);
        chunk(out, "IDAT", Arrays.copyOf(buffer, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A PNG signature followed by noise. */
    public static byte[] corruptPng() {
        byte[] bytes = new byte[4000];
        new java.util.Random(7).nextBytes(bytes);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, bytes, 0, 8);
        return bytes;
    }

    /** The first third of a JPEG. */
    public static byte[] truncatedJpeg() throws IOException {
        byte[] jpeg = encode(gradient(600, 400), "jpg");
        return Arrays.copyOf(jpeg, jpeg.length / 3);
    }

    /** A real GIF: an image format we do not ingest. */
    public static byte[] gif() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED);
        return encode(img, "gif");
    }

    /**
     * A tiled, Deflate-compressed TIFF whose last tiles hold garbage: it opens (its first tile is
     * fine), so the failure comes half-way through building the pyramid.
     */
    public static byte[] tiffDamagedAtTheEnd(int width, int height) throws IOException {
        ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                writer = w; // the JDK's writer: it writes tiles
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
            param.setTiling(256, 256, 0, 0);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Deflate");
            BufferedImage img = gradient(width, height);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] tiff = bytes.toByteArray();
        // The JDK writer puts the directory first and the tiles after it: damage the last fifth.
        for (int i = tiff.length * 4 / 5; i < tiff.length; i++) {
            tiff[i] = (byte) (i * 31);
        }
        return tiff;
    }

    /**
     * A PNG too large to be decoded in an upload's request (above 4 Mpx, or half the server's size
     * limit), cut in half: its header is fine, so it is found broken only when the ingest worker decodes it.
     */
    public static byte[] truncatedBigPng(int width, int height) throws IOException {
        byte[] whole = png(width, height);
        return java.util.Arrays.copyOf(whole, whole.length / 2);
    }

    public static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

}
