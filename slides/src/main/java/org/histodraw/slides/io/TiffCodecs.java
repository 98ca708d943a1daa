package org.histodraw.slides.io;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Decompression of TIFF tiles into interleaved 8-bit samples. */
final class TiffCodecs {
    static final int NONE = 1;
    static final int LZW = 5;
    static final int JPEG = 7;
    static final int DEFLATE = 8;
    static final int ADOBE_DEFLATE = 32946;
    static final int PACKBITS = 32773;

    /** JPEG readers are not thread-safe: each decode borrows one. */
    private static final ConcurrentLinkedQueue<ImageReader> JPEG_READERS = new ConcurrentLinkedQueue<>();

    private TiffCodecs() {
    }

    static boolean supports(int compression) {
        return compression == NONE || compression == LZW || compression == JPEG || compression == DEFLATE
                || compression == ADOBE_DEFLATE || compression == PACKBITS;
    }

    /** Decodes a non-JPEG tile into exactly {@code out.length} bytes (short data is padded with zeros). */
    static void decode(int compression, byte[] in, byte[] out) throws IOException {
        switch (compression) {
            case NONE -> System.arraycopy(in, 0, out, 0, Math.min(in.length, out.length));
            case DEFLATE, ADOBE_DEFLATE -> inflate(in, out);
            case LZW -> lzw(in, out);
            case PACKBITS -> packBits(in, out);
            default -> throw new IOException("unsupported TIFF compression " + compression);
        }
    }

    /** Undoes TIFF predictor 2 (horizontal differencing) on 8-bit samples. */
    static void undoHorizontalDifferencing(byte[] data, int width, int rows, int samples) {
        int rowBytes = width * samples;
        for (int y = 0; y < rows; y++) {
            int base = y * rowBytes;
            for (int i = samples; i < rowBytes; i++) {
                data[base + i] += data[base + i - samples];
            }
        }
    }

    private static void inflate(byte[] in, byte[] out) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in);
            int done = 0;
            while (done < out.length && !inflater.finished()) {
                int n = inflater.inflate(out, done, out.length - done);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break; // truncated tile: the rest stays zero
                }
                done += n;
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt Deflate tile: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void packBits(byte[] in, byte[] out) {
        int i = 0;
        int o = 0;
        while (i < in.length && o < out.length) {
            int n = in[i++];
            if (n >= 0) {
                int len = Math.min(n + 1, Math.min(out.length - o, in.length - i));
                System.arraycopy(in, i, out, o, len);
                i += n + 1;
                o += len;
            } else if (n != -128 && i < in.length) {
                byte b = in[i++];
                int len = Math.min(1 - n, out.length - o);
                java.util.Arrays.fill(out, o, o + len, b);
                o += len;
            }
        }
    }

    /** TIFF LZW: MSB-first codes of 9 to 12 bits, switching width one code early as TIFF 6.0 says. */
    private static void lzw(byte[] in, byte[] out) throws IOException {
        final int clear = 256;
        final int end = 257;
        byte[][] table = new byte[4096][];
        for (int i = 0; i < 256; i++) {
            table[i] = new byte[] {(byte) i};
        }
        int next = 258;
        int width = 9;
        long bits = 0;
        int bitCount = 0;
        int pos = 0;
        int o = 0;
        byte[] previous = null;
        while (o < out.length) {
            while (bitCount < width && pos < in.length) {
                bits = (bits << 8) | (in[pos++] & 0xff);
                bitCount += 8;
            }
            if (bitCount < width) {
                break;
            }
            int code = (int) ((bits >>> (bitCount - width)) & ((1 << width) - 1));
            bitCount -= width;
            if (code == end) {
                break;
            }
            if (code == clear) {
                next = 258;
                width = 9;
                previous = null;
                continue;
            }
            byte[] entry;
            if (code < next && table[code] != null) {
                entry = table[code];
                if (previous != null && next < 4096) {
                    table[next++] = concat(previous, entry[0]);
                }
            } else if (code == next && previous != null) {
                entry = concat(previous, previous[0]);
                if (next < 4096) {
                    table[next++] = entry;
                }
            } else {
                throw new IOException("corrupt LZW tile: code " + code + " with table size " + next);
            }
            int len = Math.min(entry.length, out.length - o);
            System.arraycopy(entry, 0, out, o, len);
            o += len;
            previous = entry;
            if (next + 1 >= (1 << width) && width < 12) {
                width++;
            }
        }
    }

    private static byte[] concat(byte[] a, byte b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + 1);
        c[a.length] = b;
        return c;
    }

    /**
     * Decodes a JPEG tile to its raw components (no colour conversion: the caller knows from the
     * TIFF whether they are YCbCr or RGB). {@code tables} is the TIFF's JPEGTables stream or null.
     */
    static Raster decodeJpeg(byte[] tables, byte[] tile) throws IOException {
        byte[] stream = tile;
        if (tables != null && tables.length > 4 && tile.length > 2) {
            // tables = SOI ... EOI, tile = SOI ... EOI: splice as SOI tables... frame... EOI
            stream = new byte[tables.length - 2 + tile.length - 2];
            System.arraycopy(tables, 0, stream, 0, tables.length - 2);
            System.arraycopy(tile, 2, stream, tables.length - 2, tile.length - 2);
        }
        ImageReader reader = JPEG_READERS.poll();
        if (reader == null) {
            reader = jdkJpegReader();
        }
        // In memory: ImageIO.createImageInputStream would spool these bytes, already in memory, into a
        // temporary file per tile (ImageIO's disk cache is on by default).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(stream))) {
            reader.setInput(in, true, true);
            return reader.readRaster(0, null);
        } finally {
            reader.setInput(null);
            JPEG_READERS.offer(reader);
        }
    }

    private static ImageReader jdkJpegReader() throws IOException {
        ImageReader fallback = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.")) {
                return r;
            }
            if (fallback == null && r.canReadRaster()) {
                fallback = r;
            }
        }
        if (fallback == null) {
            throw new IOException("no JPEG reader that can read raw rasters");
        }
        return fallback;
    }
}
