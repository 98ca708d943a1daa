package org.histodraw.slides.io;

import java.io.ByteArrayOutputStream;
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
     * Checks a tile read right after {@code prefixLength} bytes of prefix (its SOI dropped): true when
     * it can go as it is, false when it carries its own APP0/APP14 marker (then {@link #standalone}
     * decides). {@code stream} holds prefix + tile without the tile's SOI.
     */
    static boolean plainTile(byte[] stream, int prefixLength) {
        byte[] probe = new byte[Math.min(stream.length - prefixLength, 4096) + 2];
        probe[0] = (byte) 0xFF;
        probe[1] = (byte) 0xD8;
        System.arraycopy(stream, prefixLength, probe, 2, probe.length - 2);
        return !hasMarker(probe, 0xE0) && !hasMarker(probe, 0xEE);
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
    private static boolean hasMarker(byte[] b, int code) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return false;
            }
            int marker = b[i + 1] & 0xff;
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
            int length = (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            i += 2 + length;
        }
        return false;
    }
}
