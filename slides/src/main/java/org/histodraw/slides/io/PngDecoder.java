package org.histodraw.slides.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNG files most images are, 8-bit grey, grey and alpha, RGB or RGBA, not interlaced,
 * straight into the bytes of a {@link BufferedImage} shaped as javax.imageio's PNG reader shapes
 * it, so everything after decoding is unchanged: the same pixels, bit for bit (tested against
 * ImageIO on every filter type). Why: ImageIO took 1.8 s of a cold 4096 x 4096 {@code segment} for
 * this 46 MB PNG, most of it around the inflating that the JDK's zlib does in a fraction of that.
 * Other PNGs (palette, 16-bit, 1-4 bits, interlaced, a transparent colour in tRNS) are left to
 * ImageIO ({@link #decode} returns null).
 *
 * <p>Hostile files: chunk lengths are checked against the file, only the bytes the rows need are
 * ever inflated (a stream that inflates to more is cut off there, not held), and a stream that ends
 * early, a filter type out of 0-4 or a header that disagrees with the caller's fails with the reason.
 */
final class PngDecoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int GREY = 0;
    private static final int RGB = 2;
    private static final int GREY_ALPHA = 4;
    private static final int RGBA = 6;

    private PngDecoder() {
    }

    /**
     * What the chunks of a PNG say, read without decoding it (chunk headers only, to IEND, as
     * ImageIO's metadata reading goes).
     *
     * @param decodable        {@link #decode} reads its pixels (8-bit grey or colour, not interlaced,
     *                         no palette, no transparent colour)
     * @param micronsPerPixel  from pHYs, as ImageIO's metadata gives it ({@link PixelSizes})
     * @param describedInText  a text chunk named ImageDescription, which may state a pixel size
     *                         (Aperio's "MPP ="): ImageIO's metadata reading is the one to read it
     */
    record Facts(int width, int height, boolean decodable, Optional<Double> micronsPerPixel, boolean describedInText) {
    }

    /** Whether these first bytes of a file are PNG's signature. */
    static boolean isPng(byte[] head) {
        if (head.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (head[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** @throws IOException not a PNG, or a chunk list that runs past the end of the file */
    static Facts facts(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            Chunks chunks = new Chunks(in);
            Header header = Header.read(chunks);
            boolean decodable = header.decodable();
            Optional<Double> microns = Optional.empty();
            boolean described = false;
            while (chunks.next() && !chunks.type.equals("IEND")) {
                switch (chunks.type) {
                    case "PLTE", "tRNS" -> decodable = false;
                    case "pHYs" -> {
                        if (chunks.length == 9) {
                            ByteBuffer phys = chunks.data();
                            int perUnitX = phys.getInt();
                            phys.getInt();
                            microns = phys.get() == 1 ? PixelSizes.fromPixelsPerMetre(perUnitX) : Optional.empty();
                        }
                    }
                    case "tEXt", "zTXt", "iTXt" -> described |= chunks.keyword().equals("ImageDescription");
                    default -> {
                        // pixels and other ancillary chunks: nothing ImageIO's metadata would add
                    }
                }
            }
            return new Facts(header.width, header.height, decodable, microns, described);
        }
    }

    /**
     * The image of an 8-bit, non-interlaced PNG without a palette, or null for any other PNG.
     *
     * @param width  the width ImageIO's reader found, which the header must state
     * @param height likewise
     * @throws IOException a damaged file, with what is wrong
     */
    static BufferedImage decode(Path file, int width, int height) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            Chunks chunks = new Chunks(in);
            Header header = Header.read(chunks);
            if (header.width != width || header.height != height) {
                throw new IOException("PNG header says " + header.width + " x " + header.height + ", not " + width + " x "
                        + height);
            }
            int channels = header.channels();
            long rowBytes = (long) width * channels;
            if (!header.decodable() || rowBytes * height > Integer.MAX_VALUE - 8) {
                return null;
            }
            byte[] pixels = new byte[(int) rowBytes * height];
            Rows rows = new Rows(pixels, (int) rowBytes, height, channels);
            Inflater inflater = new Inflater();
            try {
                while (!rows.done() && chunks.next()) {
                    switch (chunks.type) {
                        case "tRNS", "PLTE" -> {
                            return null; // a transparent colour or a palette: ImageIO's
                        }
                        case "IDAT" -> {
                            ByteBuffer data = chunks.data();
                            inflater.setInput(data);
                            rows.inflate(inflater);
                        }
                        case "IEND" -> throw new EOFException("the PNG's image data ends after " + rows.row + " of "
                                + height + " rows");
                        default -> {
                            // ancillary chunks (gAMA, pHYs, text...) say nothing about the pixels ImageIO gives
                        }
                    }
                }
            } finally {
                inflater.end();
            }
            if (!rows.done()) {
                throw new EOFException("the PNG ends after " + rows.row + " of " + height + " rows");
            }
            return image(pixels, width, height, channels);
        }
    }

    /** The IHDR chunk, the first after the signature. */
    private record Header(int width, int height, int depth, int colourType, int compression, int filtering,
                          int interlace) {
        static Header read(Chunks chunks) throws IOException {
            chunks.signature();
            if (!chunks.next() || !chunks.type.equals("IHDR") || chunks.length != 13) {
                throw new IOException("a PNG starts with its 13-byte IHDR chunk");
            }
            ByteBuffer b = chunks.data();
            return new Header(b.getInt(), b.getInt(), b.get() & 0xff, b.get() & 0xff, b.get(), b.get(), b.get());
        }

        /** Samples per pixel of the colour types we decode; 0 for palette or invalid (ImageIO's). */
        int channels() {
            return switch (colourType) {
                case GREY -> 1;
                case GREY_ALPHA -> 2;
                case RGB -> 3;
                case RGBA -> 4;
                default -> 0;
            };
        }

        /** 8-bit grey or colour, not interlaced: what {@link #decode} reads (unless PLTE or tRNS say otherwise). */
        boolean decodable() {
            return channels() > 0 && depth == 8 && compression == 0 && filtering == 0 && interlace == 0;
        }
    }

    private static BufferedImage image(byte[] pixels, int width, int height, int channels) {
        int[] offsets = new int[channels];
        for (int c = 0; c < channels; c++) {
            offsets[c] = c;
        }
        WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(new DataBufferByte(pixels, pixels.length),
                width, height, width * channels, channels, offsets, null);
        boolean alpha = channels == 2 || channels == 4;
        ColorSpace space = ColorSpace.getInstance(channels <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ColorModel model = new ComponentColorModel(space, alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                DataBuffer.TYPE_BYTE);
        return new BufferedImage(model, raster, false, null);
    }

    /** The file's chunks one after the other, each length checked against what is left of the file. */
    private static final class Chunks {
        private final FileChannel in;
        private final long size;
        private long position;
        String type;
        int length;

        Chunks(FileChannel in) throws IOException {
            this.in = in;
            this.size = in.size();
        }

        void signature() throws IOException {
            ByteBuffer b = read(0, SIGNATURE.length);
            for (byte s : SIGNATURE) {
                if (b.get() != s) {
                    throw new IOException("not a PNG file (no PNG signature)");
                }
            }
            position = SIGNATURE.length;
        }

        /** Moves to the next chunk; false at the end of the file. */
        boolean next() throws IOException {
            if (type != null) {
                position += 12L + length; // length, type, data, CRC
            }
            if (position + 8 > size) {
                return false;
            }
            ByteBuffer b = read(position, 8);
            long n = b.getInt() & 0xffffffffL;
            byte[] name = new byte[4];
            b.get(name);
            if (n > Integer.MAX_VALUE || position + 12 + n > size) {
                throw new EOFException("PNG chunk " + new String(name, StandardCharsets.ISO_8859_1) + " of " + n
                        + " bytes runs past the end of the file");
            }
            type = new String(name, StandardCharsets.ISO_8859_1);
            length = (int) n;
            return true;
        }

        ByteBuffer data() throws IOException {
            return read(position + 8, length);
        }

        /** A text chunk's keyword: Latin-1, up to its first zero byte (at most 79 characters). */
        String keyword() throws IOException {
            ByteBuffer b = read(position + 8, Math.min(length, 80));
            int n = 0;
            while (n < b.limit() && b.get(n) != 0) {
                n++;
            }
            return new String(b.array(), 0, n, StandardCharsets.ISO_8859_1);
        }

        /**
         * Small reads (chunk headers, keywords, pHYs) come from a window of the file read ahead, so
         * a file of a million empty chunks costs a read per {@value #WINDOW} bytes, not per chunk.
         */
        private ByteBuffer read(long at, int bytes) throws IOException {
            if (bytes <= SMALL_READ) {
                if (at < windowStart || at + bytes > windowStart + window.limit()) {
                    window.clear();
                    window.limit((int) Math.max(0, Math.min(WINDOW, size - at)));
                    fill(window, at);
                    windowStart = at;
                    if (bytes > window.limit()) {
                        throw new EOFException("the PNG file ends inside a chunk");
                    }
                }
                ByteBuffer b = ByteBuffer.allocate(bytes);
                b.put(window.array(), (int) (at - windowStart), bytes);
                return b.flip();
            }
            ByteBuffer b = ByteBuffer.allocate(bytes);
            fill(b, at);
            return b;
        }

        /** Reads {@code b} full from file offset {@code at}, and flips it for reading. */

        private void fill(ByteBuffer b, long at) throws IOException {
            while (b.hasRemaining()) {
                if (in.read(b, at + b.position()) < 0) {
                    throw new EOFException("the PNG file ends inside a chunk");
                }
            }
            b.flip();
        }

        private static final int WINDOW = 1 << 16;
        private static final int SMALL_READ = 256;
        private final ByteBuffer window = ByteBuffer.allocate(WINDOW).limit(0);
        private long windowStart;
    }

    /** The image's rows, inflated filter byte by filter byte and unfiltered in place. */
    private static final class Rows {
        private final byte[] pixels;
        private final int rowBytes;
        private final int height;
        private final int bpp;
        private final byte[] filter = new byte[1];
        int row;
        /** Bytes of the current row inflated so far; -1 while its filter byte is awaited. */
        private int filled = -1;

        Rows(byte[] pixels, int rowBytes, int height, int bytesPerPixel) {
            this.pixels = pixels;
            this.rowBytes = rowBytes;
            this.height = height;
            this.bpp = bytesPerPixel;
        }

        boolean done() {
            return row == height;
        }

        void inflate(Inflater inflater) throws IOException {
            try {
                while (!done()) {
                    if (filled < 0) {
                        if (inflater.inflate(filter, 0, 1) == 0) {
                            stalled(inflater);
                            return; // needs the next chunk
                        }
                        filled = 0;
                    }
                    int start = row * rowBytes;
                    int n = inflater.inflate(pixels, start + filled, rowBytes - filled);
                    filled += n;
                    if (filled < rowBytes) {
                        if (n == 0) {
                            stalled(inflater);
                            return;
                        }
                        continue;
                    }
                    unfilter(filter[0] & 0xff, start);
                    row++;
                    filled = -1;
                }
            } catch (DataFormatException e) {
                throw new IOException("the PNG's compressed data is damaged in row " + row + ": " + e.getMessage(), e);
            }
        }

        /** Inflating gave nothing: fine when it wants the next chunk, a damaged stream otherwise. */
        private void stalled(Inflater inflater) throws IOException {
            if (inflater.finished()) {
                throw new EOFException("the PNG's compressed data ends in row " + row + " of " + height);
            }
            if (!inflater.needsInput()) {
                throw new IOException("the PNG's compressed data cannot be inflated (it asks for a preset dictionary)");
            }
        }

        private void unfilter(int type, int start) throws IOException {
            byte[] p = pixels;
            int prior = start - rowBytes; // the row above; none for the first row
            boolean first = row == 0;
            switch (type) {
                case 0 -> {
                }
                case 1 -> {
                    for (int i = bpp; i < rowBytes; i++) {
                        p[start + i] += p[start + i - bpp];
                    }
                }
                case 2 -> {
                    if (!first) {
                        for (int i = 0; i < rowBytes; i++) {
                            p[start + i] += p[prior + i];
                        }
                    }
                }
                case 3 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int left = i >= bpp ? p[start + i - bpp] & 0xff : 0;
                        int up = first ? 0 : p[prior + i] & 0xff;
                        p[start + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int a = i >= bpp ? p[start + i - bpp] & 0xff : 0;
                        int b = first ? 0 : p[prior + i] & 0xff;
                        int c = i >= bpp && !first ? p[prior + i - bpp] & 0xff : 0;
                        p[start + i] += (byte) paeth(a, b, c);
                    }
                }
                default -> throw new IOException("PNG row " + row + " has filter type " + type + " (PNG knows 0 to 4)");
            }
        }

        private static int paeth(int a, int b, int c) {
            int pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
