package org.histodraw.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/**
 * Writes a big tiled RGB TIFF (uncompressed, classic) one tile at a time, so a test can make an
 * image of any size without holding it: pixel (x, y) is {@code pixel.applyAsInt(x, y)} as 0xRRGGBB.
 */
final class StreamedTiff {
    private StreamedTiff() {
    }

    static void write(Path file, int width, int height, int tile, IntBinaryOperator pixel) throws IOException {
        int across = (width + tile - 1) / tile;
        int down = (height + tile - 1) / tile;
        int tiles = across * down;
        long tileBytes = (long) tile * tile * 3;
        int entries = 11;
        long ifd = 8;
        long bits = ifd + 2 + entries * 12L + 4;
        long offsets = bits + 6;
        long counts = offsets + 4L * tiles;
        long data = counts + 4L * tiles;
        if (data + tileBytes * tiles > 0xffff_ffffL) {
            throw new IllegalArgumentException("too big for a classic TIFF: " + width + " x " + height);
        }
        ByteBuffer head = ByteBuffer.allocate((int) data);
        head.put(new byte[] {'M', 'M'}).putShort((short) 42).putInt((int) ifd);
        head.putShort((short) entries);
        entry(head, 256, 4, 1, width);
        entry(head, 257, 4, 1, height);
        entry(head, 258, 3, 3, bits);
        entry(head, 259, 3, 1, 1);
        entry(head, 262, 3, 1, 2);
        entry(head, 277, 3, 1, 3);
        entry(head, 284, 3, 1, 1);
        entry(head, 322, 4, 1, tile);
        entry(head, 323, 4, 1, tile);
        entry(head, 324, 4, tiles, offsets);
        entry(head, 325, 4, tiles, counts);
        head.putInt(0);
        head.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        for (int i = 0; i < tiles; i++) {
            head.putInt((int) (data + i * tileBytes));
        }
        for (int i = 0; i < tiles; i++) {
            head.putInt((int) tileBytes);
        }
        byte[] block = new byte[(int) tileBytes];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(head.array());
            for (int ty = 0; ty < down; ty++) {
                for (int tx = 0; tx < across; tx++) {
                    int i = 0;
                    for (int y = ty * tile; y < (ty + 1) * tile; y++) {
                        for (int x = tx * tile; x < (tx + 1) * tile; x++) {
                            int p = x < width && y < height ? pixel.applyAsInt(x, y) : 0;
                            block[i++] = (byte) (p >> 16);
                            block[i++] = (byte) (p >> 8);
                            block[i++] = (byte) p;
                        }
                    }
                    out.write(block);
                }
            }
        }
    }

    private static void entry(ByteBuffer buf, int tag, int type, long count, long value) {
        buf.putShort((short) tag).putShort((short) type).putInt((int) count);
        if (type == 3 && count == 1) {
            buf.putShort((short) value).putShort((short) 0);
        } else {
            buf.putInt((int) value);
        }
    }
}
