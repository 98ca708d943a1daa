package org.histodraw.slides.io;

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
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.slides.display.DisplayRanges;
import org.histodraw.slides.display.DisplaySettings;
import org.histodraw.slides.display.ImageChannel;

/**
 * Our reader for TIFF whose pixels are not 8-bit colour: unsigned 16-bit and 32-bit float samples
 * (grey, RGB, or any number of samples per pixel, chunky or planar), and OME-TIFF with one page per
 * channel (fluorescence, as Bio-Formats and tifffile write it) in any sample type, tiled or in strips,
 * compressed with nothing, LZW, Deflate or PackBits (horizontal predictor included). Channel names
 * and colours come from the OME-XML ({@code <Channel Name Color>}), else Grey or Red, Green, Blue.
 *
 * <p>Regions come out two ways: {@link #readChannels} gives the original values, one plane per
 * channel, for analysis; the RGB reads ({@link #readArgb}, {@link #read}) are the display, each
 * channel mapped through its range and coloured ({@link DisplaySettings}), by default the automatic
 * range from the slide's own percentiles. What it cannot show right ({@link #unsupported}) is
 * refused with the reason instead of being read wrong by another reader.
 *
 * <p>Levels: the reduced-resolution images of the main chain (vips' pyramids) for single-page
 * layouts; an OME-TIFF's pages are its channels, so only its full resolution is read (its SubIFD
 * pyramid is not), and the z = 0, t = 0 plane of a stack.
 */
final class ChannelTiff implements SlideImage {
    private static final Pattern PIXELS = Pattern.compile("<(?:\\w+:)?Pixels\\b([^>]*)>");
    private static final Pattern CHANNEL = Pattern.compile("<(?:\\w+:)?Channel\\b([^>]*?)/?>");
    private static final long CACHE_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);

    private final Path file;
    private final FileChannel channel;
    private final Level[] levels;
    private final SlideMetadata metadata;
    private final Map<Long, float[][]> cache;
    private volatile DisplaySettings auto;
    private volatile boolean closed;

    /** One sample of one page: where a channel's values are. */
    private record Plane(Page page, int sample) {
    }

    private record Level(int width, int height, Plane[] planes) {
    }

    /**
     * Whether this reader is the one for the file: samples of 16 or 32 bits, or an OME-TIFF with its
     * channels in separate pages, or more samples than colour and alpha.
     */
    static boolean wants(List<TiffDirectory> dirs) {
        TiffDirectory d = dirs.get(0);
        long[] bits = d.numbers(TiffDirectory.BITS_PER_SAMPLE);
        boolean wide = bits != null && Arrays.stream(bits).anyMatch(b -> b > 8);
        long[] format = d.numbers(TiffDirectory.SAMPLE_FORMAT);
        boolean notUnsigned = format != null && Arrays.stream(format).anyMatch(f -> f != 1 && f != 4);
        long samples = d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        // OME counts an interleaved RGB image as three channels of one page: that is a colour slide.
        return wide || notUnsigned || samples > 4 || omeChannels(d) > Math.max(1, samples);
    }

    /** Why the file's pixels cannot be shown right (refused with this reason), or empty. */
    static Optional<String> unsupported(TiffDirectory d) {
        long[] bits = d.numbers(TiffDirectory.BITS_PER_SAMPLE);
        long[] format = d.numbers(TiffDirectory.SAMPLE_FORMAT);
        long b = bits == null ? 1 : bits[0];
        long f = format == null ? 1 : format[0];
        if (bits != null && Arrays.stream(bits).anyMatch(x -> x != b) || format != null && Arrays.stream(format).anyMatch(x -> x != f)) {
            return Optional.of("samples of different sizes or kinds in one pixel (BitsPerSample " + Arrays.toString(bits)
                    + ", SampleFormat " + Arrays.toString(format) + ")");
        }
        String readable = "; HistoDraw reads unsigned 8- and 16-bit and 32-bit float samples: convert the image, e.g. "
                + "vips cast in.tif out.tif float";
        if (f == 2) {
            return Optional.of("signed " + b + "-bit integer samples (SampleFormat 2) are not supported" + readable);
        }
        if (f == 5 || f == 6) {
            return Optional.of("complex samples (SampleFormat " + f + ") are not supported: they are not an image a viewer can show"
                    + readable);
        }
        if (f == 3 && b != 32) {
            return Optional.of(b + "-bit floating-point samples are not supported" + readable);
        }
        if (f != 1 && f != 3 && f != 4) {
            return Optional.of("SampleFormat " + f + " is not a TIFF sample format");
        }
        if (f != 3 && b != 8 && b != 16) {
            return Optional.of(b + "-bit integer samples are not supported" + readable);
        }
        long compression = d.number(TiffDirectory.COMPRESSION, 1);
        if (compression != TiffCodecs.NONE && compression != TiffCodecs.LZW && compression != TiffCodecs.DEFLATE
                && compression != TiffCodecs.ADOBE_DEFLATE && compression != TiffCodecs.PACKBITS) {
            return Optional.of("TIFF compression " + TiffCompressions.describe(compression) + " of " + b + "-bit "
                    + (f == 3 ? "float" : "") + " samples is not supported; HistoDraw reads them uncompressed or with LZW, "
                    + "Deflate or PackBits (e.g. vips tiffsave in.tif out.tif --tile --compression deflate)");
        }
        long predictor = d.number(TiffDirectory.PREDICTOR, 1);
        if (predictor == 3 || predictor == 2 && f == 3) {
            return Optional.of("the floating-point predictor of this TIFF is not supported; save it with --predictor none");
        }
        if (predictor != 1 && predictor != 2) {
            return Optional.of("TIFF predictor " + predictor + " is not a known predictor");
        }
        long photometric = d.number(TiffDirectory.PHOTOMETRIC, 1);
        if (photometric != 0 && photometric != 1 && photometric != 2) {
            return Optional.of("photometric interpretation " + photometric + " (palette, CMYK, YCbCr, Lab...) with "
                    + b + "-bit samples is not supported");
        }
        if (photometric == 0 && f == 3) {
            return Optional.of("float samples with white as zero (photometric 0) are not supported");
        }
        boolean tiled = d.has(TiffDirectory.TILE_WIDTH);
        if (!tiled) {
            long rows = Math.min(d.number(TiffDirectory.ROWS_PER_STRIP, d.height()), d.height());
            if (rows * d.width() > TiledTiff.MAX_TILE_PIXELS || d.numbers(TiffDirectory.STRIP_OFFSETS) == null
                    || d.numbers(TiffDirectory.STRIP_BYTE_COUNTS) == null) {
                return Optional.of("stored in strips of " + rows + " rows of " + d.width() + " px (above "
                        + TiledTiff.MAX_TILE_PIXELS + " px a strip) or without strip offsets; save it as a tiled TIFF "
                        + "(vips tiffsave in.tif out.tif --tile)");
            }
        }
        return Optional.empty();
    }

    static ChannelTiff open(Path file, FileChannel channel, List<TiffDirectory> dirs) throws IOException {
        return new ChannelTiff(file, channel, dirs);
    }

    private ChannelTiff(Path file, FileChannel channel, List<TiffDirectory> dirs) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        TiffDirectory first = dirs.get(0);
        String description = first.text(TiffDirectory.IMAGE_DESCRIPTION);
        int omeChannels = omeChannels(first);
        List<Level> levels = new ArrayList<>();
        List<ImageChannel> found;
        String format;
        Map<String, String> props = new LinkedHashMap<>();
        if (omeChannels > 1 && first.number(TiffDirectory.SAMPLES_PER_PIXEL, 1) == 1) {
            Map<String, String> pixels = attributes(description, PIXELS).get(0);
            int[] pages = omePages(pixels, omeChannels);
            Plane[] planes = new Plane[omeChannels];
            for (int c = 0; c < omeChannels; c++) {
                if (pages[c] >= dirs.size()) {
                    throw new TiffDirectory.Malformed("the OME-XML puts channel " + c + " in page " + pages[c] + ", the file has "
                            + dirs.size());
                }
                TiffDirectory d = dirs.get(pages[c]);
                if (d.width() != first.width() || d.height() != first.height() || !same(d, first)) {
                    throw new TiffDirectory.Malformed("the channel pages differ in size or sample type (page " + pages[c] + ")");
                }
                planes[c] = new Plane(new Page(d, size, pages[c]), 0);
            }
            levels.add(new Level((int) first.width(), (int) first.height(), planes));
            found = omeChannelList(description, omeChannels, sampleName(first));
            format = "OME-TIFF";
            int sizeZ = intAttribute(pixels, "SizeZ", 1), sizeT = intAttribute(pixels, "SizeT", 1);
            if (sizeZ > 1 || sizeT > 1) {
                props.put("histodraw.planes", "z = 0, t = 0 of " + sizeZ + " z and " + sizeT + " t planes");
            }
        } else {
            TiffDirectory main = largest(dirs);
            int samples = colourSamples(main);
            double aspect = (double) main.width() / main.height();
            List<TiffDirectory> chosen = new ArrayList<>(List.of(main));
            dirs.stream().filter(d -> d != main && d.width() < main.width() && same(d, main)
                            && Math.abs((double) d.width() / d.height() - aspect) / aspect < 0.05
                            && (d.number(TiffDirectory.NEW_SUBFILE_TYPE, 0) & ~1L) == 0)
                    .sorted(Comparator.comparingLong(TiffDirectory::width).reversed())
                    .forEach(d -> {
                        if (d.width() < chosen.get(chosen.size() - 1).width()) {
                            chosen.add(d);
                        }
                    });
            for (TiffDirectory d : chosen) {
                Page page = new Page(d, size, dirs.indexOf(d));
                Plane[] planes = new Plane[samples];
                for (int s = 0; s < samples; s++) {
                    planes[s] = new Plane(page, s);
                }
                levels.add(new Level((int) d.width(), (int) d.height(), planes));
            }
            String sample = sampleName(main);
            if (omeChannels == 1 || description != null && description.contains("<OME")) {
                found = omeChannelList(description, samples, sample);
                format = "OME-TIFF";
            } else {
                found = new ArrayList<>();
                long photometric = main.number(TiffDirectory.PHOTOMETRIC, 1);
                for (int s = 0; s < samples; s++) {
                    found.add(samples == 1 ? new ImageChannel("Grey", 0xffffff, sample)
                            : photometric == 2 && samples == 3 ? new ImageChannel(ImageChannel.RGB.get(s).name(), ImageChannel.RGB.get(s).rgb(), sample)
                            : new ImageChannel("Channel " + (s + 1), s < 3 ? ImageChannel.RGB.get(s).rgb() : 0xffffff, sample));
                }
                format = main.has(TiffDirectory.TILE_WIDTH) ? "tiled TIFF" : "TIFF";
            }
        }
        this.levels = levels.toArray(Level[]::new);
        List<SlideLevel> list = new ArrayList<>();
        for (Level l : this.levels) {
            Page p = l.planes()[0].page();
            list.add(new SlideLevel(l.width(), l.height(), (double) this.levels[0].width() / l.width(), p.tileWidth, p.tileHeight, 0));
        }
        Optional<Double> micronsPerPixel = omePixelSize(description).or(() -> TiledTiff.micronsPerPixel(first));
        props.put("tiff.Compression", TiffCompressions.describe(first.number(TiffDirectory.COMPRESSION, 1)));
        props.put("histodraw.samples", sampleName(first));
        if (description != null && !description.isBlank()) {
            props.put("tiff.ImageDescription", description.length() > 4000 ? description.substring(0, 4000) : description);
        }
        this.metadata = SlideMetadata.of(format, list, micronsPerPixel).withProperties(props).withOriginalChannels(found);
        long largestTile = 1;
        for (Level l : this.levels) {
            Page p = l.planes()[0].page();
            largestTile = Math.max(largestTile, 4L * p.tileWidth * p.tileHeight * p.samples);
        }
        int capacity = (int) Math.max(4, CACHE_BYTES / largestTile);
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, float[][]> eldest) {
                return size() > capacity;
            }
        };
    }

    private static boolean same(TiffDirectory a, TiffDirectory b) {
        return Arrays.equals(a.numbers(TiffDirectory.BITS_PER_SAMPLE), b.numbers(TiffDirectory.BITS_PER_SAMPLE))
                && a.number(TiffDirectory.SAMPLE_FORMAT, 1) == b.number(TiffDirectory.SAMPLE_FORMAT, 1)
                && a.number(TiffDirectory.SAMPLES_PER_PIXEL, 1) == b.number(TiffDirectory.SAMPLES_PER_PIXEL, 1)
                && unsupported(a).isEmpty();
    }

    private static TiffDirectory largest(List<TiffDirectory> dirs) {
        return dirs.stream().max(Comparator.comparingLong(d -> d.width() * d.height())).orElseThrow();
    }

    /** Samples that are channels: all but an alpha sample of grey + alpha or RGB + alpha. */
    private static int colourSamples(TiffDirectory d) {
        int samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        long[] extra = d.numbers(TiffDirectory.EXTRA_SAMPLES);
        boolean alpha = extra != null && extra.length > 0 && (extra[0] == 1 || extra[0] == 2) && (samples == 2 || samples == 4);
        return alpha ? samples - 1 : samples;
    }

    static String sampleName(TiffDirectory d) {
        long bits = d.number(TiffDirectory.BITS_PER_SAMPLE, 1);
        return d.number(TiffDirectory.SAMPLE_FORMAT, 1) == 3 ? "float32" : bits == 16 ? "uint16" : "uint8";
    }

    /** SizeC of an OME-XML description, 0 without one. */
    static int omeChannels(TiffDirectory d) {
        String description = d.text(TiffDirectory.IMAGE_DESCRIPTION);
        if (description == null || !description.contains("<OME")) {
            return 0;
        }
        List<Map<String, String>> pixels = attributes(description, PIXELS);
        if (pixels.isEmpty()) {
            return 0;
        }
        int sizeC = intAttribute(pixels.get(0), "SizeC", 1);
        List<Map<String, String>> channels = attributes(description, CHANNEL);
        // a single Channel with SamplesPerPixel 3 is an RGB image stored interleaved
        if (sizeC == 3 && channels.size() == 1 && intAttribute(channels.get(0), "SamplesPerPixel", 1) == 3) {
            return 1;
        }
        return Math.max(1, Math.min(sizeC, 1024));
    }

    /** The page of channel c at z = 0, t = 0, following DimensionOrder (XYCZT: channels first). */
    private static int[] omePages(Map<String, String> pixels, int sizeC) {
        String order = pixels.getOrDefault("DimensionOrder", "XYCZT");
        int sizeZ = intAttribute(pixels, "SizeZ", 1), sizeT = intAttribute(pixels, "SizeT", 1);
        int stride = 1;
        for (int i = 2; i < order.length(); i++) {
            char dim = order.charAt(i);
            if (dim == 'C') {
                break;
            }
            stride *= dim == 'Z' ? sizeZ : sizeT;
        }
        int[] pages = new int[sizeC];
        for (int c = 0; c < sizeC; c++) {
            pages[c] = c * stride;
        }
        return pages;
    }

    /** An OME-XML's PhysicalSizeX in microns (its default unit), when given in µm, nm or mm. */
    private static Optional<Double> omePixelSize(String description) {
        if (description == null || !description.contains("<OME")) {
            return Optional.empty();
        }
        List<Map<String, String>> pixels = attributes(description, PIXELS);
        if (pixels.isEmpty() || !pixels.get(0).containsKey("PhysicalSizeX")) {
            return Optional.empty();
        }
        try {
            double size = Double.parseDouble(pixels.get(0).get("PhysicalSizeX").trim());
            String unit = pixels.get(0).getOrDefault("PhysicalSizeXUnit", "µm");
            double microns = switch (unit) {
                case "µm", "um", "\u00c2\u00b5m" -> size; // the last: UTF-8 µ read as the Latin-1 TIFF text is
                case "nm" -> size / 1000;
                case "mm" -> size * 1000;
                default -> Double.NaN;
            };
            return microns > 0 && microns < 1e6 ? Optional.of(microns) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<ImageChannel> omeChannelList(String description, int count, String sample) {
        List<Map<String, String>> given = description == null ? List.of() : attributes(description, CHANNEL);
        List<ImageChannel> out = new ArrayList<>();
        int[] defaults = count == 1 ? new int[] {0xffffff} : new int[] {0x0000ff, 0x00ff00, 0xff0000, 0xff00ff, 0x00ffff, 0xffff00, 0xffffff};
        for (int c = 0; c < count; c++) {
            Map<String, String> a = c < given.size() ? given.get(c) : Map.of();
            String name = a.getOrDefault("Name", "").isBlank() ? "Channel " + (c + 1) : xmlText(a.get("Name"));
            int rgb = defaults[Math.min(c, defaults.length - 1)];
            if (a.containsKey("Color")) {
                try {
                    rgb = (int) (Long.parseLong(a.get("Color").trim()) >>> 8) & 0xffffff; // OME: signed RGBA
                } catch (NumberFormatException e) {
                    // keep the default colour
                }
            }
            out.add(new ImageChannel(name.length() > 100 ? name.substring(0, 100) : name, rgb, sample));
        }
        return out;
    }

    private static String xmlText(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')");

    private static List<Map<String, String>> attributes(String xml, Pattern element) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = element.matcher(xml);
        while (m.find() && out.size() < 1024) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(1));
            while (a.find()) {
                attrs.put(a.group(1), a.group(3) != null ? a.group(3) : a.group(4));
            }
            out.add(attrs);
        }
        return out;
    }

    private static int intAttribute(Map<String, String> attrs, String name, int fallback) {
        try {
            return attrs.containsKey(name) ? Integer.parseInt(attrs.get(name).trim()) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
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
    public Raster readChannels(int level, PixelRegion region) {
        LevelRegions.check(this, closed, level, region);
        Level l = levels[level];
        int count = channels().size();
        Raster out = Raster.allocate(region.width(), region.height(), count);
        for (int c = 0; c < count; c++) {
            Plane plane = l.planes()[c];
            Page p = plane.page();
            int tx0 = region.x() / p.tileWidth, tx1 = (region.endX() - 1) / p.tileWidth;
            int ty0 = region.y() / p.tileHeight, ty1 = (region.endY() - 1) / p.tileHeight;
            float[] dst = out.plane(c);
            for (int ty = ty0; ty <= ty1; ty++) {
                for (int tx = tx0; tx <= tx1; tx++) {
                    float[] tile = tile(p, ty * p.across + tx, plane.sample());
                    PixelRegion overlap = new PixelRegion(tx * p.tileWidth, ty * p.tileHeight, p.tileWidth, p.tileHeight).intersect(region);
                    for (int y = overlap.y(); y < overlap.endY(); y++) {
                        System.arraycopy(tile, (y - ty * p.tileHeight) * p.tileWidth + overlap.x() - tx * p.tileWidth, dst,
                                (y - region.y()) * region.width() + overlap.x() - region.x(), overlap.width());
                    }
                }
            }
        }
        return out;
    }

    @Override
    public DisplaySettings defaultDisplay() {
        DisplaySettings d = auto;
        if (d == null) {
            int level = levels.length - 1;
            while (level > 0 && (long) levels[level].width() * levels[level].height() < (1 << 20)) {
                level--; // a level with enough pixels for stable percentiles
            }
            List<Raster> samples = new ArrayList<>();
            for (PixelRegion r : FeatureBank.measuringWindows(PixelRegion.of(levels[level].width(), levels[level].height()))) {
                samples.add(readChannels(level, r));
            }
            d = DisplayRanges.auto(channels(), samples);
            auto = d;
        }
        return d;
    }

    @Override
    public int[] readArgb(int level, PixelRegion region, DisplaySettings display) {
        return display.checkFits(channels()).render(readChannels(level, region));
    }

    @Override
    public int[] readArgb(int level, PixelRegion region) {
        return readArgb(level, region, defaultDisplay());
    }

    @Override
    public Raster read(int level, PixelRegion region) {
        return Raster.fromPackedRgb(region.width(), region.height(), readArgb(level, region));
    }

    private float[] tile(Page p, int index, int sample) {
        int planeTile = p.planar ? sample * p.tilesPerPlane + index : index;
        long key = (long) p.number << 40 | planeTile;
        float[][] decoded;
        synchronized (cache) {
            decoded = cache.get(key);
        }
        if (decoded == null) {
            try {
                decoded = p.decode(planeTile);
            } catch (IOException | RuntimeException e) {
                throw ImageFiles.failure(file, format(), e);
            }
            synchronized (cache) {
                cache.put(key, decoded);
            }
        }
        return decoded[p.planar ? 0 : sample];
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
        synchronized (cache) {
            cache.clear();
        }
    }

    @Override
    public String toString() {
        return file + " (" + format() + ", " + width() + " x " + height() + ", " + channels().size() + " " + channels().get(0).sample()
                + " channels)";
    }

    /** One page (IFD) of the file: its tile or strip grid and how to decode a block into values. */
    private final class Page {
        final int number;
        final int width;
        final int height;
        final int tileWidth;
        final int tileHeight;
        final int across;
        final int tilesPerPlane;
        final int samples;
        final boolean planar;
        final int bytesPerSample;
        final boolean floating;
        final boolean invert;
        final int compression;
        final boolean differencing;
        final ByteOrder order;
        final long[] offsets;
        final long[] counts;

        Page(TiffDirectory d, long fileSize, int number) throws IOException {
            Optional<String> problem = unsupported(d);
            if (problem.isPresent()) {
                throw new TiffDirectory.Malformed(problem.get());
            }
            this.number = number;
            this.width = (int) d.width();
            this.height = (int) d.height();
            boolean tiled = d.has(TiffDirectory.TILE_WIDTH);
            this.tileWidth = tiled ? (int) d.number(TiffDirectory.TILE_WIDTH, 0) : width;
            this.tileHeight = tiled ? (int) d.number(TiffDirectory.TILE_LENGTH, 0)
                    : (int) Math.min(d.number(TiffDirectory.ROWS_PER_STRIP, height), height);
            if (tileWidth < 1 || tileHeight < 1) {
                throw new TiffDirectory.Malformed("blocks of " + tileWidth + " x " + tileHeight + " px");
            }
            this.across = (width + tileWidth - 1) / tileWidth;
            this.tilesPerPlane = across * ((height + tileHeight - 1) / tileHeight);
            this.samples = (int) d.number(TiffDirectory.SAMPLES_PER_PIXEL, 1);
            this.planar = d.number(TiffDirectory.PLANAR_CONFIGURATION, 1) == 2 && samples > 1;
            this.bytesPerSample = (int) d.number(TiffDirectory.BITS_PER_SAMPLE, 8) / 8;
            this.floating = d.number(TiffDirectory.SAMPLE_FORMAT, 1) == 3;
            this.invert = d.number(TiffDirectory.PHOTOMETRIC, 1) == 0;
            this.compression = (int) d.number(TiffDirectory.COMPRESSION, 1);
            this.differencing = d.number(TiffDirectory.PREDICTOR, 1) == 2;
            this.order = d.order();
            this.offsets = d.numbers(tiled ? TiffDirectory.TILE_OFFSETS : TiffDirectory.STRIP_OFFSETS);
            this.counts = d.numbers(tiled ? TiffDirectory.TILE_BYTE_COUNTS : TiffDirectory.STRIP_BYTE_COUNTS);
            long blocks = (long) tilesPerPlane * (planar ? samples : 1);
            if (offsets == null || counts == null || offsets.length < blocks || counts.length < blocks) {
                throw new TiffDirectory.Malformed("an image of " + width + " x " + height + " in blocks of " + tileWidth + " x "
                        + tileHeight + " needs " + blocks + " offsets and byte counts");
            }
            for (int i = 0; i < blocks; i++) {
                if (counts[i] > Integer.MAX_VALUE - 16 || offsets[i] != 0 && counts[i] != 0 && offsets[i] + counts[i] > fileSize) {
                    throw new EOFException("block " + i + " of page " + (number + 1) + " (" + counts[i] + " bytes at offset "
                            + offsets[i] + ") lies past the end of the " + fileSize + "-byte file");
                }
            }
        }

        /** One stored block as values, one array per sample it holds (one for a planar block). */
        float[][] decode(int block) throws IOException {
            int perBlock = planar ? 1 : samples;
            int values = tileWidth * tileHeight * perBlock;
            byte[] raw = new byte[values * bytesPerSample];
            if (offsets[block] != 0 && counts[block] != 0) {
                byte[] data = TiffDirectory.read(channel, offsets[block], (int) counts[block], ByteOrder.BIG_ENDIAN, false).array();
                TiffCodecs.decode(compression, data, raw);
            }
            ByteBuffer buf = ByteBuffer.wrap(raw).order(order);
            float[][] out = new float[perBlock][tileWidth * tileHeight];
            long max = bytesPerSample == 2 ? 0xffff : 0xff;
            for (int y = 0; y < tileHeight; y++) {
                long[] previous = new long[perBlock];
                for (int x = 0; x < tileWidth; x++) {
                    for (int s = 0; s < perBlock; s++) {
                        int i = (y * tileWidth + x) * perBlock + s;
                        float v;
                        if (floating) {
                            v = buf.getFloat(i * 4);
                        } else {
                            long u = bytesPerSample == 2 ? buf.getShort(i * 2) & 0xffff : raw[i] & 0xff;
                            if (differencing) {
                                u = (u + previous[s]) & max;
                                previous[s] = u;
                            }
                            v = invert ? max - u : u;
                        }
                        out[s][y * tileWidth + x] = v;
                    }
                }
            }
            return out;
        }
    }
}
