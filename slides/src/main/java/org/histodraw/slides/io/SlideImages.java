package org.histodraw.slides.io;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.slides.openslide.OpenSlide;
import org.histodraw.slides.openslide.OpenSlideException;
import org.histodraw.slides.openslide.OpenSlideFile;

/**
 * Opens slide images: {@code SlideImages.open(Path.of("slide.svs"))}, the one door every caller
 * uses (segment, ingest, the server, the service, Spark). It recognises the format from the file's
 * content (and, for multi-file formats, its name), checks the structure and the size against
 * {@link SlideLimits} before decoding anything, chooses the reader, reads a few tiles of every level
 * (so a file whose pixels are damaged fails here, not half-way through a job), and turns every
 * failure into a {@link SlideException} naming the file and the problem.
 *
 * <p>Which reader wins (see docs/decisions.md):
 * <ol>
 *   <li>TIFF structure first, by our own parser: a directory chain that loops, absurd counts or sizes,
 *       pointers past the end of the file are refused at once, before any other reader (ImageIO's
 *       hang on a looping chain) sees the file;</li>
 *   <li>vendor formats OpenSlide recognises (Aperio SVS, NDPI, MIRAX, SCN, Philips, BIF...) through
 *       OpenSlide; refused, with how to install it, where the library is absent;</li>
 *   <li>tiled TIFF of 8-bit samples in the compressions {@link TiledTiff} decodes (none, LZW,
 *       Deflate, PackBits, JPEG): that pure-Java reader, which also hands out stored JPEG tiles;</li>
 *   <li>other generic tiled TIFF OpenSlide reads (ZSTD, WebP tiles): OpenSlide;</li>
 *   <li>DICOM whole-slide images (a {@code .dcm} file with its series beside it, or a folder of one
 *       series): {@link DicomSlide}, our own reader;</li>
 *   <li>JPEG 2000 in a generic TIFF and unknown TIFF compressions: refused with the reason;</li>
 *   <li>PNG, JPEG and the remaining TIFF (strips, 16-bit, palette): ImageIO.</li>
 * </ol>
 */
public final class SlideImages {
    /** TIFF tiles or strips up to this many pixels are decoded per region; larger ones whole. */
    static final long MAX_REGION_BLOCK_PIXELS = 4L << 20;
    /** Formats of several files, or named by extension only: OpenSlide's, refused without it. */
    private static final List<String> OPENSLIDE_ONLY_EXTENSIONS = List.of(".ndpi", ".vms", ".vmu", ".mrxs", ".scn",
            ".bif", ".svslide");

    private SlideImages() {
    }

    public static SlideImage open(Path file) {
        return open(file, SlideLimits.DEFAULT);
    }

    public static SlideImage open(Path file, SlideLimits limits) {
        SlideImage image = openUnchecked(file, limits);
        try {
            checkSize(file, image, limits);
            readSomeTiles(image);
            return image;
        } catch (RuntimeException e) {
            image.close();
            throw e instanceof SlideException ? e : ImageFiles.failure(file, image.format(), e);
        }
    }

    /** Whether OpenSlide is loaded in this process (vendor formats need it). */
    public static boolean openSlideAvailable() {
        return OpenSlide.available();
    }

    /**
     * What reads vendor formats, loading it now if it was not (a few hundred milliseconds once per
     * process): "OpenSlide 3.4.1", or why those formats are refused, with how to install it.
     */
    public static String vendorFormatReader() {
        return OpenSlide.available() ? "OpenSlide " + openSlideVersion() : OpenSlide.unavailableReason();
    }

    private static SlideImage openUnchecked(Path file, SlideLimits limits) {
        if (java.nio.file.Files.isDirectory(file)) {
            return DicomSlide.open(file, limits); // the one format that is a folder: a DICOM series
        }
        ImageFiles.checkReadable(file);
        byte[] head = ImageFiles.head(file, 132);
        if (DicomFile.isDicom(head)) {
            return DicomSlide.open(file, limits);
        }
        boolean tiffHeader = head.length >= 4 && (head[0] == 'I' && head[1] == 'I' || head[0] == 'M' && head[1] == 'M');
        if (tiffHeader) {
            Optional<SlideImage> tiff = openTiff(file, limits);
            if (tiff.isPresent()) {
                return tiff.get();
            }
        } else if (!plainImage(head)) {
            Optional<SlideImage> vendor = openVendor(file, Optional.empty());
            if (vendor.isPresent()) {
                return vendor.get();
            }
        } else if (PngDecoder.isPng(head)) {
            Optional<OwnPng> png = ownPng(file, limits, true);
            if (png.isPresent()) {
                return new ImageIoSlide(file, "PNG", png.get().micronsPerPixel(), new WholeImage(png.get().image()));
            }
        }
        return openWithImageIo(file, limits);
    }

    /** A PNG decoded without ImageIO, and the pixel size its pHYs chunk gives. */
    private record OwnPng(BufferedImage image, Optional<Double> micronsPerPixel) {
    }

    /**
     * A PNG that {@link PngDecoder} reads, decoded without ImageIO, whose registry, probe and
     * metadata cost a cold run 0.2-0.3 s before our decoder read the file again; the same image,
     * format name and pixel size as ImageIO's path gives, and the same size limits ({@code slide}:
     * also the limit of a slide's pixels). Empty for any other PNG and for a damaged one: ImageIO's
     * path then reads it, or refuses it naming the damage, as before.
     */
    private static Optional<OwnPng> ownPng(Path file, SlideLimits limits, boolean slide) {
        PngDecoder.Facts facts;
        try {
            facts = PngDecoder.facts(file);
        } catch (IOException e) {
            return Optional.empty(); // ImageIO's path says what is wrong, as for every damaged image
        }
        if (!facts.decodable() || facts.describedInText()) {
            return Optional.empty();
        }
        if (slide) {
            checkPixels(file, facts.width(), facts.height(), limits);
        }
        checkWholeSize(file, "PNG", facts.width(), facts.height(), limits);
        try {
            return Optional.ofNullable(PngDecoder.decode(file, facts.width(), facts.height()))
                    .map(image -> new OwnPng(image, facts.micronsPerPixel()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A PNG or JPEG file by its first bytes: never a vendor slide (OpenSlide reads neither), so
     * OpenSlide is not asked, nor loaded (its first use in a process costs 0.2-0.5 s).
     */
    private static boolean plainImage(byte[] head) {
        boolean jpeg = head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff;
        return jpeg || PngDecoder.isPng(head);
    }

    /** TIFF and the TIFF-based vendor formats; empty for TIFF that ImageIO should read (strips...). */
    private static Optional<SlideImage> openTiff(Path file, SlideLimits limits) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SlideException(file, "cannot read", e);
        }
        boolean handedOver = false;
        try {
            List<TiffDirectory> dirs;
            try {
                dirs = TiffDirectory.readAll(channel);
            } catch (TiffDirectory.Malformed e) {
                throw new Refused(file, "corrupt TIFF", e.getMessage());
            } catch (IOException e) {
                throw new Refused(file, ImageFiles.failure(file, "TIFF", e).getMessage().startsWith("truncated")
                        ? "truncated TIFF" : "corrupt TIFF", e.getMessage());
            }
            if (dirs.isEmpty()) {
                throw new Refused(file, "corrupt TIFF", "no image directory");
            }
            if (ChannelTiff.wants(dirs)) {
                // 16-bit, float and multi-channel pixels: read right by our reader or refused with the
                // reason, never handed to a reader that would show them wrong (all white, one plane)
                TiffDirectory first = dirs.get(0);
                Optional<String> problem = ChannelTiff.unsupported(first);
                if (problem.isPresent()) {
                    throw new Refused(file, "unsupported pixels", problem.get());
                }
                try {
                    for (TiffDirectory d : dirs) {
                        TiledTiff.checkPlausible(d);
                    }
                    SlideImage image = ChannelTiff.open(file, channel, dirs);
                    handedOver = true;
                    return Optional.of(image);
                } catch (TiffDirectory.Malformed e) {
                    throw new Refused(file, "unsupported pixels", e.getMessage());
                } catch (IOException e) {
                    throw new Refused(file, "truncated TIFF", e.getMessage());
                }
            }
            Optional<TiledTiff> ours;
            try {
                ours = TiledTiff.open(file, channel, dirs);
            } catch (SlideException e) {
                throw new Refused(file, e.getMessage().startsWith("truncated") ? "truncated TIFF" : "corrupt TIFF",
                        e.getMessage().replace(": " + file, "").replace(String.valueOf(file), "the file"));
            }
            handedOver = ours.isPresent();
            TiffDirectory main = largest(dirs);
            String description = String.valueOf(main.text(TiffDirectory.IMAGE_DESCRIPTION));
            boolean vendorLike = description.startsWith("Aperio") || main.has(TiffDirectory.NDPI_FORMAT_FLAG)
                    || description.contains("<scn") || OPENSLIDE_ONLY_EXTENSIONS.stream().anyMatch(e -> lowerName(file).endsWith(e));
            Optional<OpenSlide> lib = OpenSlide.library();
            if (lib.isPresent()) {
                Optional<String> vendor = lib.get().detectVendor(file);
                if (vendor.isPresent() && !vendor.get().equals("generic-tiff")) {
                    return openVendor(file, ours);
                }
                if (ours.isPresent()) {
                    return Optional.of(ours.get());
                }
                if (vendor.isPresent()) {
                    try {
                        return openVendor(file, Optional.empty());
                    } catch (Refused e) {
                        // OpenSlide took it for a generic TIFF but cannot read it: the checks below say why
                    }
                }
            } else if (vendorLike) {
                ours.ifPresent(TiledTiff::close);
                throw new Refused(file, "a vendor slide format that needs OpenSlide", OpenSlide.unavailableReason());
            } else if (ours.isPresent()) {
                return Optional.of(ours.get());
            }
            long compression = main.number(TiffDirectory.COMPRESSION, 1);
            if (TiffCompressions.isJpeg2000(compression)) {
                throw new Refused(file, "TIFF compression " + TiffCompressions.describe(compression)
                        + " in a generic TIFF is not supported", "OpenSlide " + openSlideVersion()
                        + " decodes JPEG 2000 only inside Aperio SVS files (compression 33003/33005), and no maintained "
                        + "Java library decodes it; save the slide with JPEG, Deflate or LZW tiles (e.g. vips tiffsave in.tif "
                        + "out.tif --tile --pyramid --compression jpeg)");
            }
            if (!IMAGEIO_TIFF_COMPRESSIONS.contains(compression)) {
                throw new Refused(file, "TIFF compression " + TiffCompressions.describe(compression) + " is not supported",
                        (lib.isPresent() ? "OpenSlide " + openSlideVersion() + " does not read it either" : OpenSlide.unavailableReason())
                                + "; HistoDraw reads none, LZW, Deflate, PackBits and JPEG"
                                + (lib.isPresent() ? ", and through OpenSlide ZSTD and WebP tiles" : ""));
            }
            return Optional.empty();
        } finally {
            if (!handedOver) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    private static final java.util.Set<Long> IMAGEIO_TIFF_COMPRESSIONS = java.util.Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L,
            32773L, 32946L);

    /** A format OpenSlide recognises, through OpenSlide; empty when it does not (or is absent). */
    private static Optional<SlideImage> openVendor(Path file, Optional<TiledTiff> storedTiles) {
        Optional<OpenSlide> lib = OpenSlide.library();
        if (lib.isEmpty()) {
            if (OPENSLIDE_ONLY_EXTENSIONS.stream().anyMatch(e -> lowerName(file).endsWith(e))) {
                throw new Refused(file, "a vendor slide format that needs OpenSlide", OpenSlide.unavailableReason());
            }
            return Optional.empty();
        }
        try {
            Optional<String> vendor = lib.get().detectVendor(file);
            if (vendor.isEmpty()) {
                storedTiles.ifPresent(TiledTiff::close);
                return Optional.empty();
            }
            Optional<OpenSlideFile> slide;
            try {
                slide = lib.get().open(file);
            } catch (OpenSlideException e) {
                throw new Refused(file, "OpenSlide cannot open this " + OpenSlideImage.formatName(vendor.get(), file) + " file",
                        e.getMessage());
            }
            if (slide.isEmpty()) {
                throw new Refused(file, "OpenSlide cannot open this " + OpenSlideImage.formatName(vendor.get(), file) + " file",
                        "it recognises the format but opens nothing");
            }
            try {
                return Optional.of(new OpenSlideImage(file, slide.get(), vendor.get(), storedTiles));
            } catch (RuntimeException e) {
                slide.get().close();
                throw new Refused(file, "OpenSlide cannot read the structure of this " + OpenSlideImage.formatName(vendor.get(), file)
                        + " file", String.valueOf(e.getMessage()));
            }
        } catch (RuntimeException e) {
            storedTiles.ifPresent(TiledTiff::close);
            throw e;
        }
    }

    private static SlideImage openWithImageIo(Path file, SlideLimits limits) {
        List<SlideException> failures = new ArrayList<>();
        List<ImageReaderSpi> providers = ImageFiles.providers(file);
        for (ImageReaderSpi provider : providers) {
            try {
                return open(file, provider, limits);
            } catch (TooLarge e) {
                throw e;
            } catch (Unsuitable e) {
                failures.add(e);
            } catch (SlideException e) {
                failures.add(0, e); // a real decoding failure says more than "not this reader"
            }
        }
        throw failures.get(0);
    }

    /**
     * Refuses a TIFF whose structure no reader should follow (ImageIO's readers spin forever on a
     * directory chain that loops) before one of them sees it.
     */
    static void checkTiffStructure(Path file) {
        byte[] head = ImageFiles.head(file, 4);
        if (head.length < 4 || !(head[0] == 'I' && head[1] == 'I' || head[0] == 'M' && head[1] == 'M')) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (TiffDirectory d : TiffDirectory.readAll(channel)) {
                TiledTiff.checkPlausible(d);
            }
        } catch (TiffDirectory.Malformed e) {
            throw new Refused(file, "corrupt TIFF", e.getMessage());
        } catch (IOException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        }
    }

    private static TiffDirectory largest(List<TiffDirectory> dirs) {
        TiffDirectory best = dirs.get(0);
        for (TiffDirectory d : dirs) {
            if (d.width() * d.height() > best.width() * best.height()) {
                best = d;
            }
        }
        return best;
    }

    private static String lowerName(Path file) {
        return file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String openSlideVersion() {
        return OpenSlide.library().map(OpenSlide::version).orElse("3.4.1");
    }

    private static void checkSize(Path file, SlideImage image, SlideLimits limits) {
        long pixels = (long) image.width() * image.height();
        if (pixels > limits.maxPixels()) {
            throw new TooLarge(file, "image too large", image.width() + " x " + image.height() + " = "
                    + SlideLimits.megapixels(pixels) + ", above the limit of " + SlideLimits.megapixels(limits.maxPixels()));
        }
    }

    /**
     * Reads the first, middle and last tile of every level: a file whose tiles are damaged (OpenSlide
     * opens some such files and fails only on their pixels) is refused at open.
     */
    static void readSomeTiles(SlideImage image) {
        List<SlideLevel> levels = image.levels();
        for (int i = 0; i < levels.size(); i++) {
            SlideLevel l = levels.get(i);
            if (!image.readsRegions() && i > 0) {
                break;
            }
            int columns = l.columns(), rows = l.rows();
            long[] picks = {0, (long) (rows / 2) * columns + columns / 2, (long) rows * columns - 1};
            for (long pick : picks) {
                int column = (int) (pick % columns), row = (int) (pick / columns);
                int tw = Math.min(l.tileWidth(), 1024), th = Math.min(l.tileHeight(), 1024);
                int x = column * l.tileWidth(), y = row * l.tileHeight();
                PixelRegion r = new PixelRegion(x, y, Math.min(tw, l.width() - x), Math.min(th, l.height() - y));
                if (!r.isEmpty()) {
                    image.readArgb(i, r);
                }
            }
        }
    }

    /**
     * Opens the file whole, for readers of small images such as label images: fails when the image is
     * above {@link SlideLimits#maxWholeImagePixels()}.
     */
    static Decoded decodeWhole(Path file, SlideLimits limits) {
        ImageFiles.checkReadable(file);
        if (PngDecoder.isPng(ImageFiles.head(file, 8))) {
            Optional<OwnPng> png = ownPng(file, limits, false);
            if (png.isPresent()) {
                return new Decoded("PNG", png.get().image());
            }
        }
        checkTiffStructure(file);
        List<SlideException> failures = new ArrayList<>();
        for (ImageReaderSpi provider : ImageFiles.providers(file)) {
            String format = ImageFiles.formatName(provider);
            ImageReader reader = null;
            try {
                reader = ImageFiles.openReader(file, provider);
                int level = largestImage(reader, format);
                checkWholeSize(file, format, reader.getWidth(level), reader.getHeight(level), limits);
                return new Decoded(format, decode(file, format, reader, level));
            } catch (TooLarge e) {
                throw e;
            } catch (SlideException e) {
                failures.add(e);
            } catch (IOException | RuntimeException e) {
                failures.add(ImageFiles.failure(file, format, e));
            } finally {
                ImageFiles.closeQuietly(reader);
            }
        }
        throw failures.get(0);
    }

    record Decoded(String format, BufferedImage image) {
    }

    /**
     * What a file is, checked without decoding any image that has to be decoded whole.
     *
     * @param decodedWhole true for images without random access (PNG, JPEG, TIFF in one strip): the
     *                     header and the size limits are checked, the pixels not yet
     */
    public record Probe(String format, int width, int height, boolean decodedWhole) {
    }

    /**
     * Checks a file as {@link #open} does, but stops before decoding an image that has no random access
     * (a server checks such uploads from their headers and decodes them on its bounded ingest worker).
     * Files read by regions are opened, checked (a few tiles of each level read) and closed.
     */
    public static Probe probe(Path file, SlideLimits limits) {
        Checked checked = check(file, limits);
        checked.image().ifPresent(SlideImage::close);
        return checked.probe();
    }

    /**
     * A file checked as {@link #probe} checks it, with the slide left open when it reads regions (the
     * caller closes it), so registering a slide opens it once.
     */
    public record Checked(Probe probe, Optional<SlideImage> image) {
    }

    /** As {@link #probe}, keeping the slide open when it reads regions. */
    public static Checked check(Path file, SlideLimits limits) {
        if (java.nio.file.Files.isDirectory(file)) {
            SlideImage folder = open(file, limits);
            return new Checked(new Probe(folder.format(), folder.width(), folder.height(), false), Optional.of(folder));
        }
        ImageFiles.checkReadable(file);
        byte[] head = ImageFiles.head(file, 132);
        boolean tiff = head.length >= 4 && (head[0] == 'I' && head[1] == 'I' || head[0] == 'M' && head[1] == 'M');
        boolean dicom = DicomFile.isDicom(head);
        boolean imageIoOnly = !tiff && !dicom
                && (plainImage(head) || OpenSlide.library().isEmpty() || OpenSlide.library().get().detectVendor(file).isEmpty())
                && OPENSLIDE_ONLY_EXTENSIONS.stream().noneMatch(e -> lowerName(file).endsWith(e));
        if (imageIoOnly) {
            List<SlideException> failures = new ArrayList<>();
            for (ImageReaderSpi provider : ImageFiles.providers(file)) {
                try {
                    Object opened = open(file, provider, limits, true);
                    if (opened instanceof Probe p) {
                        return new Checked(p, Optional.empty());
                    }
                    SlideImage image = (SlideImage) opened;
                    return new Checked(new Probe(image.format(), image.width(), image.height(), false), Optional.of(image));
                } catch (TooLarge e) {
                    throw e;
                } catch (Unsuitable e) {
                    failures.add(e);
                } catch (SlideException e) {
                    failures.add(0, e);
                }
            }
            throw failures.get(0);
        }
        SlideImage image = open(file, limits);
        boolean whole = !image.readsRegions();
        Probe probe = new Probe(image.format(), image.width(), image.height(), whole);
        if (whole) {
            image.close();
            return new Checked(probe, Optional.empty());
        }
        return new Checked(probe, Optional.of(image));
    }

    /** Opens with one given reader (tests use it to exercise the TwelveMonkeys fallback). */
    static SlideImage open(Path file, ImageReaderSpi provider, SlideLimits limits) {
        return (SlideImage) open(file, provider, limits, false);
    }

    /** A SlideImage, or a Probe when {@code probeOnly} and the image would be decoded whole. */
    private static Object open(Path file, ImageReaderSpi provider, SlideLimits limits, boolean probeOnly) {
        String format = ImageFiles.formatName(provider);
        if ("TIFF".equals(format)) {
            checkTiffStructure(file);
        }
        ImageReader reader = null;
        try {
            reader = ImageFiles.openReader(file, provider);
            int level = largestImage(reader, format);
            int width = reader.getWidth(level);
            int height = reader.getHeight(level);
            long pixels = (long) width * height;
            checkPixels(file, width, height, limits);
            if (ImageFiles.isJdk(provider) && pixels > Integer.MAX_VALUE) {
                // javax.imageio.ImageReader.getDestination refuses any read, even of a small source
                // region, once the whole image exceeds 2^31 pixels.
                throw new Unsuitable(file, "the JDK's " + format + " reader cannot read images above 2^31 pixels");
            }
            Optional<Double> mpp = PixelSizes.micronsPerPixel(reader, level);
            long block = (long) reader.getTileWidth(level) * reader.getTileHeight(level);
            if ("TIFF".equals(format) && block <= MAX_REGION_BLOCK_PIXELS) {
                boolean bands = !ImageFiles.isJdk(provider) && reader.isImageTiled(level);
                RegionReaders regions = new RegionReaders(file, provider, level, width, height, bands,
                        reader.getTileHeight(level), limits.maxReaders(), reader);
                reader = null; // now owned by the pool
                SlideImage image = new ImageIoSlide(file, format, mpp, regions);
                try {
                    image.read(new PixelRegion(0, 0, 1, 1)); // fail at open, not half-way through a job
                } catch (RuntimeException e) {
                    image.close();
                    throw e;
                }
                return image;
            }
            checkWholeSize(file, format, width, height, limits);
            if (probeOnly) {
                return new Probe(format, width, height, true);
            }
            BufferedImage whole = decode(file, format, reader, level);
            return new ImageIoSlide(file, format, mpp, new WholeImage(whole));
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(file, format, e);
        } finally {
            ImageFiles.closeQuietly(reader);
        }
    }

    private static void checkPixels(Path file, int width, int height, SlideLimits limits) {
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new TooLarge(file, "image too large", width + " x " + height + " = " + SlideLimits.megapixels(pixels)
                    + ", above the limit of " + SlideLimits.megapixels(limits.maxPixels()));
        }
    }

    private static void checkWholeSize(Path file, String format, int width, int height, SlideLimits limits) {
        long pixels = (long) width * height;
        if (pixels > limits.maxWholeImagePixels()) {
            throw new TooLarge(file, "too large to decode whole", format + " of " + width + " x " + height + " = "
                    + SlideLimits.megapixels(pixels) + ", above the limit of " + SlideLimits.megapixels(limits.maxWholeImagePixels())
                    + " for images without tiles; save it as a tiled TIFF, e.g. vips tiffsave in.png out.tif --tile --pyramid");
        }
    }

    /**
     * A whole level: most PNGs (8-bit grey or colour) by our own {@link PngDecoder}, the same
     * pixels in a fraction of ImageIO's time (0.3 s against 0.6 s for a 4096 x 4096 RGB PNG, cold),
     * every other image by ImageIO.
     */
    private static BufferedImage decode(Path file, String format, ImageReader reader, int level) throws IOException {
        BufferedImage png = "PNG".equals(format) ? PngDecoder.decode(file, reader.getWidth(level), reader.getHeight(level)) : null;
        return png != null ? png : read(file, format, reader, level);
    }

    /** Reads a whole level, failing on truncation that the reader reports only as a warning (JPEG). */
    private static BufferedImage read(Path file, String format, ImageReader reader, int level) throws IOException {
        List<String> truncations = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (ImageFiles.mentionsTruncation(warning)) {
                truncations.add(warning);
            }
        });
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(0, 0, reader.getWidth(level), reader.getHeight(level)));
        BufferedImage image = reader.read(level, param);
        if (!truncations.isEmpty()) {
            throw new SlideException(file, "truncated " + format, truncations.get(0));
        }
        return image;
    }

    /** Level 0 of a pyramid: the largest image in the file (thumbnails and label images are smaller). */
    private static int largestImage(ImageReader reader, String format) throws IOException {
        if (!"TIFF".equals(format)) {
            return 0;
        }
        int count = reader.getNumImages(true);
        int best = 0;
        long bestArea = -1;
        for (int i = 0; i < count; i++) {
            long area = (long) reader.getWidth(i) * reader.getHeight(i);
            if (area > bestArea) {
                best = i;
                bestArea = area;
            }
        }
        return best;
    }

    /** This reader cannot serve the file; the next one is tried. */
    static final class Unsuitable extends SlideException {
        Unsuitable(Path file, String problem) {
            super(file, problem);
        }
    }

    /** A file refused for what it is (structure, format, compression): no other reader is tried. */
    static final class Refused extends SlideException {
        Refused(Path file, String problem, String detail) {
            super(file, problem, detail);
        }
    }

    /** A size-limit failure: another reader would say the same, so no fallback is tried. */
    static final class TooLarge extends SlideException {
        TooLarge(Path file, String problem, String detail) {
            super(file, problem, detail);
        }
    }
}
