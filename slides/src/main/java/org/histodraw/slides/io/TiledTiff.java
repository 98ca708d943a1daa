package org.histodraw.slides.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Our own reader for the layout whole-slide TIFFs use: tiled, 8 bits per sample, chunky, gray or
 * RGB(A) or JPEG YCbCr, compressed with nothing, LZW, Deflate, PackBits or JPEG, classic or BigTIFF.
 * It exists because neither ImageIO TIFF reader serves big slides: the JDK's refuses any read once an
 * image exceeds 2^31 pixels, TwelveMonkeys' fails on regions narrower than the image and reads
 * everything above a region before it. Here each region decodes only its own tiles, through positional
 * reads of one shared FileChannel, so any number of threads may read at once without a lock; decoded
 * tiles are kept in a small cache (neighbouring tiles of the pipeline share their halos).
 *
 * <p>{@link #open} answers empty for anything else (strips, 16-bit, planar, palette, JPEG 2000...),
 * which then goes to ImageIO.
 */
final class TiledTiff implements RegionSource {
    private static final Pattern APERIO_MPP = Pattern.compile("\\bMPP\\s*=\\s*([0-9]*\\.?[0-9]+)");
    /** Decoded tiles kept: 64 MiB, or an eighth of a small heap (ingest must fit in a bounded heap). */
    private static final long CACHE_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);

    private final Path file;
    private final FileChannel channel;
    private final int width;
    private final int height;
    private final int tileWidth;
    private final int tileHeight;
    private final int across;
    private final int samples;
    private final int compression;
    private final int photometric;
    private final boolean horizontalDifferencing;
    private final int alphaKind;
    private final long[] offsets;
    private final long[] counts;
    private final byte[] jpegTables;
    private final Optional<Double> micronsPerPixel;
    private final Map<Integer, byte[]> cache;

    private TiledTiff(Path file, FileChannel channel, TiffDirectory d) {
        this.file = file;
        this.channel = channel;
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
        this.micronsPerPixel = micronsPerPixel(d);
        long tileBytes = (long) tileWidth * tileHeight * samples;
        int capacity = (int) Math.max(4, CACHE_BYTES / tileBytes);
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The largest image of the file when it has a layout this class reads; empty otherwise. */
    static Optional<TiledTiff> open(Path file) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            List<TiffDirectory> dirs = TiffDirectory.readAll(channel);
            TiffDirectory best = null;
            for (TiffDirectory d : dirs) {
                if (best == null || d.width() * d.height() > best.width() * best.height()) {
                    best = d;
                }
            }
            if (best == null || !supported(best)) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new TiledTiff(file, channel, best));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw ImageFiles.failure(file, "TIFF", e);
        }
    }

    private static boolean supported(TiffDirectory d) {
        long w = d.width();
        long h = d.height();
        long tw = d.number(TiffDirectory.TILE_WIDTH, 0);
        long th = d.number(TiffDirectory.TILE_LENGTH, 0);
        if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE || tw <= 0 || th <= 0 || tw * th > (16 << 20)) {
            return false;
        }
        int samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        int photometric = (int) d.number(TiffDirectory.PHOTOMETRIC, -1);
        int compression = (int) d.number(TiffDirectory.COMPRESSION, 1);
        long[] bits = d.numbers(TiffDirectory.BITS_PER_SAMPLE);
        long[] format = d.numbers(TiffDirectory.SAMPLE_FORMAT);
        long[] offsets = d.numbers(TiffDirectory.TILE_OFFSETS);
        long[] counts = d.numbers(TiffDirectory.TILE_BYTE_COUNTS);
        long tiles = ((w + tw - 1) / tw) * ((h + th - 1) / th);
        boolean eightBit = bits == null || java.util.Arrays.stream(bits).allMatch(b -> b == 8);
        boolean unsigned = format == null || java.util.Arrays.stream(format).allMatch(f -> f == 1);
        boolean colours = switch (photometric) {
            case 0, 1 -> samples == 1 || samples == 2;              // gray, optionally with alpha
            case 2 -> samples == 3 || samples == 4;                 // RGB, optionally with alpha
            case 6 -> samples == 3 && compression == TiffCodecs.JPEG; // YCbCr inside JPEG tiles
            default -> false;
        };
        long predictor = d.number(TiffDirectory.PREDICTOR, 1);
        return eightBit && unsigned && colours && TiffCodecs.supports(compression)
                && d.number(TiffDirectory.PLANAR_CONFIGURATION, 1) == 1
                && (predictor == 1 || predictor == 2 && compression != TiffCodecs.JPEG)
                && offsets != null && counts != null && offsets.length >= tiles && counts.length >= tiles;
    }

    /** 0 no alpha, 1 premultiplied (associated), 2 straight (unassociated). */
    private static int extraSampleKind(TiffDirectory d) {
        long[] extra = d.numbers(TiffDirectory.EXTRA_SAMPLES);
        int samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        if (samples != 2 && samples != 4) {
            return 0;
        }
        return extra != null && extra.length > 0 && extra[0] == 1 ? 1 : (extra != null && extra.length > 0 && extra[0] == 2 ? 2 : 0);
    }

    private static Optional<Double> micronsPerPixel(TiffDirectory d) {
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
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    Optional<Double> micronsPerPixel() {
        return micronsPerPixel;
    }

    @Override
    public Raster read(PixelRegion region) {
        Raster out = Raster.allocate(region.width(), region.height(), 3);
        int tx0 = region.x() / tileWidth;
        int tx1 = (region.endX() - 1) / tileWidth;
        int ty0 = region.y() / tileHeight;
        int ty1 = (region.endY() - 1) / tileHeight;
        for (int ty = ty0; ty <= ty1; ty++) {
            for (int tx = tx0; tx <= tx1; tx++) {
                byte[] tile = tile(ty * across + tx);
                PixelRegion overlap = new PixelRegion(tx * tileWidth, ty * tileHeight, tileWidth, tileHeight).intersect(region);
                copy(tile, tx * tileWidth, ty * tileHeight, overlap, region, out);
            }
        }
        return out;
    }

    /** Copies the overlap of one decoded tile into the output planes, converting to RGB in [0, 1]. */
    private void copy(byte[] tile, int tileX, int tileY, PixelRegion overlap, PixelRegion region, Raster out) {
        float[] r = out.plane(0), g = out.plane(1), b = out.plane(2);
        int colours = samples >= 3 ? 3 : 1;
        boolean alpha = alphaKind != 0;
        boolean invert = photometric == 0;
        for (int y = overlap.y(); y < overlap.endY(); y++) {
            int src = ((y - tileY) * tileWidth + (overlap.x() - tileX)) * samples;
            int dst = (y - region.y()) * region.width() + (overlap.x() - region.x());
            for (int x = 0; x < overlap.width(); x++, src += samples, dst++) {
                float red = (tile[src] & 0xff) / 255f;
                float green = colours == 3 ? (tile[src + 1] & 0xff) / 255f : red;
                float blue = colours == 3 ? (tile[src + 2] & 0xff) / 255f : red;
                if (invert) {
                    red = green = blue = 1 - red;
                }
                if (alpha && tile[src + colours] != (byte) 255) {
                    float a = (tile[src + colours] & 0xff) / 255f;
                    if (alphaKind == 1) {
                        red += 1 - a;
                        green += 1 - a;
                        blue += 1 - a;
                    } else {
                        red = 1 - a * (1 - red);      // = red * a + (1 - a), exact for red = 1
                        green = 1 - a * (1 - green);
                        blue = 1 - a * (1 - blue);
                    }
                }
                r[dst] = Math.min(1f, red);
                g[dst] = Math.min(1f, green);
                b[dst] = Math.min(1f, blue);
            }
        }
    }

    private byte[] tile(int index) {
        synchronized (cache) {
            byte[] cached = cache.get(index);
            if (cached != null) {
                return cached;
            }
        }
        byte[] decoded;
        try {
            decoded = decodeTile(index);
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        }
        synchronized (cache) {
            cache.put(index, decoded);
        }
        return decoded;
    }

    private byte[] decodeTile(int index) throws IOException {
        byte[] out = new byte[tileWidth * tileHeight * samples];
        long offset = offsets[index];
        long count = counts[index];
        if (offset == 0 || count == 0) {
            java.util.Arrays.fill(out, (byte) (photometric == 0 ? 0 : 255)); // a sparse tile: blank glass
            return out;
        }
        if (count > Integer.MAX_VALUE - 16 || offset + count > channel.size()) {
            throw new java.io.EOFException("tile " + index + " lies past the end of the file");
        }
        ByteBuffer raw = TiffDirectory.read(channel, offset, (int) count, ByteOrder.BIG_ENDIAN, false);
        byte[] data = raw.array();
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

    /** Raw JPEG components into chunky samples; YCbCr (photometric 6) is converted to RGB. */
    private void jpegTile(java.awt.image.Raster decoded, byte[] out) {
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
                    float lum = px[in];
                    float cb = px[in + 1] - 128f;
                    float cr = px[in + 2] - 128f;
                    out[at] = (byte) clamp(lum + 1.402f * cr);
                    out[at + 1] = (byte) clamp(lum - 0.344136f * cb - 0.714136f * cr);
                    out[at + 2] = (byte) clamp(lum + 1.772f * cb);
                } else {
                    for (int c = 0; c < bands; c++) {
                        out[at + c] = (byte) px[in + c];
                    }
                }
            }
        }
    }

    private static int clamp(float v) {
        int r = Math.round(v);
        return r < 0 ? 0 : (r > 255 ? 255 : r);
    }

    @Override
    public boolean readsRegions() {
        return true;
    }

    @Override
    public void close() {
        closeQuietly(channel);
        synchronized (cache) {
            cache.clear();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing was pending
            }
        }
    }
}
