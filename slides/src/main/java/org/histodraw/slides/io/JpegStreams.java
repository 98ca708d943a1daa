package org.histodraw.slides.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Turns a TIFF's JPEG tile into a JPEG file that stands alone: the shared JPEGTables (quantisation
 * and Huffman tables) spliced in after SOI, and an Adobe APP14 marker saying how the three components
 * are coded. Without that marker a browser takes three components for YCbCr, which Aperio's RGB-coded
 * tiles are not (they would show in false colours); the marker's transform flag 0 means RGB, 1 YCbCr.
 */
final class JpegStreams {
    private JpegStreams() {
    }

    /**
     * @param tables    the TIFF's JPEGTables stream (SOI ... EOI), or null
     * @param tile      the tile's stream (SOI ... EOI)
     * @param transform 0 (RGB), 1 (YCbCr), or -1 for one component (no marker)
     * @return empty when the tile does not look like a JPEG stream, or already carries a marker that
     *         says otherwise (JFIF implies YCbCr, so an RGB tile with it is not sent as it is)
     */
    static Optional<byte[]> standalone(byte[] tables, byte[] tile, int transform) {
        if (!startsWithSoi(tile) || tables != null && tables.length > 4 && !startsWithSoi(tables)) {
            return Optional.empty();
        }
        boolean jfif = hasMarker(tile, 0xE0);
        boolean adobe = hasMarker(tile, 0xEE);
        if (adobe) {
            return Optional.of(splice(tables, tile, -1)); // the tile says itself how it is coded
        }
        if (transform == 0 && jfif) {
            return Optional.empty();
        }
        return Optional.of(splice(tables, tile, jfif ? -1 : transform));
    }

    /**
     * What goes before a tile's own bytes (after its SOI) in a standalone stream: SOI, the Adobe marker
     * for {@code transform} (none when negative), the tables' body. Computed once per image, so a tile
     * is one read into one array ({@link #fromPrefix}).
     */
    static byte[] prefix(byte[] tables, int transform) {
        byte[] none = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};
        byte[] withSoi = splice(tables, none, transform);
        return java.util.Arrays.copyOf(withSoi, withSoi.length - 2); // drop the placeholder's EOI
    }

    /**
     * Reads a stored JPEG stream of {@code count} bytes at {@code offset} of the file into {@code into}
     * after a {@link #prefix} (its SOI dropped), from {@code into}'s position, which advances by
     * {@code prefix.length - 2 + count}: one positional read straight into the buffer, so a direct buffer
     * gets the bytes with no copy on the heap. False when the stream does not start with SOI or, when
     * {@code plain}, carries a JFIF/Adobe marker of its own (then {@link #standalone} decides).
     */
    static boolean readAfterPrefix(FileChannel channel, long offset, int count, byte[] prefix, ByteBuffer into, boolean plain)
            throws IOException {
        int tileAt = into.position() + prefix.length - 2;
        into.put(prefix, 0, prefix.length - 2);
        // The stream's SOI lands on the prefix's last two bytes, which are put back after the read.
        ByteBuffer tile = into.slice(tileAt, count);
        while (tile.hasRemaining()) {
            if (channel.read(tile, offset + tile.position()) < 0) {
                throw new EOFException("a stored JPEG stream of " + count + " bytes at offset " + offset + " ends early");
            }
        }
        boolean soi = count >= 4 && (into.get(tileAt) & 0xff) == 0xFF && (into.get(tileAt + 1) & 0xff) == 0xD8;
        into.put(tileAt, prefix, prefix.length - 2, 2);
        into.position(tileAt + count);
        return soi && !(plain && hasColourMarker(into, tileAt + 2, tileAt + count));
    }

    /**
     * True when a JFIF (APP0) or Adobe (APP14) marker comes before the first scan among the markers of
     * {@code b} from {@code from} (just after an SOI) to {@code to}: such a tile says itself how it is
     * coded, and {@link #standalone} decides whether it can go as it is.
     */
    static boolean hasColourMarker(ByteBuffer b, int from, int to) {
        return hasMarker(b, from, to, 0xE0) || hasMarker(b, from, to, 0xEE);
    }

    private static byte[] splice(byte[] tables, byte[] tile, int transform) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tile.length + (tables == null ? 0 : tables.length) + 16);
        out.write(0xFF);
        out.write(0xD8);
        if (transform >= 0) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0,
                    (byte) transform});
        }
        if (tables != null && tables.length > 4) {
            int end = tables.length;
            if ((tables[end - 2] & 0xff) == 0xFF && (tables[end - 1] & 0xff) == 0xD9) {
                end -= 2;
            }
            out.write(tables, 2, end - 2);
        }
        out.write(tile, 2, tile.length - 2);
        return out.toByteArray();
    }

    private static boolean startsWithSoi(byte[] b) {
        return b != null && b.length > 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
    }

    /** True when an APPn marker {@code code} appears before the first scan. */
    /** True when the stream (SOI first) has the APPn marker {@code code} (0xE0 JFIF, 0xEE Adobe) before its first scan. */
    static boolean hasApp(byte[] stream, int code) {
        return stream.length > 4 && hasMarker(stream, code);
    }

    /**
     * Whether a three-component stream holds YCbCr: as its Adobe marker says, YCbCr with a JFIF marker,
     * RGB when its components are named 'R', 'G', 'B' (libjpeg's rule), else {@code otherwise} (what the
     * container says, e.g. a DICOM PhotometricInterpretation).
     */
    static boolean codedAsYCbCr(byte[] stream, boolean otherwise) {
        int i = 2;
        while (i + 4 <= stream.length && (stream[i] & 0xff) == 0xFF) {
            int marker = stream[i + 1] & 0xff;
            int length = (stream[i + 2] & 0xff) << 8 | (stream[i + 3] & 0xff);
            if (marker == 0xEE && length >= 12 && i + 16 <= stream.length) {
                return stream[i + 15] != 0; // the Adobe marker's transform flag: 0 RGB, 1 YCbCr
            }
            if (marker == 0xE0) {
                return true;
            }
            if ((marker == 0xC0 || marker == 0xC1) && i + 4 + 6 + 9 <= stream.length && stream[i + 9] == 3) {
                int at = i + 10;
                return !(stream[at] == 'R' && stream[at + 3] == 'G' && stream[at + 6] == 'B') && otherwise;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            i += 2 + length;
        }
        return otherwise;
    }

    private static boolean hasMarker(byte[] b, int code) {
        return hasMarker(ByteBuffer.wrap(b), 2, b.length, code);
    }

    /** True when the APPn marker {@code code} appears before the first scan, markers from {@code i} on. */
    private static boolean hasMarker(ByteBuffer b, int i, int to, int code) {
        while (i + 4 <= to) {
            if ((b.get(i) & 0xff) != 0xFF) {
                return false;
            }
            int marker = b.get(i + 1) & 0xff;
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            if (marker == code) {
                return true;
            }
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = (b.get(i + 2) & 0xff) << 8 | (b.get(i + 3) & 0xff);
            i += 2 + length;
        }
        return false;
    }
}
