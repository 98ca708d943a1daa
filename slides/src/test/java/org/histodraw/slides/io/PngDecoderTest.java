package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngDecoderTest {
    @TempDir
    Path dir;

    @Test
    void everyFilterAndColourTypeGivesImageIosPixelsBitForBit() throws IOException {
        int w = 37, h = 23;
        for (int colourType : new int[] {0, 2, 4, 6}) {
            int channels = colourType == 0 ? 1 : colourType == 2 ? 3 : colourType == 4 ? 2 : 4;
            byte[] raw = samples(w, h, channels, colourType);
            // Rows filtered with types 0 to 4 in turn, the data split in 61-byte IDAT chunks (rows
            // and even filter bytes cut across chunks).
            Path file = write(png(w, h, 8, colourType, 0, filtered(raw, w * channels, h, channels, -1), 61));
            BufferedImage ours = PngDecoder.decode(file, w, h);
            BufferedImage theirs = ImageIO.read(file.toFile());
            assertThat(ours).as("colour type %d", colourType).isNotNull();
            Raster a = RgbConversion.toRgb(ours, 0, 0, w, h), b = RgbConversion.toRgb(theirs, 0, 0, w, h);
            for (int c = 0; c < 3; c++) {
                assertThat(a.plane(c)).as("colour type %d, channel %d", colourType, c).isEqualTo(b.plane(c));
            }
            for (int y = 0; y < h; y += 5) {
                for (int x = 0; x < w; x += 3) {
                    assertThat(ours.getRGB(x, y)).isEqualTo(theirs.getRGB(x, y));
                }
            }
        }
    }

    @Test
    void pngsOfOtherKindsAreLeftToImageIo() throws IOException {
        byte[] grey = samples(8, 4, 1, 0);
        byte[] rows = filtered(grey, 8, 4, 1, 0);
        assertThat(PngDecoder.decode(write(png(8, 4, 8, 3, 0, rows, 1 << 16)), 8, 4)).as("palette").isNull();
        assertThat(PngDecoder.decode(write(png(8, 4, 16, 0, 0, filtered(samples(16, 4, 1, 0), 16, 4, 1, 0), 1 << 16)), 8, 4))
                .as("16-bit").isNull();
        assertThat(PngDecoder.decode(write(png(8, 4, 8, 0, 1, rows, 1 << 16)), 8, 4)).as("interlaced").isNull();
        byte[] transparent = withChunkBeforeData(png(8, 4, 8, 0, 0, rows, 1 << 16), "tRNS", new byte[] {0, 0});
        assertThat(PngDecoder.decode(write(transparent), 8, 4)).as("a transparent grey").isNull();
    }

    @Test
    void theFactsSayWhichPngsAreOursWithoutDecodingThem() throws IOException {
        byte[] rows = filtered(samples(8, 4, 1, 0), 8, 4, 1, 0);
        PngDecoder.Facts grey = PngDecoder.facts(write(png(8, 4, 8, 0, 0, rows, 1 << 16)));
        assertThat(grey).isEqualTo(new PngDecoder.Facts(8, 4, true, java.util.Optional.empty(), false));
        assertThat(PngDecoder.facts(write(png(8, 4, 8, 3, 0, rows, 1 << 16))).decodable()).as("palette").isFalse();
        assertThat(PngDecoder.facts(write(png(8, 4, 8, 0, 1, rows, 1 << 16))).decodable()).as("interlaced").isFalse();
        byte[] transparent = withChunkBeforeData(png(8, 4, 8, 0, 0, rows, 1 << 16), "tRNS", new byte[] {0, 0});
        assertThat(PngDecoder.facts(write(transparent)).decodable()).as("a transparent grey").isFalse();
        byte[] phys = {0, 0x3d, 0x09, 0x00, 0, 0x3d, 0x09, 0x00, 1}; // 4,000,000 px per metre: 0.25 um
        assertThat(PngDecoder.facts(write(withChunkBeforeData(png(8, 4, 8, 0, 0, rows, 1 << 16), "pHYs", phys)))
                .micronsPerPixel()).contains(0.25);
        byte[] described = "ImageDescription\0Aperio|MPP = 0.5".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PngDecoder.facts(write(withChunkBeforeData(png(8, 4, 8, 0, 0, rows, 1 << 16), "tEXt", described)))
                .describedInText()).isTrue();
        byte[] comment = "Comment\0MPP = 0.5".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PngDecoder.facts(write(withChunkBeforeData(png(8, 4, 8, 0, 0, rows, 1 << 16), "tEXt", comment)))
                .describedInText()).isFalse();
        assertThat(PngDecoder.isPng(Arrays.copyOf(png(8, 4, 8, 0, 0, rows, 1 << 16), 8))).isTrue();
        assertThat(PngDecoder.isPng(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 0, 0, 0, 0})).isFalse();
    }

    @Test
    void aMillionEmptyChunksAreWalkedInAFewReads() throws IOException {
        byte[] rows = filtered(samples(8, 4, 1, 0), 8, 4, 1, 0);
        byte[] good = png(8, 4, 8, 0, 0, rows, 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good, 0, 33); // signature and IHDR
        byte[] empty = new byte[12]; // a zero-length chunk: length 0, type, CRC
        byte[] type = "abCd".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(type, 0, empty, 4, 4);
        for (int i = 0; i < 1_000_000; i++) {
            out.write(empty);
        }
        out.write(good, 33, good.length - 33);
        Path file = write(out.toByteArray());

        long t0 = System.nanoTime();
        PngDecoder.Facts facts = PngDecoder.facts(file);
        BufferedImage image = PngDecoder.decode(file, 8, 4);
        assertThat(facts.decodable()).isTrue();
        assertThat(image).isNotNull();
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds for 12 MB of empty chunks, twice").isLessThan(20);
    }

    @Test
    void aChunkListRunningPastTheEndIsNamed() throws IOException {
        byte[] good = png(16, 8, 8, 2, 0, filtered(samples(16, 8, 3, 2), 48, 8, 3, 0), 40);
        assertThatThrownBy(() -> PngDecoder.facts(write(Arrays.copyOf(good, good.length - 30))))
                .isInstanceOf(IOException.class).hasMessageContaining("runs past the end of the file");
        assertThatThrownBy(() -> PngDecoder.facts(write(Arrays.copyOf(good, 20))))
                .isInstanceOf(IOException.class).hasMessageContaining("IHDR");
    }

    @Test
    void damagedFilesFailWithTheirReason() throws IOException {
        int w = 16, h = 8;
        byte[] raw = samples(w, h, 3, 2);
        byte[] good = png(w, h, 8, 2, 0, filtered(raw, w * 3, h, 3, 0), 40);

        // cut inside the first IDAT chunk (8-byte signature, 25-byte IHDR, then its 8-byte head)
        assertThatThrownBy(() -> PngDecoder.decode(write(Arrays.copyOf(good, 33 + 8 + 20)), w, h))
                .isInstanceOf(IOException.class).hasMessageContaining("runs past the end of the file");

        byte[] badFilter = filtered(raw, w * 3, h, 3, 0);
        badFilter[(w * 3 + 1) * 5] = 7; // row 5's filter byte
        assertThatThrownBy(() -> PngDecoder.decode(write(png(w, h, 8, 2, 0, badFilter, 1 << 16)), w, h))
                .isInstanceOf(IOException.class).hasMessageContaining("row 5 has filter type 7");

        byte[] fewRows = Arrays.copyOf(filtered(raw, w * 3, h, 3, 0), (w * 3 + 1) * 3);
        assertThatThrownBy(() -> PngDecoder.decode(write(png(w, h, 8, 2, 0, fewRows, 1 << 16)), w, h))
                .isInstanceOf(IOException.class).hasMessageContaining("ends in row 3 of 8");

        assertThatThrownBy(() -> PngDecoder.decode(write(good), w + 1, h))
                .isInstanceOf(IOException.class).hasMessageContaining("16 x 8, not 17 x 8");

        assertThatThrownBy(() -> PngDecoder.decode(write("GIF89a not a png".getBytes(StandardCharsets.US_ASCII)), w, h))
                .isInstanceOf(IOException.class).hasMessageContaining("not a PNG");
    }

    @Test
    void dataThatInflatesFarBeyondTheRowsIsNeverHeld() throws IOException {
        // 4 x 4 grey pixels, then 256 MiB of zeros in the same stream: only the 20 bytes of the rows
        // are inflated.
        int w = 4, h = 4;
        byte[] rows = filtered(samples(w, h, 1, 0), w, h, 1, 0);
        Deflater deflater = new Deflater(9);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        deflater.setInput(rows);
        drain(deflater, buf, z);
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 256; i++) {
            deflater.setInput(zeros);
            drain(deflater, buf, z);
        }
        deflater.finish();
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        Path file = write(pngOfStream(w, h, 0, z.toByteArray()));
        long before = System.nanoTime();
        BufferedImage image = PngDecoder.decode(file, w, h);
        assertThat((System.nanoTime() - before) / 1e9).as("seconds").isLessThan(5);
        assertThat(image.getRaster().getDataBuffer().getSize()).isEqualTo(16);
    }

    private static void drain(Deflater deflater, byte[] buf, ByteArrayOutputStream out) {
        while (!deflater.needsInput()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
    }

    /** Pixels with edges, gradients and noise, so that every filter has something to do. */
    private static byte[] samples(int w, int h, int channels, long seed) {
        Random r = new Random(seed + 17);
        byte[] s = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    int v = (x * 7 + y * 11 + c * 50) % 256;
                    if ((x + y) % 9 == 0) {
                        v = r.nextInt(256);
                    }
                    s[(y * w + x) * channels + c] = (byte) v;
                }
            }
        }
        return s;
    }

    /** The rows with their filter bytes: filter {@code only}, or types 0..4 in turn when -1. */
    private static byte[] filtered(byte[] raw, int rowBytes, int h, int bpp, int only) {
        byte[] out = new byte[(rowBytes + 1) * h];
        for (int y = 0; y < h; y++) {
            int type = only >= 0 ? only : y % 5;
            out[y * (rowBytes + 1)] = (byte) type;
            for (int i = 0; i < rowBytes; i++) {
                int x = raw[y * rowBytes + i] & 0xff;
                int a = i >= bpp ? raw[y * rowBytes + i - bpp] & 0xff : 0;
                int b = y > 0 ? raw[(y - 1) * rowBytes + i] & 0xff : 0;
                int c = i >= bpp && y > 0 ? raw[(y - 1) * rowBytes + i - bpp] & 0xff : 0;
                int predicted = switch (type) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    case 4 -> {
                        int pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
                        yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                    default -> 0;
                };
                out[y * (rowBytes + 1) + 1 + i] = (byte) (x - predicted);
            }
        }
        return out;
    }

    private static byte[] png(int w, int h, int depth, int colourType, int interlace, byte[] rows, int chunkSize)
            throws IOException {
        Deflater deflater = new Deflater();
        deflater.setInput(rows);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        return pngOfStream(w, h, depth, colourType, interlace, z.toByteArray(), chunkSize);
    }

    private static byte[] pngOfStream(int w, int h, int colourType, byte[] zlib) throws IOException {
        return pngOfStream(w, h, 8, colourType, 0, zlib, 1 << 20);
    }

    private static byte[] pngOfStream(int w, int h, int depth, int colourType, int interlace, byte[] zlib, int chunkSize)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {(byte) depth, (byte) colourType, 0, 0, (byte) interlace});
        chunk(out, "IHDR", ihdr.toByteArray());
        if (colourType == 3) {
            byte[] palette = new byte[256 * 3];
            for (int i = 0; i < palette.length; i++) {
                palette[i] = (byte) i;
            }
            chunk(out, "PLTE", palette);
        }
        for (int at = 0; at < zlib.length; at += chunkSize) {
            chunk(out, "IDAT", Arrays.copyOfRange(zlib, at, Math.min(zlib.length, at + chunkSize)));
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** The PNG with one more chunk right after IHDR (8-byte signature + 25-byte IHDR chunk). */
    private static byte[] withChunkBeforeData(byte[] png, String type, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        chunk(out, type, data);
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "test", ".png");
        Files.write(file, bytes);
        return file;
    }
}
