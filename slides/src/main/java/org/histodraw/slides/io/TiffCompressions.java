package org.histodraw.slides.io;

import java.util.Map;

/** Names of TIFF compression codes, for messages that say exactly what a file uses. */
final class TiffCompressions {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "none"), Map.entry(2, "CCITT RLE"), Map.entry(3, "CCITT Group 3"), Map.entry(4, "CCITT Group 4"),
            Map.entry(5, "LZW"), Map.entry(6, "old-style JPEG"), Map.entry(7, "JPEG"), Map.entry(8, "Deflate"),
            Map.entry(32773, "PackBits"), Map.entry(32946, "Deflate"), Map.entry(33003, "JPEG 2000, Aperio YCbCr"),
            Map.entry(33004, "JPEG 2000"), Map.entry(33005, "JPEG 2000, Aperio RGB"), Map.entry(34712, "JPEG 2000"),
            Map.entry(34887, "LERC"), Map.entry(34925, "LZMA"), Map.entry(50000, "ZSTD"), Map.entry(50001, "WebP"),
            Map.entry(50002, "JPEG XL"), Map.entry(52546, "JPEG XL"));

    private TiffCompressions() {
    }

    /** "34712 (JPEG 2000)", or "52479 (unknown)". */
    static String describe(long code) {
        return code + " (" + NAMES.getOrDefault((int) code, "unknown") + ")";
    }

    static boolean isJpeg2000(long code) {
        return code == 33003 || code == 33004 || code == 33005 || code == 34712;
    }
}
