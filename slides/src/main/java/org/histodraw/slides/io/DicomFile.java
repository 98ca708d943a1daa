package org.histodraw.slides.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The header of one DICOM Part 10 file (PS3.10): the 128-byte preamble and "DICM", the file meta
 * group (always explicit VR little endian), then the data set in its transfer syntax (explicit or
 * implicit VR little endian), read with positional reads up to the Pixel Data element, whose place is
 * kept. Only the attributes a whole-slide reader needs are kept (PS3.3 A.32.8, VL Whole Slide
 * Microscopy Image), found by their path of tags: {@code "0028,0010"} at the top level,
 * {@code "5200,9229/0028,9110/0028,0030"} inside the first item of nested sequences.
 *
 * <p>Hostile files fail with {@link TiffDirectory.Malformed}-style {@link Malformed}: a length past
 * the end of the file or of the enclosing item, an undefined length where the standard allows none,
 * sequences nested deeper than {@value #MAX_DEPTH}, more than {@value #MAX_ELEMENTS} elements, values
 * of kept attributes over {@value #MAX_VALUE_BYTES} bytes. The file is read forward only, so it cannot loop.
 */
final class DicomFile {
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    static final String WSI_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.77.1.6";
    static final int MAX_DEPTH = 12;
    static final int MAX_ELEMENTS = 10_000_000;
    static final int MAX_VALUE_BYTES = 16 << 20;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    static final int PIXEL_DATA = 0x7FE00010;
    private static final Set<String> LONG_LENGTH_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV");

    /** Attributes kept (tag paths), with how their value is read. */
    private static final Map<String, Kind> KEPT = Map.ofEntries(
            Map.entry("0002,0010", Kind.TEXT), Map.entry("0008,0008", Kind.TEXT), Map.entry("0008,0016", Kind.TEXT),
            Map.entry("0008,0070", Kind.TEXT), Map.entry("0008,1090", Kind.TEXT), Map.entry("0018,1000", Kind.TEXT),
            Map.entry("0020,000E", Kind.TEXT), Map.entry("0020,9161", Kind.TEXT), Map.entry("0020,9311", Kind.TEXT),
            Map.entry("0028,0002", Kind.US), Map.entry("0028,0004", Kind.TEXT), Map.entry("0028,0006", Kind.US),
            Map.entry("0028,0008", Kind.TEXT), Map.entry("0028,0010", Kind.US), Map.entry("0028,0011", Kind.US),
            Map.entry("0028,0100", Kind.US), Map.entry("0048,0001", Kind.FL), Map.entry("0048,0006", Kind.UL),
            Map.entry("0048,0007", Kind.UL), Map.entry("0048,0302", Kind.UL), Map.entry("0048,0303", Kind.UL),
            Map.entry("0048,0105/0048,0112", Kind.TEXT), Map.entry("5200,9229/0028,9110/0028,0030", Kind.TEXT),
            Map.entry("7FE0,0001", Kind.OV), Map.entry("7FE0,0002", Kind.OV));
    /** Sequences looked into (the first item of each); others are skipped. */
    private static final Set<String> OPENED = Set.of("0048,0105", "5200,9229", "5200,9229/0028,9110");

    private enum Kind { TEXT, US, UL, FL, OV }

    private final Map<String, Object> values;
    final String transferSyntax;
    /** Where the Pixel Data value starts, and its length (-1 undefined: encapsulated frames). */
    final long pixelDataOffset;
    final long pixelDataLength;
    final long fileSize;

    private DicomFile(Map<String, Object> values, String transferSyntax, long pixelDataOffset, long pixelDataLength, long fileSize) {
        this.values = values;
        this.transferSyntax = transferSyntax;
        this.pixelDataOffset = pixelDataOffset;
        this.pixelDataLength = pixelDataLength;
        this.fileSize = fileSize;
    }

    /** A structure no reader should follow: lengths past the end, nesting, absurd counts. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    /** True when the file starts with a DICOM Part 10 preamble. */
    static boolean isDicom(byte[] head) {
        return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    }

    /** Reads the header; throws Malformed for hostile structure, IOException when the file is unreadable. */
    static DicomFile read(FileChannel channel) throws IOException {
        Input in = new Input(channel);
        byte[] magic = in.bytes(128, 4);
        if (magic[0] != 'D' || magic[1] != 'I' || magic[2] != 'C' || magic[3] != 'M') {
            throw new Malformed("no DICM marker after the 128-byte preamble");
        }
        Map<String, Object> values = new HashMap<>();
        Walk meta = new Walk(in, true, values);
        long at = 132;
        // The file meta group: explicit VR little endian, elements of group 0002 only.
        while (at + 8 <= in.size && (in.u16(at) == 0x0002)) {
            at = meta.element(at, in.size, "", 0);
        }
        Object ts = values.get("0002,0010");
        if (!(ts instanceof String syntax) || syntax.isEmpty()) {
            throw new Malformed("no transfer syntax in the file meta information");
        }
        if (!syntax.equals(IMPLICIT_LE) && !syntax.equals(EXPLICIT_LE) && !syntax.startsWith("1.2.840.10008.1.2.4.")
                && !syntax.equals("1.2.840.10008.1.2.5")) {
            throw new Unsupported("DICOM transfer syntax " + syntax + " (" + describe(syntax) + ") is not supported");
        }
        Walk data = new Walk(in, !syntax.equals(IMPLICIT_LE), values);
        while (at + 8 <= in.size && data.pixelData < 0) {
            at = data.element(at, in.size, "", 0);
        }
        return new DicomFile(Map.copyOf(values), syntax, data.pixelData, data.pixelLength, in.size);
    }

    /** A file of a kind or encoding this reader refuses, with the reason. */
    static final class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** What a transfer syntax is, for messages. */
    static String describe(String syntax) {
        return switch (syntax) {
            case IMPLICIT_LE -> "implicit VR little endian, uncompressed";
            case EXPLICIT_LE -> "explicit VR little endian, uncompressed";
            case "1.2.840.10008.1.2.2" -> "explicit VR big endian, retired";
            case "1.2.840.10008.1.2.1.99" -> "deflated explicit VR little endian";
            case JPEG_BASELINE -> "JPEG baseline";
            case "1.2.840.10008.1.2.4.51" -> "JPEG extended, 12 bit";
            case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> "lossless JPEG";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "JPEG-LS";
            case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "JPEG 2000";
            case "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" -> "High-Throughput JPEG 2000";
            case "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112" -> "JPEG XL";
            case "1.2.840.10008.1.2.5" -> "RLE lossless";
            default -> "unknown";
        };
    }

    String text(String path) {
        Object v = values.get(path);
        return v instanceof String s ? s : null;
    }

    /** The first number of a US/UL/FL/IS/DS attribute, or NaN. */
    double number(String path) {
        Object v = values.get(path);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s.split("\\\\")[0].strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The n-th value of a multi-valued string attribute ({@code \}-separated), or null. */
    String text(String path, int n) {
        String s = text(path);
        if (s == null) {
            return null;
        }
        String[] parts = s.split("\\\\");
        return n < parts.length ? parts[n].strip() : null;
    }

    long[] longs(String path) {
        Object v = values.get(path);
        return v instanceof long[] a ? a : null;
    }

    /** Walks the elements of one data set encoding, keeping the wanted values. */
    private static final class Walk {
        private final Input in;
        private final boolean explicit;
        private final Map<String, Object> values;
        private int elements;
        long pixelData = -1;
        long pixelLength;

        Walk(Input in, boolean explicit, Map<String, Object> values) {
            this.in = in;
            this.explicit = explicit;
            this.values = values;
        }

        /** Reads the element at {@code at} (which must end by {@code end}); returns where the next one starts. */
        long element(long at, long end, String parent, int depth) throws IOException {
            if (++elements > MAX_ELEMENTS) {
                throw new Malformed("more than " + MAX_ELEMENTS + " data elements");
            }
            int group = in.u16(at);
            int number = in.u16(at + 2);
            int tag = group << 16 | number;
            String vr;
            long length;
            long value;
            if (tag == ITEM || tag == ITEM_END || tag == SEQUENCE_END) {
                throw new Malformed("an item marker (" + hex(tag) + ") at offset " + at + " outside a sequence");
            }
            if (explicit || group == 0x0002) {
                vr = new String(in.bytes(at + 4, 2), StandardCharsets.ISO_8859_1);
                if (LONG_LENGTH_VRS.contains(vr)) {
                    length = in.u32(at + 8);
                    value = at + 12;
                } else {
                    length = in.u16(at + 6);
                    value = at + 8;
                }
            } else {
                vr = tag == PIXEL_DATA ? "OB" : null;
                length = in.u32(at + 4);
                value = at + 8;
            }
            String path = parent == null ? null : parent.isEmpty() ? key(tag) : parent + "/" + key(tag);
            if (tag == PIXEL_DATA) {
                pixelData = value;
                pixelLength = length == UNDEFINED ? -1 : length;
                if (length != UNDEFINED && value + length > end) {
                    throw new Malformed("the pixel data (" + length + " bytes at offset " + value + ") runs past the end of the "
                            + in.size + "-byte file (truncated?)");
                }
                return length == UNDEFINED ? end : value + length;
            }
            boolean sequence = "SQ".equals(vr) || (vr == null || "UN".equals(vr)) && length == UNDEFINED
                    || vr == null && path != null && OPENED.contains(path);
            if (sequence) {
                return sequence(value, length, end, path, depth);
            }
            if (length == UNDEFINED) {
                throw new Malformed("element " + key(tag) + " (" + vr + ") at offset " + at + " has an undefined length");
            }
            if (value + length > end) {
                throw new Malformed("element " + key(tag) + " at offset " + at + " claims " + length + " bytes, past the end of "
                        + (end == in.size ? "the " + in.size + "-byte file (truncated?)" : "its item"));
            }
            Kind kind = path == null ? null : KEPT.get(path);
            if (kind != null) {
                if (length > MAX_VALUE_BYTES) {
                    throw new Malformed("element " + key(tag) + " claims " + length + " bytes");
                }
                values.putIfAbsent(path, decode(kind, in.bytes(value, (int) length)));
            }
            return value + length;
        }

        private long sequence(long value, long length, long end, String path, int depth) throws IOException {
            if (depth >= MAX_DEPTH) {
                throw new Malformed("sequences nested deeper than " + MAX_DEPTH);
            }
            String name = path == null ? "a sequence" : "sequence " + path;
            long limit = length == UNDEFINED ? end : value + length;
            if (limit > end) {
                throw new Malformed(name + " claims " + length + " bytes, past the end of its container");
            }
            boolean open = path != null && OPENED.contains(path);
            if (length != UNDEFINED && !open) {
                return limit; // a sequence of known length not looked into is skipped whole
            }
            long at = value;
            int item = 0;
            while (true) {
                if (at == limit && length != UNDEFINED) {
                    return at;
                }
                if (at + 8 > limit) {
                    throw new Malformed(name + " ends early at offset " + at + " (truncated?)");
                }
                int tag = in.u16(at) << 16 | in.u16(at + 2);
                long itemLength = in.u32(at + 4);
                if (tag == SEQUENCE_END) {
                    return at + 8;
                }
                if (tag != ITEM) {
                    throw new Malformed(name + " holds " + hex(tag) + " at offset " + at + " where an item belongs");
                }
                if (++elements > MAX_ELEMENTS) {
                    throw new Malformed("more than " + MAX_ELEMENTS + " data elements");
                }
                long itemStart = at + 8;
                long itemEnd = itemLength == UNDEFINED ? limit : itemStart + itemLength;
                if (itemEnd > limit) {
                    throw new Malformed("an item of " + name + " claims " + itemLength + " bytes, past the end of its sequence");
                }
                boolean read = open && item == 0;
                long inner = itemStart;
                if (itemLength != UNDEFINED && !read) {
                    inner = itemEnd; // skipped whole
                } else {
                    while (true) {
                        if (itemLength != UNDEFINED && inner == itemEnd) {
                            break;
                        }
                        if (inner + 8 > itemEnd) {
                            throw new Malformed("an item of " + name + " ends early at offset " + inner + " (truncated?)");
                        }
                        int t = in.u16(inner) << 16 | in.u16(inner + 2);
                        if (t == ITEM_END) {
                            inner += 8;
                            break;
                        }
                        inner = element(inner, itemEnd, read ? path : null, depth + 1);
                    }
                }
                at = inner;
                item++;
            }
        }
    }

    private static Object decode(Kind kind, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return switch (kind) {
            case TEXT -> {
                int end = raw.length;
                while (end > 0 && (raw[end - 1] == 0 || raw[end - 1] == ' ')) {
                    end--;
                }
                yield new String(raw, 0, end, StandardCharsets.ISO_8859_1).strip();
            }
            case US -> raw.length >= 2 ? (Number) (b.getShort(0) & 0xffff) : (Number) Double.NaN;
            case UL -> raw.length >= 4 ? (Number) (b.getInt(0) & 0xffffffffL) : (Number) Double.NaN;
            case FL -> raw.length >= 4 ? (Number) (double) b.getFloat(0) : (Number) Double.NaN;
            case OV -> {
                long[] out = new long[raw.length / 8];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getLong(8 * i);
                }
                yield out;
            }
        };
    }

    static String key(int tag) {
        return String.format("%04X,%04X", tag >>> 16, tag & 0xffff);
    }

    private static String hex(int tag) {
        return "(" + key(tag) + ")";
    }

    /** Forward reads of a file through a window, little endian. */
    static final class Input {
        private final FileChannel channel;
        final long size;
        private final ByteBuffer window = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
        private long windowStart = -1;
        private int windowLength;

        Input(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        int u16(long at) throws IOException {
            return load(at, 2).getShort((int) (at - windowStart)) & 0xffff;
        }

        long u32(long at) throws IOException {
            return load(at, 4).getInt((int) (at - windowStart)) & 0xffffffffL;
        }

        byte[] bytes(long at, int n) throws IOException {
            if (n > window.capacity()) {
                ByteBuffer big = ByteBuffer.allocate(n);
                readFully(big, at);
                return big.array();
            }
            ByteBuffer w = load(at, n);
            byte[] out = new byte[n];
            w.get((int) (at - windowStart), out);
            return out;
        }

        private ByteBuffer load(long at, int n) throws IOException {
            if (at < 0 || at + n > size) {
                throw new EOFException("the file ends at " + size + " bytes, inside a data element at offset " + at + " (truncated?)");
            }
            if (windowStart >= 0 && at >= windowStart && at + n <= windowStart + windowLength) {
                return window;
            }
            window.clear();
            window.limit((int) Math.min(window.capacity(), size - at));
            readFully(window, at);
            windowStart = at;
            windowLength = window.limit();
            return window;
        }

        private void readFully(ByteBuffer into, long at) throws IOException {
            long start = at - into.position();
            while (into.hasRemaining()) {
                if (channel.read(into, start + into.position()) < 0) {
                    throw new EOFException("the file ends at " + size + " bytes (truncated?)");
                }
            }
        }
    }
}
