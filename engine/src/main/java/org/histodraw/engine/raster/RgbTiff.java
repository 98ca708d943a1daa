package org.histodraw.engine.raster;

/**
 * Uncompressed 8-bit RGB TIFF: how the server hands pixels to a program that analyses them (IIIF
 * {@code default.tif}). Lossless like PNG, but writing and reading are copies: PNG cost the server
 * tens of milliseconds to encode a 512 x 512 block and the client as much to decode it, more than
 * the features and the forest on that block. Its bytes are a third more than PNG's of H&amp;E.
 *
 * <p>{@link #read} takes this writer's files and any baseline TIFF of the same kind (either byte
 * order, any number of strips), and refuses every other kind, and every offset, count or size that
 * does not fit the bytes, with the reason. Only the first directory is read, so a loop of
 * directories cannot hold it.
 */
public final class RgbTiff {
    public static final String MEDIA_TYPE = "image/tiff";

    private static final int HEADER = 8;
    private static final int ENTRIES = 10;
    private static final int BITS_AT = HEADER + 2 + ENTRIES * 12 + 4;
    private static final int PIXELS_AT = BITS_AT + 6;

    private static final int WIDTH = 256, HEIGHT = 257, BITS_PER_SAMPLE = 258, COMPRESSION = 259,
            PHOTOMETRIC = 262, STRIP_OFFSETS = 273, SAMPLES_PER_PIXEL = 277, ROWS_PER_STRIP = 278,
            STRIP_BYTE_COUNTS = 279, PLANAR_CONFIGURATION = 284;
    private static final int SHORT = 3, LONG = 4;

    private RgbTiff() {
    }

    /** {@code rgb}'s pixels (0xRRGGBB; the top byte is ignored) as one strip, little-endian. */
    public static byte[] write(int[] rgb, int width, int height) {
        if (width < 1 || height < 1 || rgb.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + width + " x " + height + " pixels, got " + rgb.length);
        }
        long pixelBytes = 3L * rgb.length;
        if (PIXELS_AT + pixelBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(width + " x " + height + " px is too large for one TIFF in memory");
        }
        byte[] out = new byte[(int) (PIXELS_AT + pixelBytes)];
        out[0] = 'I';
        out[1] = 'I';
        put16(out, 2, 42);
        put32(out, 4, HEADER);
        int at = HEADER;
        put16(out, at, ENTRIES);
        at += 2;
        at = entry(out, at, WIDTH, LONG, 1, width);
        at = entry(out, at, HEIGHT, LONG, 1, height);
        at = entry(out, at, BITS_PER_SAMPLE, SHORT, 3, BITS_AT);
        at = entry(out, at, COMPRESSION, SHORT, 1, 1);
        at = entry(out, at, PHOTOMETRIC, SHORT, 1, 2);
        at = entry(out, at, STRIP_OFFSETS, LONG, 1, PIXELS_AT);
        at = entry(out, at, SAMPLES_PER_PIXEL, SHORT, 1, 3);
        at = entry(out, at, ROWS_PER_STRIP, LONG, 1, height);
        at = entry(out, at, STRIP_BYTE_COUNTS, LONG, 1, (int) pixelBytes);
        at = entry(out, at, PLANAR_CONFIGURATION, SHORT, 1, 1);
        put32(out, at, 0); // no next directory
        for (int i = 0; i < 3; i++) {
            put16(out, BITS_AT + 2 * i, 8);
        }
        for (int i = 0, o = PIXELS_AT; i < rgb.length; i++, o += 3) {
            int p = rgb[i];
            out[o] = (byte) (p >> 16);
            out[o + 1] = (byte) (p >> 8);
            out[o + 2] = (byte) p;
        }
        return out;
    }

    /**
     * The pixels of an uncompressed 8-bit RGB TIFF that must be {@code width x height}, as opaque
     * 0xFFRRGGBB.
     *
     * @throws IllegalArgumentException naming what is not such a TIFF, or does not fit its bytes
     */
    public static int[] read(byte[] tiff, int width, int height) {
        Directory d = new Directory(tiff);
        int w = d.single(WIDTH, -1), h = d.single(HEIGHT, -1);
        require(w >= 0 && h >= 0, "no image width or length");
        if (w != width || h != height) {
            throw new IllegalArgumentException("the TIFF is " + w + " x " + h + " px, expected " + width + " x " + height);
        }
        int compression = d.single(COMPRESSION, 1), photometric = d.single(PHOTOMETRIC, -1),
                samples = d.single(SAMPLES_PER_PIXEL, 1);
        require(compression == 1, "compressed (compression " + compression + "); only uncompressed is read");
        require(photometric == 2, "not RGB (photometric interpretation " + photometric + ")");
        require(samples == 3, samples + " samples per pixel, not 3");
        require(d.single(PLANAR_CONFIGURATION, 1) == 1, "planes stored separately (planar configuration 2)");
        for (long b : d.values(BITS_PER_SAMPLE)) {
            require(b == 8, b + " bits per sample, not 8");
        }
        long rowsPerStrip = Math.min(d.single(ROWS_PER_STRIP, height), height);
        require(rowsPerStrip >= 1, "0 rows per strip");
        long[] offsets = d.values(STRIP_OFFSETS), counts = d.values(STRIP_BYTE_COUNTS);
        long strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        require(offsets.length == strips && counts.length == strips, strips + " strips of " + rowsPerStrip
                + " rows expected, the file lists " + offsets.length + " offsets and " + counts.length + " byte counts");
        int[] out = new int[width * height];
        int rowBytes = 3 * width;
        for (int s = 0; s < strips; s++) {
            int firstRow = (int) (s * rowsPerStrip);
            int rows = (int) Math.min(rowsPerStrip, height - firstRow);
            long needed = (long) rows * rowBytes;
            require(counts[s] >= needed, "strip " + s + " holds " + counts[s] + " bytes, its " + rows + " rows need " + needed);
            require(offsets[s] >= 0 && offsets[s] + needed <= tiff.length,
                    "strip " + s + " lies past the end of the file (" + tiff.length + " bytes)");
            int o = (int) offsets[s];
            for (int i = firstRow * width, end = i + rows * width; i < end; i++, o += 3) {
                out[i] = 0xFF000000 | (tiff[o] & 0xFF) << 16 | (tiff[o + 1] & 0xFF) << 8 | tiff[o + 2] & 0xFF;
            }
        }
        return out;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("not an uncompressed 8-bit RGB TIFF: " + problem);
        }
    }

    private static int entry(byte[] out, int at, int tag, int type, int count, int value) {
        put16(out, at, tag);
        put16(out, at + 2, type);
        put32(out, at + 4, count);
        if (type == SHORT && count == 1) {
            put16(out, at + 8, value);
        } else {
            put32(out, at + 8, value);
        }
        return at + 12;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static void put32(byte[] b, int at, int v) {
        put16(b, at, v);
        put16(b, at + 2, v >> 16);
    }

    /** The first image file directory, its entries' values bounds-checked against the bytes. */
    private static final class Directory {
        private final byte[] b;
        private final boolean big;
        private final int first, count;

        Directory(byte[] tiff) {
            b = tiff;
            require(tiff.length >= HEADER, "only " + tiff.length + " bytes");
            require((tiff[0] == 'I' && tiff[1] == 'I') || (tiff[0] == 'M' && tiff[1] == 'M'), "no TIFF byte order mark");
            big = tiff[0] == 'M';
            int magic = u16(2);
            require(magic != 43, "a BigTIFF");
            require(magic == 42, "no TIFF magic number (" + magic + ")");
            long ifd = u32(4);
            require(ifd >= HEADER && ifd + 2 <= tiff.length, "its directory offset " + ifd + " lies outside the file");
            first = (int) ifd + 2;
            count = u16((int) ifd);
            require(first + 12L * count <= tiff.length, "its directory of " + count + " entries runs past the end of the file");
        }

        /** A tag's values (SHORT or LONG), empty when the tag is absent. */
        long[] values(int tag) {
            for (int i = 0; i < count; i++) {
                int e = first + 12 * i;
                if (u16(e) != tag) {
                    continue;
                }
                int type = u16(e + 2);
                long n = u32(e + 4);
                require(type == SHORT || type == LONG, "tag " + tag + " has type " + type + ", not SHORT or LONG");
                int size = type == SHORT ? 2 : 4;
                long at = n * size <= 4 ? e + 8 : u32(e + 8);
                require(n <= Integer.MAX_VALUE / 4 && at + n * size <= b.length,
                        "tag " + tag + "'s " + n + " values lie past the end of the file");
                long[] v = new long[(int) n];
                for (int k = 0; k < n; k++) {
                    int p = (int) (at + (long) k * size);
                    v[k] = size == 2 ? u16(p) : u32(p);
                }
                return v;
            }
            return new long[0];
        }

        /** A tag of one value, {@code absent} when the file leaves it out; -1 when it is too large for an int. */
        int single(int tag, int absent) {
            long[] v = values(tag);
            if (v.length == 0) {
                return absent;
            }
            require(v.length == 1, "tag " + tag + " has " + v.length + " values, not 1");
            return v[0] > Integer.MAX_VALUE ? -1 : (int) v[0];
        }

        private int u16(int at) {
            int x = b[at] & 0xFF, y = b[at + 1] & 0xFF;
            return big ? x << 8 | y : y << 8 | x;
        }

        private long u32(int at) {
            long lo = u16(big ? at + 2 : at), hi = u16(big ? at : at + 2);
            return hi << 16 | lo;
        }
    }
}
