package org.histodraw.engine.forest;

/**
 * CRC-32 with the IEEE 802.3 polynomial (the checksum of zip, gzip and PNG), written here because
 * java.util.zip is not available in the browser build.
 */
final class Crc32 {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {
    }

    static int of(byte[] bytes, int offset, int length) {
        int c = ~0;
        for (int i = offset; i < offset + length; i++) {
            c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }
}
