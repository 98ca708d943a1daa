package org.histodraw.slides.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tags of one TIFF image file directory (IFD), classic or BigTIFF, read with positional reads
 * only. Holds numbers and strings; pixel data stays in the file.
 */
final class TiffDirectory {
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int IMAGE_DESCRIPTION = 270;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int X_RESOLUTION = 282;
    static final int PLANAR_CONFIGURATION = 284;
    static final int RESOLUTION_UNIT = 296;
    static final int PREDICTOR = 317;
    static final int TILE_WIDTH = 322;
    static final int TILE_LENGTH = 323;
    static final int TILE_OFFSETS = 324;
    static final int TILE_BYTE_COUNTS = 325;
    static final int EXTRA_SAMPLES = 338;
    static final int SAMPLE_FORMAT = 339;
    static final int JPEG_TABLES = 347;

    static final int NEW_SUBFILE_TYPE = 254;
    static final int STRIP_OFFSETS = 273;
    static final int YCBCR_SUBSAMPLING = 530;
    static final int SUB_IFDS = 330;
    static final int NDPI_FORMAT_FLAG = 65420;

    /** More image directories than any slide has (OME-TIFF z-stacks included): a hostile file. */
    static final int MAX_DIRECTORIES = 10_000;
    /** Entries of all directories together; real directories have tens each. */
    static final int MAX_ENTRIES = 200_000;
    /** The longest tag value read (tile offsets of a 200k x 200k slide in 256-px tiles take 5 MB). */
    static final int MAX_VALUE_BYTES = 64 << 20;

    private final Map<Integer, long[]> numbers;
    private final Map<Integer, byte[]> bytes;

    private TiffDirectory(Map<Integer, long[]> numbers, Map<Integer, byte[]> bytes) {
        this.numbers = numbers;
        this.bytes = bytes;
    }

    /** Every IFD in the main chain; empty when the file is not a TIFF at all. */
    static List<TiffDirectory> readAll(FileChannel file) throws IOException {
        ByteBuffer header = read(file, 0, 16, ByteOrder.BIG_ENDIAN, true);
        if (header == null) {
            return List.of();
        }
        ByteOrder order;
        if (header.get(0) == 'I' && header.get(1) == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (header.get(0) == 'M' && header.get(1) == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            return List.of();
        }
        header.order(order);
        int magic = header.getShort(2) & 0xffff;
        boolean big;
        long next;
        if (magic == 42) {
            big = false;
            next = header.getInt(4) & 0xffffffffL;
        } else if (magic == 43 && header.getShort(4) == 8) {
            big = true;
            next = header.getLong(8);
        } else {
            return List.of();
        }
        List<TiffDirectory> dirs = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long size = file.size();
        long entriesRead = 0;
        while (next != 0) {
            if (!seen.add(next)) {
                throw new Malformed("its image directory chain loops back to offset " + next
                        + " (directory " + (dirs.size() + 1) + ")");
            }
            if (dirs.size() >= MAX_DIRECTORIES) {
                throw new Malformed("more than " + MAX_DIRECTORIES + " image directories");
            }
            if (next < 8 || next >= size) {
                throw new Malformed("image directory " + (dirs.size() + 1) + " at offset " + next
                        + " lies outside the file of " + size + " bytes (truncated?)");
            }
            int countSize = big ? 8 : 2;
            ByteBuffer countBuf = read(file, next, countSize, order, false);
            long count = big ? countBuf.getLong(0) : countBuf.getShort(0) & 0xffff;
            int entrySize = big ? 20 : 12;
            entriesRead += count;
            if (count < 0 || count > 65_535 || entriesRead > MAX_ENTRIES) {
                throw new Malformed("implausible image directory with " + count + " entries");
            }
            ByteBuffer entries = read(file, next + countSize, (int) count * entrySize + (big ? 8 : 4), order, false);
            Map<Integer, long[]> numbers = new HashMap<>();
            Map<Integer, byte[]> bytes = new HashMap<>();
            for (int i = 0; i < count; i++) {
                readEntry(file, entries, i * entrySize, big, order, numbers, bytes);
            }
            dirs.add(new TiffDirectory(numbers, bytes));
            int at = (int) count * entrySize;
            next = big ? entries.getLong(at) : entries.getInt(at) & 0xffffffffL;
        }
        return dirs;
    }

    private static void readEntry(FileChannel file, ByteBuffer entries, int at, boolean big, ByteOrder order,
                                  Map<Integer, long[]> numbers, Map<Integer, byte[]> bytes) throws IOException {
        int tag = entries.getShort(at) & 0xffff;
        int type = entries.getShort(at + 2) & 0xffff;
        long count = big ? entries.getLong(at + 4) : entries.getInt(at + 4) & 0xffffffffL;
        int size = typeSize(type);
        if (size == 0 || count < 0 || count > Integer.MAX_VALUE / 8) {
            return; // unknown type or absurd count: not a tag we can use
        }
        long length = count * size;
        int inline = big ? 8 : 4;
        int valueAt = at + (big ? 12 : 8);
        ByteBuffer values;
        if (length <= inline) {
            values = entries.duplicate().order(order);
            values.position(valueAt);
            values = values.slice().order(order);
        } else {
            long offset = big ? entries.getLong(valueAt) : entries.getInt(valueAt) & 0xffffffffL;
            if (!wanted(tag)) {
                return; // large values of tags we ignore (e.g. XMP, ICC) are never read
            }
            if (length > MAX_VALUE_BYTES) {
                throw new Malformed("tag " + tag + " claims " + length + " bytes of values");
            }
            if (offset < 0 || offset + length > file.size()) {
                throw new Malformed("tag " + tag + " points past the end of the file (" + length + " bytes at offset "
                        + offset + " of a " + file.size() + "-byte file; truncated?)");
            }
            values = read(file, offset, (int) length, order, false);
        }
        if (type == 2 || type == 7 || type == 1 && tag == JPEG_TABLES) {
            byte[] raw = new byte[(int) length];
            values.get(0, raw);
            bytes.put(tag, raw);
            return;
        }
        long[] out = new long[type == 5 || type == 10 ? (int) count * 2 : (int) count];
        for (int i = 0; i < count; i++) {
            switch (type) {
                case 1, 6 -> out[i] = values.get(i) & 0xff;
                case 3, 8 -> out[i] = values.getShort(2 * i) & 0xffff;
                case 4, 9, 13 -> out[i] = values.getInt(4 * i) & 0xffffffffL;
                case 5, 10 -> {
                    out[2 * i] = values.getInt(8 * i) & 0xffffffffL;
                    out[2 * i + 1] = values.getInt(8 * i + 4) & 0xffffffffL;
                }
                case 16, 17, 18 -> out[i] = values.getLong(8 * i);
                default -> {
                    return; // floats and doubles: no tag we read uses them
                }
            }
        }
        numbers.put(tag, out);
    }

    private static boolean wanted(int tag) {
        return tag == BITS_PER_SAMPLE || tag == IMAGE_DESCRIPTION || tag == X_RESOLUTION || tag == TILE_OFFSETS
                || tag == TILE_BYTE_COUNTS || tag == EXTRA_SAMPLES || tag == SAMPLE_FORMAT || tag == JPEG_TABLES
                || tag == STRIP_OFFSETS || tag == YCBCR_SUBSAMPLING;
    }

    private static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 0;
        };
    }

    /** Reads {@code length} bytes at {@code position}; null (when allowed) or EOFException past the end. */
    static ByteBuffer read(FileChannel file, long position, int length, ByteOrder order, boolean nullAtEnd) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(order);
        while (buf.hasRemaining()) {
            int n = file.read(buf, position + buf.position());
            if (n < 0) {
                if (nullAtEnd) {
                    return null;
                }
                throw new EOFException("TIFF data ends at " + (position + buf.position()) + ", expected " + length
                        + " bytes from " + position);
            }
        }
        return buf.flip();
    }

    /** A structure no reader should follow (loops, absurd counts, pointers out of the file). */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    boolean has(int tag) {
        return numbers.containsKey(tag) || bytes.containsKey(tag);
    }

    long number(int tag, long fallback) {
        long[] v = numbers.get(tag);
        return v == null || v.length == 0 ? fallback : v[0];
    }

    long[] numbers(int tag) {
        return numbers.get(tag);
    }

    byte[] bytes(int tag) {
        return bytes.get(tag);
    }

    /** XResolution as a double, or NaN. */
    double rational(int tag) {
        long[] v = numbers.get(tag);
        return v == null || v.length < 2 || v[1] == 0 ? Double.NaN : (double) v[0] / v[1];
    }

    String text(int tag) {
        byte[] raw = bytes.get(tag);
        if (raw == null) {
            return null;
        }
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--;
        }
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }

    long width() {
        return number(IMAGE_WIDTH, 0);
    }

    long height() {
        return number(IMAGE_LENGTH, 0);
    }
}
