package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.histodraw.engine.raster.PixelRegion;

/**
 * A DICOM whole-slide image (PS3.3 A.32.8, "VL Whole Slide Microscopy Image"): one series of files,
 * each instance one resolution level (ImageType VOLUME) or an associated image (LABEL, OVERVIEW
 * shown as "macro", THUMBNAIL), its pixels a grid of tiles stored as frames in TILED_FULL order (row
 * by row, the first focal plane and optical path first). Frames are JPEG baseline
 * (1.2.840.10008.1.2.4.50) or uncompressed 8-bit (explicit or implicit VR little endian); encapsulated
 * frames are found through the Extended or Basic Offset Table, or by walking the fragments when the
 * file has neither. JPEG frames are handed out as they are ({@link #encodedTile}), with an Adobe
 * marker where the frame does not say itself whether it holds RGB or YCbCr.
 *
 * <p>Open one file of the series (its siblings in the same folder with the same SeriesInstanceUID are
 * found) or a folder holding one series. Refused with the reason: other transfer syntaxes (JPEG
 * 2000, JPEG-LS...), TILED_SPARSE (tiles placed by per-frame positions), concatenations (a level split
 * over several files), other bit depths and colour models, DICOM that is not a slide.
 */
final class DicomSlide implements SlideImage {
    /** Files looked at in one folder: more than any slide's levels and associated images. */
    static final int MAX_FILES = 10_000;
    /** Frames of one level: a 200k x 200k slide in 64-px tiles has 9.8 million. */
    static final long MAX_FRAMES = 10_000_000;
    /** Fragments of one frame when the file has no offset table (scanners write one; the standard allows more). */
    static final long FRAGMENTS_PER_FRAME = 16;
    private static final long CACHE_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    private static final int ITEM = 0xFFFEE000;
    private static final int SEQUENCE_END = 0xFFFEE0DD;

    private final Path file;
    private final List<Instance> levels;
    private final Map<String, Instance> associated;
    private final SlideMetadata metadata;
    private final Map<Long, int[]> cache;
    private volatile boolean closed;

    private DicomSlide(Path file, List<Instance> levels, Map<String, Instance> associated) {
        this.file = file;
        this.levels = levels;
        this.associated = associated;
        DicomFile main = levels.get(0).dicom;
        List<SlideLevel> list = new ArrayList<>();
        for (Instance l : levels) {
            list.add(new SlideLevel(l.width, l.height, (double) levels.get(0).width / l.width, l.tileWidth, l.tileHeight, 0));
        }
        Map<String, String> props = new LinkedHashMap<>();
        putIfPresent(props, "dicom.Manufacturer", main.text("0008,0070"));
        putIfPresent(props, "dicom.ManufacturerModelName", main.text("0008,1090"));
        putIfPresent(props, "dicom.StationName", main.text("0018,1000"));
        putIfPresent(props, "dicom.SeriesInstanceUID", main.text("0020,000E"));
        props.put("dicom.TransferSyntaxUID", main.transferSyntax + " (" + DicomFile.describe(main.transferSyntax) + ")");
        putIfPresent(props, "dicom.PhotometricInterpretation", main.text("0028,0004"));
        this.metadata = SlideMetadata.of("DICOM WSI", list, micronsPerPixel(main, levels.get(0).width))
                .withScanner("dicom", objectivePower(main)) // what OpenSlide 4 calls it; the scanner's maker is in the properties
                .withProperties(props)
                .withAssociatedImages(associated.keySet().stream().sorted().toList());
        int capacity = (int) Math.max(4, CACHE_BYTES / (4L * levels.get(0).tileWidth * levels.get(0).tileHeight));
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
                return size() > capacity;
            }
        };
    }

    private static Optional<Double> objectivePower(DicomFile main) {
        double power = main.number("0048,0105/0048,0112");
        return power > 0 && power < 1000 ? Optional.of(power) : Optional.empty();
    }

    private static Optional<Double> micronsPerPixel(DicomFile main, int width) {
        // PixelSpacing is "row spacing \ column spacing" in mm: the column spacing is a pixel's width.
        String columnSpacing = main.text("5200,9229/0028,9110/0028,0030", 1);
        try {
            if (columnSpacing != null) {
                return PixelSizes.fromMillimetres(Double.parseDouble(columnSpacing));
            }
        } catch (NumberFormatException e) {
            // fall back to the imaged volume
        }
        double widthMm = main.number("0048,0001");
        return widthMm > 0 ? PixelSizes.fromMillimetres(widthMm / width) : Optional.empty();
    }

    private static void putIfPresent(Map<String, String> props, String key, String value) {
        if (value != null && !value.isBlank()) {
            props.put(key, value);
        }
    }

    /**
     * The slide of {@code path}: a DICOM file (with the files of its series beside it) or a folder of
     * one series. Fails with a {@link SlideException} naming the problem.
     */
    static DicomSlide open(Path path, SlideLimits limits) {
        boolean folder = Files.isDirectory(path);
        Path dir = folder ? path : path.toAbsolutePath().getParent();
        List<Instance> all = new ArrayList<>();
        try {
            Instance given = null;
            if (!folder) {
                given = Instance.read(path);
                all.add(given);
            }
            for (Path sibling : dicomFiles(dir, path)) {
                if (!folder && Files.isSameFile(sibling, path)) {
                    continue;
                }
                try {
                    all.add(Instance.read(sibling));
                } catch (IOException | RuntimeException e) {
                    if (folder) {
                        throw e;
                    }
                    // a sibling we cannot read is not part of the slide asked for
                }
            }
            String series;
            if (given != null) {
                series = given.series;
            } else {
                List<String> found = all.stream().filter(i -> i.wsi).map(i -> i.series).distinct().toList();
                if (all.isEmpty()) {
                    throw new SlideImages.Refused(path, "a folder, not an image file", "the one format read from a folder is a "
                            + "DICOM whole-slide series, and it holds no DICOM file");
                }
                if (found.isEmpty()) {
                    throw new SlideImages.Refused(path, "no DICOM whole-slide image in the folder", "its DICOM files are of other kinds");
                }
                if (found.size() > 1) {
                    throw new SlideImages.Refused(path, "the folder holds " + found.size() + " DICOM whole-slide series",
                            "open one of their files, or keep one series per folder");
                }
                series = found.get(0);
            }
            List<Instance> mine = new ArrayList<>();
            for (Instance i : all) {
                if (i.series.equals(series)) {
                    mine.add(i);
                } else {
                    i.close();
                }
            }
            all = mine;
            Instance first = given != null ? given : all.get(0);
            if (!first.wsi) {
                throw new SlideImages.Refused(path, "a DICOM file that is not a whole-slide image", "SOP class "
                        + first.dicom.text("0008,0016") + "; HistoDraw reads VL Whole Slide Microscopy Image ("
                        + DicomFile.WSI_SOP_CLASS + ")");
            }
            List<Instance> volumes = new ArrayList<>();
            Map<String, Instance> extras = new LinkedHashMap<>();
            for (Instance i : all) {
                String kind = i.kind();
                if ("VOLUME".equals(kind)) {
                    volumes.add(i);
                } else if (extras.containsKey(kind) || kind == null) {
                    i.close();
                } else {
                    extras.put(kind, i);
                }
            }
            if (volumes.isEmpty()) {
                throw new SlideImages.Refused(path, "a DICOM whole-slide series without a VOLUME image",
                        "it holds only " + extras.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList()
                                + " images; open the series' folder or its level files");
            }
            // Largest first, by what the headers claim (index() checks the claims of the levels kept).
            volumes.sort(Comparator.comparingLong((Instance i) -> -i.declared(true) * i.declared(false))
                    .thenComparing(i -> i.file.toString()));
            long pixels = volumes.get(0).declared(true) * volumes.get(0).declared(false);
            if (pixels > limits.maxPixels()) {
                throw new SlideImages.TooLarge(path, "image too large", volumes.get(0).declared(true) + " x "
                        + volumes.get(0).declared(false) + " = " + SlideLimits.megapixels(pixels) + ", above the limit of "
                        + SlideLimits.megapixels(limits.maxPixels()));
            }
            List<Instance> levels = new ArrayList<>();
            for (Instance v : volumes) {
                if (!levels.isEmpty() && v.declared(true) >= levels.get(levels.size() - 1).declared(true)) {
                    v.close(); // another optical path or a duplicate of a level: the first one is read
                    continue;
                }
                levels.add(v);
            }
            for (Instance l : levels) {
                l.index(path);
            }
            Map<String, Instance> named = new LinkedHashMap<>();
            for (Map.Entry<String, Instance> e : extras.entrySet()) {
                Instance a = e.getValue();
                try {
                    a.index(path);
                } catch (SlideException ignored) {
                    a.close(); // an associated image we cannot read is left out, the slide still opens
                    continue;
                }
                if ((long) a.width * a.height > limits.maxWholeImagePixels()) {
                    a.close();
                    continue;
                }
                named.put(switch (e.getKey()) {
                    case "LABEL" -> "label";
                    case "OVERVIEW" -> "macro";
                    default -> "thumbnail";
                }, a);
            }
            return new DicomSlide(path, List.copyOf(levels), Map.copyOf(named));
        } catch (IOException | RuntimeException e) {
            all.forEach(Instance::close);
            if (e instanceof SlideException se) {
                throw se;
            }
            if (e instanceof DicomFile.Unsupported) {
                throw new SlideImages.Refused(path, e.getMessage(), "HistoDraw reads DICOM whole-slide images with JPEG baseline "
                        + "frames (" + DicomFile.JPEG_BASELINE + ") or uncompressed 8-bit frames; convert the slide, e.g. "
                        + "to a pyramidal TIFF with JPEG tiles");
            }
            if (e instanceof DicomFile.Malformed) {
                throw new SlideImages.Refused(path, "corrupt DICOM", e.getMessage());
            }
            throw ImageFiles.failure(path, "DICOM", e);
        }
    }

    /** The DICOM files of a folder (Part 10 preamble), at most {@value #MAX_FILES} looked at. */
    private static List<Path> dicomFiles(Path dir, Path asked) throws IOException {
        List<Path> found = new ArrayList<>();
        int seen = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (++seen > MAX_FILES) {
                    throw new SlideImages.Refused(asked, "too many files beside the DICOM slide", "more than " + MAX_FILES
                            + " in " + dir + "; keep each slide's files in a folder of their own");
                }
                if (Files.isRegularFile(p) && Files.size(p) >= 132 && DicomFile.isDicom(ImageFiles.head(p, 132))) {
                    found.add(p);
                }
            }
        }
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }

    /** One instance (file) of the series: a level or an associated image, and where its frames are. */
    private static final class Instance implements AutoCloseable {
        final Path file;
        final FileChannel channel;
        final DicomFile dicom;
        final String series;
        final boolean wsi;
        int width;
        int height;
        int tileWidth;
        int tileHeight;
        int across;
        int samples;
        String photometric;
        boolean jpeg;
        /** Native frames: bytes per frame; encapsulated frames: where each starts (its first item) and ends. */
        long frameBytes;
        long[] starts;
        long[] ends;
        /** The prefix of passed-through frames (SOI, Adobe marker as needed), or null when they cannot pass. */
        byte[] passPrefix;
        boolean passPlain;

        private Instance(Path file, FileChannel channel, DicomFile dicom) {
            this.file = file;
            this.channel = channel;
            this.dicom = dicom;
            this.series = String.valueOf(dicom.text("0020,000E"));
            this.wsi = DicomFile.WSI_SOP_CLASS.equals(dicom.text("0008,0016"));
        }

        static Instance read(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                return new Instance(file, channel, DicomFile.read(channel));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /**
         * The width (or height) the header claims, the total pixel matrix or else one frame, clamped to
         * 0..2^31-1 so products cannot overflow; 0 when absent. {@link #index} checks it before use.
         */
        long declared(boolean width) {
            double total = dicom.number(width ? "0048,0006" : "0048,0007");
            double v = Double.isNaN(total) ? dicom.number(width ? "0028,0011" : "0028,0010") : total;
            return v >= 1 ? (long) Math.min(v, Integer.MAX_VALUE) : 0;
        }

        /** VOLUME, LABEL, OVERVIEW, THUMBNAIL (ImageType's third value), or null. */
        String kind() {
            String type = dicom.text("0008,0008", 2);
            if (type == null || type.isEmpty()) {
                return "VOLUME";
            }
            return switch (type) {
                case "VOLUME", "LABEL", "OVERVIEW", "THUMBNAIL" -> type;
                default -> null;
            };
        }

        /** Checks the layout against what this reader handles and finds the frames. */
        void index(Path asked) throws IOException {
            String syntax = dicom.transferSyntax;
            jpeg = DicomFile.JPEG_BASELINE.equals(syntax);
            boolean nativeFrames = DicomFile.EXPLICIT_LE.equals(syntax) || DicomFile.IMPLICIT_LE.equals(syntax);
            if (!jpeg && !nativeFrames) {
                throw new DicomFile.Unsupported("DICOM transfer syntax " + syntax + " (" + DicomFile.describe(syntax)
                        + ") is not supported" + name());
            }
            if (dicom.text("0020,9161") != null) {
                throw new DicomFile.Unsupported("concatenated DICOM instances (a level split over several files) are not supported"
                        + name());
            }
            String organisation = dicom.text("0020,9311");
            if ("TILED_SPARSE".equals(organisation)) {
                throw new DicomFile.Unsupported("DICOM TILED_SPARSE images (tiles placed by per-frame positions) are not supported"
                        + name() + "; only TILED_FULL");
            }
            if (organisation != null && !organisation.isEmpty() && !"TILED_FULL".equals(organisation)) {
                throw new DicomFile.Unsupported("DICOM dimension organisation " + organisation + " is not supported" + name());
            }
            tileHeight = positive(dicom.number("0028,0010"), "Rows");
            tileWidth = positive(dicom.number("0028,0011"), "Columns");
            if (tileWidth > TiledTiff.MAX_TILE_SIDE || tileHeight > TiledTiff.MAX_TILE_SIDE
                    || (long) tileWidth * tileHeight > TiledTiff.MAX_TILE_PIXELS) {
                throw new DicomFile.Malformed("frames of " + tileWidth + " x " + tileHeight + " px are out of range (at most "
                        + TiledTiff.MAX_TILE_SIDE + " px a side and " + TiledTiff.MAX_TILE_PIXELS + " px)");
            }
            double totalColumns = dicom.number("0048,0006");
            double totalRows = dicom.number("0048,0007");
            width = Double.isNaN(totalColumns) ? tileWidth : positive(totalColumns, "TotalPixelMatrixColumns");
            height = Double.isNaN(totalRows) ? tileHeight : positive(totalRows, "TotalPixelMatrixRows");
            across = (int) ((width + (long) tileWidth - 1) / tileWidth);
            long down = (height + (long) tileHeight - 1) / tileHeight;
            String framesText = dicom.text("0028,0008");
            long frames;
            try {
                frames = framesText == null || framesText.isBlank() ? 1 : Long.parseLong(framesText.strip());
            } catch (NumberFormatException e) {
                throw new DicomFile.Malformed("NumberOfFrames is not a number: " + framesText);
            }
            long planes = Math.max(1, (long) orOne(dicom.number("0048,0303")));
            long paths = Math.max(1, (long) orOne(dicom.number("0048,0302")));
            long tiles = across * down;
            if (frames < 1 || frames > MAX_FRAMES) {
                throw new DicomFile.Malformed("NumberOfFrames " + frames + " is out of range (1.." + MAX_FRAMES + ")");
            }
            if (frames != tiles && frames != tiles * planes * paths) {
                throw new DicomFile.Malformed(frames + " frames for a TILED_FULL grid of " + across + " x " + down + " tiles"
                        + (planes * paths > 1 ? " in " + planes + " focal planes and " + paths + " optical paths" : ""));
            }
            samples = (int) orOne(dicom.number("0028,0002"));
            photometric = String.valueOf(dicom.text("0028,0004"));
            double bits = dicom.number("0028,0100");
            boolean colours = samples == 3 && (photometric.equals("RGB") || photometric.startsWith("YBR_FULL"))
                    || samples == 1 && photometric.startsWith("MONOCHROME");
            if (!colours || !Double.isNaN(bits) && bits != 8) {
                throw new DicomFile.Unsupported("DICOM pixels of " + samples + " samples, " + photometric + ", " + (Double.isNaN(bits)
                        ? "?" : (int) bits) + " bits are not supported" + name() + "; HistoDraw reads 8-bit RGB, YBR_FULL(_422) and MONOCHROME");
            }
            if (dicom.pixelDataOffset < 0) {
                throw new DicomFile.Malformed("no pixel data" + name());
            }
            if (nativeFrames) {
                frameBytes = (long) tileWidth * tileHeight * samples;
                if (dicom.pixelDataLength < frameBytes * tiles) {
                    throw new DicomFile.Malformed("the pixel data holds " + dicom.pixelDataLength + " bytes, " + tiles + " frames of "
                            + tileWidth + " x " + tileHeight + " x " + samples + " need " + frameBytes * tiles);
                }
                return;
            }
            if (dicom.pixelDataLength >= 0) {
                throw new DicomFile.Malformed("JPEG frames must be encapsulated (pixel data of undefined length)" + name());
            }
            findFrames((int) tiles, frames);
            passPrefix();
        }

        private String name() {
            return " (" + file.getFileName() + ")";
        }

        private static double orOne(double v) {
            return Double.isNaN(v) ? 1 : v;
        }

        private static int positive(double v, String what) throws DicomFile.Malformed {
            if (!(v >= 1) || v > Integer.MAX_VALUE) {
                throw new DicomFile.Malformed(what + " " + v + " is out of range");
            }
            return (int) v;
        }

        /**
         * Where the first {@code needed} frames start and end: from the Extended Offset Table, the Basic
         * Offset Table, or by walking the fragments (one small read each) when both are empty.
         */
        private void findFrames(int needed, long frames) throws IOException {
            long at = dicom.pixelDataOffset;
            long size = dicom.fileSize;
            int[] bot = item(at);
            if (bot[0] != ITEM) {
                throw new DicomFile.Malformed("the encapsulated pixel data does not start with the Basic Offset Table item");
            }
            long botLength = bot[1] & 0xffffffffL;
            long first = at + 8 + botLength;
            if (first > size) {
                throw new DicomFile.Malformed("the Basic Offset Table claims " + botLength + " bytes, past the end of the file");
            }
            long[] extended = dicom.longs("7FE0,0001");
            long[] extendedLengths = dicom.longs("7FE0,0002");
            long[] offsets = null;
            if (extended != null && extended.length >= frames) {
                offsets = Arrays.copyOf(extended, needed);
            } else if (botLength > 0) {
                if (botLength != 4 * frames) {
                    throw new DicomFile.Malformed("the Basic Offset Table has " + botLength / 4 + " entries for " + frames + " frames");
                }
                ByteBuffer table = ByteBuffer.allocate((int) Math.min(botLength, 4L * needed)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(table, at + 8);
                offsets = new long[needed];
                for (int i = 0; i < needed; i++) {
                    offsets[i] = table.getInt(4 * i) & 0xffffffffL;
                }
            }
            starts = new long[needed];
            ends = new long[needed];
            if (offsets != null) {
                for (int i = 0; i < needed; i++) {
                    starts[i] = first + offsets[i];
                    if (offsets[i] < 0 || starts[i] + 8 > size || i > 0 && offsets[i] <= offsets[i - 1] || i == 0 && offsets[0] != 0) {
                        throw new DicomFile.Malformed("the offset table's entry " + i + " (" + offsets[i] + ") is out of order or "
                                + "points past the end of the file");
                    }
                    if (i > 0) {
                        ends[i - 1] = starts[i];
                    }
                }
                if (extendedLengths != null && extendedLengths.length >= needed) {
                    long lastLength = extendedLengths[needed - 1];
                    ends[needed - 1] = starts[needed - 1] + 8 + lastLength;
                } else {
                    ends[needed - 1] = endOfFrame(starts[needed - 1], size);
                }
                if (ends[needed - 1] > size || ends[needed - 1] < starts[needed - 1] + 8) {
                    throw new DicomFile.Malformed("the last frame runs past the end of the file (truncated?)");
                }
                return;
            }
            // No table: every fragment's header is read; a frame starts with each fragment that starts with SOI.
            List<long[]> fragments = new ArrayList<>();
            long maxFragments = Math.min(MAX_FRAMES, FRAGMENTS_PER_FRAME * frames); // each kept costs memory
            long pos = first;
            while (true) {
                if (pos + 8 > size) {
                    throw new DicomFile.Malformed("the pixel data's fragments end at offset " + pos + " without a sequence "
                            + "delimiter (truncated?)");
                }
                int[] h = item(pos);
                if (h[0] == SEQUENCE_END) {
                    break;
                }
                long length = h[1] & 0xffffffffL;
                if (h[0] != ITEM || pos + 8 + length > size) {
                    throw new DicomFile.Malformed("fragment " + fragments.size() + " at offset " + pos
                            + (h[0] != ITEM ? " is not an item" : " claims " + length + " bytes, past the end of the file (truncated?)"));
                }
                if (fragments.size() >= maxFragments) {
                    throw new DicomFile.Malformed("more than " + maxFragments + " fragments for " + frames + " frames");
                }
                fragments.add(new long[] {pos, pos + 8 + length});
                pos += 8 + length;
            }
            if (fragments.size() < needed) {
                throw new DicomFile.Malformed("the pixel data holds " + fragments.size() + " fragments for " + needed + " frames (truncated?)");
            }
            if (fragments.size() == frames || fragments.size() == needed) {
                for (int i = 0; i < needed; i++) {
                    starts[i] = fragments.get(i)[0];
                    ends[i] = fragments.get(i)[1];
                }
                return;
            }
            int frame = -1;
            for (long[] f : fragments) {
                ByteBuffer soi = ByteBuffer.allocate(2);
                if (f[1] - f[0] >= 10) {
                    readFully(soi, f[0] + 8);
                }
                boolean starts2 = (soi.get(0) & 0xff) == 0xFF && (soi.get(1) & 0xff) == 0xD8;
                if (starts2 || frame < 0) {
                    if (frame + 1 == needed) {
                        break;
                    }
                    frame++;
                    starts[frame] = f[0];
                }
                ends[frame] = f[1];
            }
            if (frame + 1 < needed) {
                throw new DicomFile.Malformed("the pixel data's fragments make " + (frame + 1) + " JPEG streams for " + needed + " frames");
            }
        }

        /** The end of the frame starting at {@code start}: after its fragments, at the next SOI or the sequence end. */
        private long endOfFrame(long start, long size) throws IOException {
            long pos = start;
            int count = 0;
            while (pos + 8 <= size) {
                int[] h = item(pos);
                if (h[0] != ITEM || count > 0 && startsWithSoi(pos)) {
                    return pos;
                }
                long length = h[1] & 0xffffffffL;
                if (pos + 8 + length > size || ++count > 1_000_000) {
                    throw new DicomFile.Malformed("the last frame's fragments run past the end of the file (truncated?)");
                }
                pos += 8 + length;
            }
            throw new DicomFile.Malformed("the pixel data ends without a sequence delimiter (truncated?)");
        }

        private boolean startsWithSoi(long item) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(2);
            readFully(b, item + 8);
            return (b.get(0) & 0xff) == 0xFF && (b.get(1) & 0xff) == 0xD8;
        }

        /** The tag (group << 16 | element) and length of the item header at {@code at}. */
        private int[] item(long at) throws IOException {
            ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(h, at);
            return new int[] {(h.getShort(0) & 0xffff) << 16 | (h.getShort(2) & 0xffff), h.getInt(4)};
        }

        private void readFully(ByteBuffer into, long at) throws IOException {
            long start = at - into.position();
            while (into.hasRemaining()) {
                if (channel.read(into, start + into.position()) < 0) {
                    throw new java.io.EOFException("the file ends at " + dicom.fileSize + " bytes (truncated?)");
                }
            }
        }

        /** Decides how frames pass: as they are when they say their colours, after an Adobe marker when not. */
        private void passPrefix() throws IOException {
            byte[] frame = frame(0);
            boolean jfif = JpegStreams.hasApp(frame, 0xE0);
            boolean adobe = JpegStreams.hasApp(frame, 0xEE);
            boolean rgb = photometric.equals("RGB");
            if (adobe || jfif && !rgb || samples == 1) {
                passPrefix = new byte[] {(byte) 0xFF, (byte) 0xD8};
                passPlain = false;
            } else if (!jfif) {
                passPrefix = JpegStreams.prefix(null, rgb ? 0 : 1);
                passPlain = true;
            }
        }

        /** The frame's bytes: the data of its fragments, or the native samples. */
        byte[] frame(int index) throws IOException {
            if (!jpeg) {
                ByteBuffer b = ByteBuffer.allocate((int) frameBytes);
                readFully(b, dicom.pixelDataOffset + index * frameBytes);
                return b.array();
            }
            long start = starts[index];
            long length = ends[index] - start;
            if (length > Integer.MAX_VALUE - 16 || length < 8) {
                throw new DicomFile.Malformed("frame " + index + " of " + length + " bytes");
            }
            ByteBuffer span = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
            readFully(span, start);
            byte[] raw = span.array();
            int pos = 0;
            int out = 0;
            while (pos + 8 <= raw.length) {
                int tag = (span.getShort(pos) & 0xffff) << 16 | (span.getShort(pos + 2) & 0xffff);
                long n = span.getInt(pos + 4) & 0xffffffffL;
                if (tag != ITEM || pos + 8 + n > raw.length) {
                    throw new DicomFile.Malformed("frame " + index + " at offset " + (start + pos) + " is not a run of fragments");
                }
                System.arraycopy(raw, pos + 8, raw, out, (int) n);
                out += (int) n;
                pos += 8 + (int) n;
            }
            return Arrays.copyOf(raw, out);
        }

        /** The frame's size when it is one fragment that can be read straight after the prefix; -1 otherwise. */
        int passSize(int index) {
            if (passPrefix == null || index < 0 || index >= starts.length) {
                return -1;
            }
            long data = ends[index] - starts[index] - 8;
            return data < 4 || data > Integer.MAX_VALUE - 64 ? -1 : passPrefix.length - 2 + (int) data;
        }

        boolean readPassed(int index, ByteBuffer into) throws IOException {
            int[] h = item(starts[index]);
            long data = ends[index] - starts[index] - 8;
            if (h[0] != ITEM || (h[1] & 0xffffffffL) != data) {
                return false; // several fragments: the byte[] way joins them
            }
            return JpegStreams.readAfterPrefix(channel, starts[index] + 8, (int) data, passPrefix, into, passPlain);
        }

        /** The frame's pixels, tileWidth x tileHeight opaque 0xFFRRGGBB (white where a JPEG frame is smaller). */
        int[] decode(int index) throws IOException {
            byte[] data = frame(index);
            int[] out = new int[tileWidth * tileHeight];
            if (!jpeg) {
                boolean planar = samples == 3 && dicom.number("0028,0006") == 1;
                boolean ycc = photometric.startsWith("YBR");
                int plane = tileWidth * tileHeight;
                for (int i = 0; i < plane; i++) {
                    if (samples == 1) {
                        int v = data[i] & 0xff;
                        v = photometric.equals("MONOCHROME1") ? 255 - v : v;
                        out[i] = 0xff000000 | v << 16 | v << 8 | v;
                    } else {
                        int a = (planar ? data[i] : data[3 * i]) & 0xff;
                        int b = (planar ? data[plane + i] : data[3 * i + 1]) & 0xff;
                        int c = (planar ? data[2 * plane + i] : data[3 * i + 2]) & 0xff;
                        out[i] = ycc ? RgbConversion.fromYCbCr(a, b, c) : 0xff000000 | a << 16 | b << 8 | c;
                    }
                }
                return out;
            }
            Raster raster = TiffCodecs.decodeJpeg(null, data);
            boolean ycc = JpegStreams.codedAsYCbCr(data, photometric.startsWith("YBR"));
            int w = Math.min(tileWidth, raster.getWidth());
            int h = Math.min(tileHeight, raster.getHeight());
            int bands = raster.getNumBands();
            Arrays.fill(out, 0xffffffff);
            int[] px = raster.getPixels(raster.getMinX(), raster.getMinY(), w, h, (int[]) null);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int in = (y * w + x) * bands;
                    int v;
                    if (bands >= 3) {
                        v = ycc ? RgbConversion.fromYCbCr(px[in], px[in + 1], px[in + 2])
                                : 0xff000000 | px[in] << 16 | px[in + 1] << 8 | px[in + 2];
                    } else {
                        v = 0xff000000 | px[in] << 16 | px[in] << 8 | px[in];
                    }
                    out[y * tileWidth + x] = v;
                }
            }
            return out;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    @Override
    public Path file() {
        return file;
    }

    /** Every file the slide is read from (its levels and associated images). */
    @Override
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        levels.forEach(l -> out.add(l.file));
        associated.values().forEach(a -> out.add(a.file));
        return out;
    }

    @Override
    public SlideMetadata metadata() {
        return metadata;
    }

    @Override
    public int[] readArgb(int level, PixelRegion region) {
        LevelRegions.check(this, closed, level, region);
        Instance l = levels.get(level);
        int[] out = new int[region.width() * region.height()];
        for (int ty = region.y() / l.tileHeight; ty <= (region.endY() - 1) / l.tileHeight; ty++) {
            for (int tx = region.x() / l.tileWidth; tx <= (region.endX() - 1) / l.tileWidth; tx++) {
                int[] tile = tile(level, l, ty * l.across + tx);
                PixelRegion overlap = new PixelRegion(tx * l.tileWidth, ty * l.tileHeight, l.tileWidth, l.tileHeight).intersect(region);
                for (int y = overlap.y(); y < overlap.endY(); y++) {
                    System.arraycopy(tile, (y - ty * l.tileHeight) * l.tileWidth + overlap.x() - tx * l.tileWidth, out,
                            (y - region.y()) * region.width() + overlap.x() - region.x(), overlap.width());
                }
            }
        }
        return out;
    }

    private int[] tile(int level, Instance l, int index) {
        long key = (long) level << 40 | index;
        synchronized (cache) {
            int[] hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        int[] decoded;
        try {
            decoded = l.decode(index);
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(l.file, "DICOM", e);
        }
        synchronized (cache) {
            cache.put(key, decoded);
        }
        return decoded;
    }

    /** The frame's index in its level, or -1 outside the grid. */
    private int frameIndex(int level, int column, int row) {
        if (closed || level < 0 || level >= levels.size()) {
            return -1;
        }
        Instance l = levels.get(level);
        SlideLevel s = metadata.levels().get(level);
        if (!l.jpeg || column < 0 || row < 0 || column >= s.columns() || row >= s.rows()) {
            return -1;
        }
        return row * l.across + column;
    }

    @Override
    public Optional<EncodedTile> encodedTile(int level, int column, int row) {
        int index = frameIndex(level, column, row);
        Instance l = index < 0 ? null : levels.get(level);
        if (l == null || l.passPrefix == null) {
            return Optional.empty();
        }
        try {
            int size = l.passSize(index);
            if (size >= 0) {
                byte[] out = new byte[size];
                if (l.readPassed(index, ByteBuffer.wrap(out))) {
                    return Optional.of(new EncodedTile(out, "image/jpeg", l.tileWidth, l.tileHeight));
                }
            }
            return JpegStreams.standalone(null, l.frame(index), l.photometric.equals("RGB") ? 0 : l.samples == 1 ? -1 : 1)
                    .map(b -> new EncodedTile(b, "image/jpeg", l.tileWidth, l.tileHeight));
        } catch (IOException e) {
            throw ImageFiles.failure(l.file, "DICOM", e);
        }
    }

    @Override
    public int encodedTileSize(int level, int column, int row) {
        int index = frameIndex(level, column, row);
        return index < 0 ? -1 : levels.get(level).passSize(index);
    }

    @Override
    public boolean readEncodedTile(int level, int column, int row, ByteBuffer into) {
        int index = frameIndex(level, column, row);
        if (index < 0 || levels.get(level).passSize(index) < 0) {
            return false;
        }
        try {
            return levels.get(level).readPassed(index, into);
        } catch (IOException e) {
            throw ImageFiles.failure(levels.get(level).file, "DICOM", e);
        }
    }

    @Override
    public BufferedImage associatedImage(String name) {
        Instance a = associated.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no associated image " + name + " in " + file + " (it has " + associatedImages() + ")");
        }
        BufferedImage image = new BufferedImage(a.width, a.height, BufferedImage.TYPE_INT_RGB);
        try {
            for (int ty = 0; ty * a.tileHeight < a.height; ty++) {
                for (int tx = 0; tx < a.across; tx++) {
                    int[] tile = a.decode(ty * a.across + tx);
                    int w = Math.min(a.tileWidth, a.width - tx * a.tileWidth);
                    int h = Math.min(a.tileHeight, a.height - ty * a.tileHeight);
                    image.setRGB(tx * a.tileWidth, ty * a.tileHeight, w, h, tile, 0, a.tileWidth);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(a.file, "DICOM", e);
        }
        return image;
    }

    @Override
    public void close() {
        closed = true;
        levels.forEach(Instance::close);
        associated.values().forEach(Instance::close);
        synchronized (cache) {
            cache.clear();
        }
    }

    @Override
    public String toString() {
        return file + " (DICOM WSI, " + width() + " x " + height() + ", " + levels.size() + " levels)";
    }
}
