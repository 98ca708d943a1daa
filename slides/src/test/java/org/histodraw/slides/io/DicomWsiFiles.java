package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes small DICOM whole-slide files (Part 10, explicit VR little endian data set, JPEG baseline
 * frames, TILED_FULL) for tests, element by element, so a test can break exactly one thing: a length,
 * a count, a nesting, an offset table. Not a general DICOM writer.
 */
final class DicomWsiFiles {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private DicomWsiFiles() {
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    }

    /** A file that starts with the preamble and the meta group naming {@code transferSyntax}. */
    static DicomWsiFiles start(String transferSyntax) {
        DicomWsiFiles f = new DicomWsiFiles();
        f.text(0x0002, 0x0010, "UI", transferSyntax);
        return f;
    }

    /** The usual attributes of a VOLUME level of {@code width x height} in tiles of {@code tile} px, {@code frames} frames. */
    DicomWsiFiles volume(String series, int width, int height, int tile, long frames) {
        text(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\VOLUME\\NONE");
        text(0x0008, 0x0016, "UI", DicomFile.WSI_SOP_CLASS);
        text(0x0020, 0x000E, "UI", series);
        text(0x0020, 0x9311, "CS", "TILED_FULL");
        us(0x0028, 0x0002, 3);
        text(0x0028, 0x0004, "CS", "YBR_FULL_422");
        text(0x0028, 0x0008, "IS", Long.toString(frames));
        us(0x0028, 0x0010, tile);
        us(0x0028, 0x0011, tile);
        us(0x0028, 0x0100, 8);
        ul(0x0048, 0x0006, width);
        ul(0x0048, 0x0007, height);
        return this;
    }

    DicomWsiFiles text(int group, int element, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if (v.length % 2 == 1) {
            v = java.util.Arrays.copyOf(v, v.length + 1);
            v[v.length - 1] = (byte) ("UI".equals(vr) ? 0 : ' ');
        }
        return element(group, element, vr, v);
    }

    DicomWsiFiles us(int group, int element, int value) {
        return element(group, element, "US", le(2, value));
    }

    DicomWsiFiles ul(int group, int element, long value) {
        return element(group, element, "UL", le(4, value));
    }

    /** An element with a short (16-bit) length field holding {@code value.length}. */
    DicomWsiFiles element(int group, int element, String vr, byte[] value) {
        tag(group, element);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(2, value.length));
        out.writeBytes(value);
        return this;
    }

    /** An element with a long (32-bit) length field that says {@code claimed}, followed by {@code value}. */
    DicomWsiFiles longElement(int group, int element, String vr, long claimed, byte[] value) {
        tag(group, element);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[2]);
        out.writeBytes(le(4, claimed));
        out.writeBytes(value);
        return this;
    }

    /** {@code depth} sequences of undefined length nested in one another, each in an item, closed properly. */
    DicomWsiFiles nestedSequences(int depth) {
        for (int i = 0; i < depth; i++) {
            longElement(0x0040, 0x0555, "SQ", 0xFFFFFFFFL, new byte[0]);
            item(0xFFFFFFFFL);
        }
        for (int i = 0; i < depth; i++) {
            tag(0xFFFE, 0xE00D);
            out.writeBytes(le(4, 0));
            tag(0xFFFE, 0xE0DD);
            out.writeBytes(le(4, 0));
        }
        return this;
    }

    /** Encapsulated pixel data: a Basic Offset Table of {@code offsets} (none: empty) and one fragment per frame. */
    DicomWsiFiles jpegFrames(List<byte[]> frames, boolean offsetTable) {
        longElement(0x7FE0, 0x0010, "OB", 0xFFFFFFFFL, new byte[0]);
        if (offsetTable) {
            List<Long> offsets = new ArrayList<>();
            long at = 0;
            for (byte[] f : frames) {
                offsets.add(at);
                at += 8 + f.length;
            }
            item(4L * offsets.size());
            offsets.forEach(o -> out.writeBytes(le(4, o)));
        } else {
            item(0);
        }
        for (byte[] f : frames) {
            item(f.length);
            out.writeBytes(f);
        }
        return end();
    }

    /** An item header claiming {@code length} bytes. */
    DicomWsiFiles item(long length) {
        tag(0xFFFE, 0xE000);
        out.writeBytes(le(4, length));
        return this;
    }

    DicomWsiFiles raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The sequence delimiter that closes encapsulated pixel data. */
    DicomWsiFiles end() {
        tag(0xFFFE, 0xE0DD);
        out.writeBytes(le(4, 0));
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void tag(int group, int element) {
        out.writeBytes(le(2, group));
        out.writeBytes(le(2, element));
    }

    private static byte[] le(int n, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return java.util.Arrays.copyOf(b.array(), n);
    }

    /** The JPEG frames (JFIF, YCbCr) of {@code image} cut in {@code tile}-px tiles, row by row, white past the edges. */
    static List<byte[]> jpegTiles(BufferedImage image, int tile) {
        List<byte[]> frames = new ArrayList<>();
        for (int y = 0; y < image.getHeight(); y += tile) {
            for (int x = 0; x < image.getWidth(); x += tile) {
                BufferedImage t = new BufferedImage(tile, tile, BufferedImage.TYPE_INT_RGB);
                var g = t.createGraphics();
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, tile, tile);
                g.drawImage(image.getSubimage(x, y, Math.min(tile, image.getWidth() - x), Math.min(tile, image.getHeight() - y)), 0, 0, null);
                g.dispose();
                ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
                try {
                    ImageIO.write(t, "jpeg", jpeg);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                frames.add(jpeg.toByteArray());
            }
        }
        return frames;
    }
}
