package org.histodraw.slides.io;

import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Our own reader for the layout whole-slide TIFFs use: tiled, 8 bits per sample, chunky, gray or
 * RGB(A) or JPEG YCbCr, compressed with nothing, LZW, Deflate, PackBits or JPEG, classic or BigTIFF,
 * with every reduced-resolution image of the main chain as a level (vips, Aperio and most pyramidal
 * TIFF writers put them there). It exists because neither ImageIO TIFF reader serves big slides: the
 * JDK's refuses any read once an image exceeds 2^31 pixels, TwelveMonkeys' fails on regions narrower
 * than the image and reads everything above a region before it. Here each region decodes only its own
 * tiles, through positional reads of one shared FileChannel, so any number of threads may read at once
 * without a lock; decoded tiles are kept in a small cache (neighbouring tiles of the pipeline share
 * their halos). JPEG tiles are also handed out as they are ({@link #encodedTile}) for tile servers.
 *
 * <p>{@link #open} answers empty for anything else (strips, 16-bit, planar, palette, JPEG 2000...),
 * which then goes to OpenSlide or ImageIO.
 */
final class TiledTiff implements SlideImage {
    private static final Pattern APERIO_MPP = Pattern.compile("\\bMPP\\s*=\\s*([0-9]*\\.?[0-9]+)");
    /** Decoded tiles kept: 64 MiB, or an eighth of a small heap (ingest must fit in a bounded heap). */
    private static final long CACHE_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    /** The largest tile side we accept; real slides use 240 to 1024. */
    static final int MAX_TILE_SIDE = 16_384;
    static final long MAX_TILE_PIXELS = 16L << 20;

    private final Path file;
    private final FileChannel channel;
    private final Level[] levels;
    private final SlideMetadata metadata;
    private final Map<Long, byte[]> cache;
    private volatile boolean closed;

    private TiledTiff(Path file, FileChannel channel, List<TiffDirectory> dirs) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        this.levels = new Level[dirs.size()];
        List<SlideLevel> list = new ArrayList<>();
        long largestTile = 1;
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new Level(dirs.get(i), size, i);
            Level l = levels[i];
            list.add(new SlideLevel(l.width, l.height, i == 0 ? 1 : (double) levels[0].width / l.width,
                    l.tileWidth, l.tileHeight, 0));
            largestTile = Math.max(largestTile, (long) l.tileWidth * l.tileHeight * l.samples);
        }
        TiffDirectory main = dirs.get(0);
        String description = main.text(TiffDirectory.IMAGE_DESCRIPTION);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("tiff.Compression", TiffCompressions.describe(levels[0].compression));
        if (description != null && !description.isBlank()) {
            props.put("tiff.ImageDescription", description.length() > 4000 ? description.substring(0, 4000) : description);
        }
        String format = description != null && description.contains("<OME") ? "OME-TIFF" : "tiled TIFF";
        this.metadata = SlideMetadata.of(format, list, micronsPerPixel(main)).withProperties(props);
        int capacity = (int) Math.max(4, CACHE_BYTES / largestTile);
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The largest image of the file and its reduced-resolution levels, when it has a layout this class
     * reads; empty otherwise. Takes over {@code channel} only when it answers a reader. Structures no
     * reader should follow (absurd tile sizes, tiles past the end of the file) fail here.
     */
    static Optional<TiledTiff> open(Path file, FileChannel channel, List<TiffDirectory> dirs) {
        try {
            TiffDirectory largest = null;
            for (TiffDirectory d : dirs) {
                if (largest == null || d.width() * d.height() > largest.width() * largest.height()) {
                    largest = d;
                }
            }
            TiffDirectory best = largest;
            for (TiffDirectory d : dirs) {
                checkPlausible(d);
            }
            if (best == null || !supported(best)) {
                return Optional.empty();
            }
            List<TiffDirectory> chosen = new ArrayList<>();
            chosen.add(best);
            double aspect = (double) best.width() / best.height();
            dirs.stream().filter(d -> d != best && d.width() < best.width() && supported(d)
                            && d.number(TiffDirectory.TILE_WIDTH, 0) > 0
                            && Math.abs((double) d.width() / d.height() - aspect) / aspect < 0.05
                            && (d.number(TiffDirectory.NEW_SUBFILE_TYPE, 0) & ~1L) == 0) // not a label or a macro
                    .sorted(Comparator.comparingLong(TiffDirectory::width).reversed())
                    .forEach(d -> {
                        if (d.width() < chosen.get(chosen.size() - 1).width()) {
                            chosen.add(d);
                        }
                    });
            return Optional.of(new TiledTiff(file, channel, chosen));
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        }
    }

    /** Sizes no real slide has: refused outright rather than handed to another reader. */
    static void checkPlausible(TiffDirectory d) throws TiffDirectory.Malformed {
        long w = d.width();
        long h = d.height();
        if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new TiffDirectory.Malformed("image size " + w + " x " + h + " is out of range");
        }
        long tw = d.number(TiffDirectory.TILE_WIDTH, 0);
        long th = d.number(TiffDirectory.TILE_LENGTH, 0);
        boolean tiled = d.has(TiffDirectory.TILE_WIDTH) || d.has(TiffDirectory.TILE_LENGTH) || d.has(TiffDirectory.TILE_OFFSETS);
        if (tiled && (tw <= 0 || th <= 0 || tw > MAX_TILE_SIDE || th > MAX_TILE_SIDE || tw * th > MAX_TILE_PIXELS)) {
            throw new TiffDirectory.Malformed("tile size " + tw + " x " + th + " is out of range (at most "
                    + MAX_TILE_SIDE + " px a side and " + MAX_TILE_PIXELS + " px)");
        }
        long samples = d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        if (samples < 1 || samples > 64) {
            throw new TiffDirectory.Malformed(samples + " samples per pixel");
        }
        if (tiled) {
            long tiles = ((w + tw - 1) / tw) * ((h + th - 1) / th);
            long[] offsets = d.numbers(TiffDirectory.TILE_OFFSETS);
            long[] counts = d.numbers(TiffDirectory.TILE_BYTE_COUNTS);
            boolean planar = d.number(TiffDirectory.PLANAR_CONFIGURATION, 1) == 2;
            long needed = planar ? tiles * samples : tiles;
            if (offsets == null || counts == null || offsets.length < needed || counts.length < needed) {
                throw new TiffDirectory.Malformed("an image of " + w + " x " + h + " in " + tw + " x " + th + " tiles needs "
                        + needed + " tile offsets and byte counts, the file has " + (offsets == null ? 0 : offsets.length)
                        + " and " + (counts == null ? 0 : counts.length));
            }
        }
    }

    private static boolean supported(TiffDirectory d) {
        long tw = d.number(TiffDirectory.TILE_WIDTH, 0);
        long th = d.number(TiffDirectory.TILE_LENGTH, 0);
        if (tw <= 0 || th <= 0) {
            return false;
        }
        int samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        int photometric = (int) d.number(TiffDirectory.PHOTOMETRIC, -1);
        int compression = (int) d.number(TiffDirectory.COMPRESSION, 1);
        long[] bits = d.numbers(TiffDirectory.BITS_PER_SAMPLE);
        long[] format = d.numbers(TiffDirectory.SAMPLE_FORMAT);
        boolean eightBit = bits == null || Arrays.stream(bits).allMatch(b -> b == 8);
        boolean unsigned = format == null || Arrays.stream(format).allMatch(f -> f == 1);
        boolean colours = switch (photometric) {
            case 0, 1 -> samples == 1 || samples == 2;              // gray, optionally with alpha
            case 2 -> samples == 3 || samples == 4;                 // RGB, optionally with alpha
            case 6 -> samples == 3 && compression == TiffCodecs.JPEG; // YCbCr inside JPEG tiles
            default -> false;
        };
        long predictor = d.number(TiffDirectory.PREDICTOR, 1);
        return eightBit && unsigned && colours && TiffCodecs.supports(compression)
                && d.number(TiffDirectory.PLANAR_CONFIGURATION, 1) == 1
                && (predictor == 1 || predictor == 2 && compression != TiffCodecs.JPEG);
    }

    /** 0 no alpha, 1 premultiplied (associated), 2 straight (unassociated). */
    private static int extraSampleKind(TiffDirectory d) {
        long[] extra = d.numbers(TiffDirectory.EXTRA_SAMPLES);
        int samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        if (samples != 2 && samples != 4 || extra == null || extra.length == 0) {
            return 0;
        }
        return extra[0] == 1 ? 1 : (extra[0] == 2 ? 2 : 0);
    }

    static Optional<Double> micronsPerPixel(TiffDirectory d) {
        String description = d.text(TiffDirectory.IMAGE_DESCRIPTION);
        if (description != null) {
            Matcher m = APERIO_MPP.matcher(description);
            if (m.find() && Double.parseDouble(m.group(1)) > 0) {
                return Optional.of(Double.parseDouble(m.group(1)));
            }
        }
        double perUnit = d.rational(TiffDirectory.X_RESOLUTION);
        long unit = d.number(TiffDirectory.RESOLUTION_UNIT, 2);
        if (!(perUnit > 0) || (unit != 2 && unit != 3)) {
            return Optional.empty();
        }
        return PixelSizes.fromMillimetres((unit == 2 ? 25.4 : 10.0) / perUnit);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public SlideMetadata metadata() {
        return metadata;
    }

    @Override
    public int[] readArgb(int level, PixelRegion region) {
        Level l = level(level, region);
        int[] out = new int[region.width() * region.height()];
        int tx0 = region.x() / l.tileWidth;
        int tx1 = (region.endX() - 1) / l.tileWidth;
        int ty0 = region.y() / l.tileHeight;
        int ty1 = (region.endY() - 1) / l.tileHeight;
        for (int ty = ty0; ty <= ty1; ty++) {
            for (int tx = tx0; tx <= tx1; tx++) {
                byte[] tile = tile(l, ty * l.across + tx);
                PixelRegion overlap = new PixelRegion(tx * l.tileWidth, ty * l.tileHeight, l.tileWidth, l.tileHeight).intersect(region);
                l.copy(tile, tx * l.tileWidth, ty * l.tileHeight, overlap, region, out);
            }
        }
        return out;
    }

    @Override
    public Optional<EncodedTile> encodedTile(int level, int column, int row) {
        int index = tileIndex(level, column, row);
        if (index < 0) {
            return Optional.empty();
        }
        Level l = levels[level];
        checkOpen();
        try {
            return l.standaloneJpeg(index).map(b -> new EncodedTile(b, "image/jpeg", l.tileWidth, l.tileHeight));
        } catch (IOException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        }
    }

    @Override
    public int encodedTileSize(int level, int column, int row) {
        int index = tileIndex(level, column, row);
        return index < 0 ? -1 : levels[level].standaloneSize(index);
    }

    @Override
    public boolean readEncodedTile(int level, int column, int row, ByteBuffer into) {
        int index = tileIndex(level, column, row);
        if (index < 0 || levels[level].standaloneSize(index) < 0) {
            return false;
        }
        checkOpen();
        try {
            return levels[level].readStandalone(index, into);
        } catch (IOException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        }
    }

    /** The tile's index in its level, or -1 outside the level's grid. */
    private int tileIndex(int level, int column, int row) {
        if (level < 0 || level >= levels.length) {
            return -1;
        }
        Level l = levels[level];
        if (column < 0 || row < 0 || column >= l.across || row >= (l.height + l.tileHeight - 1) / l.tileHeight) {
            return -1;
        }
        return row * l.across + column;
    }

    private Level level(int level, PixelRegion region) {
        LevelRegions.check(this, closed, level, region);
        return levels[level];
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("slide image is closed: " + file);
        }
    }

    private byte[] tile(Level l, int index) {
        long key = (long) l.number << 40 | index;
        synchronized (cache) {
            byte[] cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] decoded;
        try {
            decoded = l.decodeTile(index);
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        }
        synchronized (cache) {
            cache.put(key, decoded);
        }
        return decoded;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing was pending
        }
        synchronized (cache) {
            cache.clear();
        }
    }

    @Override
    public String toString() {
        return file + " (" + format() + ", " + width() + " x " + height() + ", " + levels.length + " levels)";
    }

    /** One image of the file: its tile grid, its encoding, and how to decode a tile. */
    private final class Level {
        final int number;
        final int width;
        final int height;
        final int tileWidth;
        final int tileHeight;
        final int across;
        final int samples;
        final int compression;
        final int photometric;
        final boolean horizontalDifferencing;
        final int alphaKind;
        final long[] offsets;
        final long[] counts;
        final byte[] jpegTables;

        Level(TiffDirectory d, long fileSize, int number) throws IOException {
            this.number = number;
            this.width = (int) d.width();
            this.height = (int) d.height();
            this.tileWidth = (int) d.number(TiffDirectory.TILE_WIDTH, 0);
            this.tileHeight = (int) d.number(TiffDirectory.TILE_LENGTH, 0);
            this.across = (width + tileWidth - 1) / tileWidth;
            this.samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
            this.compression = (int) d.number(TiffDirectory.COMPRESSION, 1);
            this.photometric = (int) d.number(TiffDirectory.PHOTOMETRIC, samples >= 3 ? 2 : 1);
            this.horizontalDifferencing = d.number(TiffDirectory.PREDICTOR, 1) == 2;
            this.alphaKind = extraSampleKind(d);
            this.offsets = d.numbers(TiffDirectory.TILE_OFFSETS);
            this.counts = d.numbers(TiffDirectory.TILE_BYTE_COUNTS);
            this.jpegTables = d.bytes(TiffDirectory.JPEG_TABLES);
            long tiles = (long) across * ((height + tileHeight - 1) / tileHeight);
            for (int i = 0; i < tiles; i++) {
                if (offsets[i] != 0 && counts[i] != 0 && (offsets[i] < 0 || counts[i] < 0 || offsets[i] + counts[i] > fileSize)) {
                    throw new EOFException("tile " + i + " of image " + (number + 1) + " (" + counts[i] + " bytes at offset "
                            + offsets[i] + ") lies past the end of the " + fileSize + "-byte file");
                }
                if (counts[i] > Integer.MAX_VALUE - 16) {
                    throw new TiffDirectory.Malformed("tile " + i + " claims " + counts[i] + " bytes");
                }
            }
        }

        byte[] decodeTile(int index) throws IOException {
            byte[] out = new byte[tileWidth * tileHeight * samples];
            long offset = offsets[index];
            long count = counts[index];
            if (offset == 0 || count == 0) {
                Arrays.fill(out, (byte) (photometric == 0 ? 0 : 255)); // a sparse tile: blank glass
                return out;
            }
            byte[] data = raw(index);
            if (compression == TiffCodecs.JPEG) {
                jpegTile(TiffCodecs.decodeJpeg(jpegTables, data), out);
            } else {
                TiffCodecs.decode(compression, data, out);
                if (horizontalDifferencing) {
                    TiffCodecs.undoHorizontalDifferencing(out, tileWidth, tileHeight, samples);
                }
            }
            return out;
        }

        private byte[] raw(int index) throws IOException {
            ByteBuffer raw = TiffDirectory.read(channel, offsets[index], (int) counts[index], ByteOrder.BIG_ENDIAN, false);
            return raw.array();
        }

        private volatile byte[] jpegPrefix;

        /** 0 RGB, 1 YCbCr, -1 one component: what the Adobe marker of a passed-through tile says. */
        private int transform() {
            return samples == 1 ? -1 : (photometric == 6 ? 1 : 0);
        }

        /** The prefix (SOI, Adobe marker, tables) of this level's passed-through tiles, made once; null when they cannot pass. */
        private byte[] passPrefix() {
            if (compression != TiffCodecs.JPEG || alphaKind != 0
                    || !(photometric == 6 && samples == 3 || photometric == 2 && samples == 3 || photometric == 1 && samples == 1)) {
                return null;
            }
            byte[] prefix = jpegPrefix;
            if (prefix == null) {
                prefix = JpegStreams.prefix(jpegTables, transform());
                jpegPrefix = prefix;
            }
            return prefix;
        }

        /** The size of tile {@code index} sent as it is (prefix, then the tile without its SOI), or -1. */
        int standaloneSize(int index) {
            byte[] prefix = passPrefix();
            if (prefix == null || offsets[index] == 0 || counts[index] < 4) {
                return -1;
            }
            return prefix.length - 2 + (int) counts[index];
        }

        /**
         * Reads tile {@code index} as a JPEG file a browser shows in the right colours into {@code into}
         * from its position: the shared prefix, then the tile's bytes by one positional read straight
         * into the buffer (a direct buffer gets them with no copy on the heap). False when the tile is
         * not a plain JPEG stream (no SOI, or a JFIF/Adobe marker of its own): {@link #standaloneJpeg}
         * then decides.
         */
        boolean readStandalone(int index, ByteBuffer into) throws IOException {
            return JpegStreams.readAfterPrefix(channel, offsets[index], (int) counts[index], passPrefix(), into, true);
        }

        /**
         * The tile as a JPEG file a browser shows in the right colours, when it is a JPEG tile: the
         * shared prefix (tables, marker) and the tile's bytes read into one array by one positional
         * read, so passing a tile through costs about what reading it does.
         */
        Optional<byte[]> standaloneJpeg(int index) throws IOException {
            int size = standaloneSize(index);
            if (size < 0) {
                return Optional.empty();
            }
            byte[] stream = new byte[size];
            if (readStandalone(index, ByteBuffer.wrap(stream))) {
                return Optional.of(stream);
            }
            return JpegStreams.standalone(jpegTables, raw(index), transform());
        }

        /** Raw JPEG components into chunky samples; YCbCr (photometric 6) is converted to RGB. */
        private void jpegTile(Raster decoded, byte[] out) {
            int w = Math.min(tileWidth, decoded.getWidth());
            int h = Math.min(tileHeight, decoded.getHeight());
            int bands = Math.min(samples, decoded.getNumBands());
            int stride = decoded.getNumBands();
            int[] px = decoded.getPixels(decoded.getMinX(), decoded.getMinY(), w, h, (int[]) null);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int in = (y * w + x) * stride;
                    int at = (y * tileWidth + x) * samples;
                    if (photometric == 6 && bands == 3) {
                        int rgb = RgbConversion.fromYCbCr(px[in], px[in + 1], px[in + 2]);
                        out[at] = (byte) (rgb >> 16);
                        out[at + 1] = (byte) (rgb >> 8);
                        out[at + 2] = (byte) rgb;
                    } else {
                        for (int c = 0; c < bands; c++) {
                            out[at + c] = (byte) px[in + c];
                        }
                    }
                }
            }
        }

        /** Copies the overlap of one decoded tile into packed opaque pixels, alpha composited on white. */
        void copy(byte[] tile, int tileX, int tileY, PixelRegion overlap, PixelRegion region, int[] out) {
            int colours = samples >= 3 ? 3 : 1;
            boolean alpha = alphaKind != 0;
            boolean invert = photometric == 0;
            for (int y = overlap.y(); y < overlap.endY(); y++) {
                int src = ((y - tileY) * tileWidth + (overlap.x() - tileX)) * samples;
                int dst = (y - region.y()) * region.width() + (overlap.x() - region.x());
                for (int x = 0; x < overlap.width(); x++, src += samples, dst++) {
                    int red = tile[src] & 0xff;
                    int green = colours == 3 ? tile[src + 1] & 0xff : red;
                    int blue = colours == 3 ? tile[src + 2] & 0xff : red;
                    if (invert) {
                        red = green = blue = 255 - red;
                    }
                    if (alpha && tile[src + colours] != (byte) 255) {
                        int a = tile[src + colours] & 0xff;
                        red = Compositing.onWhite(red, a, alphaKind == 1);
                        green = Compositing.onWhite(green, a, alphaKind == 1);
                        blue = Compositing.onWhite(blue, a, alphaKind == 1);
                    }
                    out[dst] = 0xff000000 | red << 16 | green << 8 | blue;
                }
            }
        }
    }

}
