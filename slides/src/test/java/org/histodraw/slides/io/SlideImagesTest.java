package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.histodraw.slides.io.TestImages.assertPattern;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.slides.openslide.OpenSlide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlideImagesTest {
    @TempDir
    Path dir;

    @Test
    void theReaderOfVendorFormatsIsNamedWithItsVersionOrWhyItIsMissing() {
        String reader = SlideImages.vendorFormatReader();
        if (OpenSlide.available()) {
            assertThat(reader).isEqualTo("OpenSlide " + OpenSlide.library().orElseThrow().version())
                    .matches("OpenSlide \\d+\\.\\d+\\.\\d+.*");
        } else {
            assertThat(reader).isEqualTo(OpenSlide.unavailableReason()).contains("apt-get install libopenslide0");
        }
    }

    @Test
    void tiledTiffRegionsHoldThePixelsWritten() throws IOException {
        Path file = dir.resolve("tiled.tif");
        TestImages.writeTiff(file, List.of(TestImages.patternImage(3000, 2000)), 256, "Deflate", 0);

        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.width()).isEqualTo(3000);
            assertThat(slide.height()).isEqualTo(2000);
            assertThat(slide.format()).isEqualTo("tiled TIFF");
            assertThat(slide.readsRegions()).isTrue();
            for (PixelRegion r : regionsAcrossTiles()) {
                assertPattern(slide.read(r), r.x(), r.y(), TestImages::pattern);
            }
        }
    }

    @Test
    void twelveMonkeysFallbackReadsTiledTiffInFullWidthBands() throws IOException {
        Path file = dir.resolve("tiled-lzw.tif");
        TestImages.writeTiff(file, List.of(TestImages.patternImage(1300, 900)), 256, "LZW", 0);
        ImageReaderSpi twelveMonkeys = provider(file, false);

        try (SlideImage slide = SlideImages.open(file, twelveMonkeys, SlideLimits.DEFAULT)) {
            assertThat(slide.readsRegions()).isTrue();
            for (PixelRegion r : List.of(new PixelRegion(0, 0, 256, 256), new PixelRegion(500, 200, 300, 200),
                    new PixelRegion(1250, 850, 50, 50), new PixelRegion(0, 512, 1300, 388))) {
                assertPattern(slide.read(r), r.x(), r.y(), TestImages::pattern);
            }
        }
    }

    @Test
    void gigapixelTiffIsReadARegionAtATimeWithoutDecodingTheWhole() throws IOException {
        // 80000 x 60000 RGB = 14.4 GB decoded and 4.8 Gpx, past the 2^31 pixels that the JDK's TIFF
        // reader accepts at all; surefire's heap is 2 GB, so a whole decode could not even start.
        Path file = dir.resolve("huge.tif");
        TestImages.writeSparseTiledTiff(file, 80_000, 60_000, 256);
        assertThat(Files.size(file)).isLessThan(1 << 20 << 2);

        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.width()).isEqualTo(80_000);
            assertThat(slide.height()).isEqualTo(60_000);
            for (PixelRegion r : List.of(new PixelRegion(71_000, 57_900, 700, 400), new PixelRegion(79_900, 59_950, 100, 50))) {
                assertPattern(slide.read(r), r.x(), r.y(), (x, y) -> TestImages.pattern(x % 256, y % 256));
            }
        }
    }

    @Test
    void bigTiffIsReadToo() throws IOException {
        Path file = dir.resolve("big.tif");
        TestImages.writeSparseTiledTiff(file, 5000, 3000, 512, true);

        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.width()).isEqualTo(5000);
            PixelRegion r = new PixelRegion(4000, 2500, 1000, 500);
            assertPattern(slide.read(r), r.x(), r.y(), (x, y) -> TestImages.pattern(x % 512, y % 512));
        }
    }

    @Test
    void everyCompressionOfTiledTiffGivesTheJdkReadersPixels() throws IOException {
        BufferedImage image = TestImages.patternImage(1000, 700);
        for (String compression : new String[] {null, "Deflate", "ZLib", "LZW", "PackBits", "JPEG"}) {
            Path file = dir.resolve("c-" + compression + ".tif");
            TestImages.writeTiff(file, List.of(image), 256, compression, 0);
            BufferedImage reference = ImageIO.read(file.toFile()); // whole decode by an ImageIO reader
            int tolerance = "JPEG".equals(compression) ? 3 : 0;   // YCbCr rounding differs slightly

            try (SlideImage slide = SlideImages.open(file)) {
                assertThat(slide.readsRegions()).as(String.valueOf(compression)).isTrue();
                PixelRegion r = new PixelRegion(200, 150, 700, 500);
                Raster px = slide.read(r);
                for (int y = 0; y < r.height(); y += 3) {
                    for (int x = 0; x < r.width(); x += 3) {
                        int want = reference.getRGB(r.x() + x, r.y() + y);
                        for (int c = 0; c < 3; c++) {
                            int expected = (want >> (16 - 8 * c)) & 0xff;
                            assertThat(Math.round(px.get(c, x, y) * 255))
                                    .as("%s at (%d, %d) channel %d", compression, r.x() + x, r.y() + y, c)
                                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
                        }
                    }
                }
            }
        }
    }

    @Test
    void tiledGrayAndRgbaTiffAreConverted() throws IOException {
        BufferedImage gray = new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(290, 10, 0, 51);
        Path grayFile = dir.resolve("gray.tif");
        TestImages.writeTiff(grayFile, List.of(gray), 256, "Deflate", 0);
        try (SlideImage slide = SlideImages.open(grayFile)) {
            Raster px = slide.read(new PixelRegion(290, 10, 1, 1));
            assertThat(new float[] {px.get(0, 0, 0), px.get(1, 0, 0), px.get(2, 0, 0)}).containsOnly(0.2f);
        }

        BufferedImage rgba = new BufferedImage(300, 300, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.setRGB(280, 280, 0x80FF0000);
        Path rgbaFile = dir.resolve("rgba.tif");
        TestImages.writeTiff(rgbaFile, List.of(rgba), 256, null, 0);
        try (SlideImage slide = SlideImages.open(rgbaFile)) {
            Raster px = slide.read(new PixelRegion(279, 280, 2, 1));
            assertThat(px.get(0, 0, 0)).isEqualTo(1f);          // transparent black: white
            assertThat(px.get(1, 0, 0)).isEqualTo(1f);
            assertThat(px.get(0, 1, 0)).isEqualTo(1f);          // half red: pink
            assertThat(px.get(1, 1, 0)).isCloseTo(1 - 128 / 255f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void imagesAboveThePixelLimitAreRefusedBeforeDecoding() throws IOException {
        Path file = dir.resolve("bomb.tif");
        TestImages.writeSparseTiledTiff(file, 100_000, 100_000, 1024); // 10 Gpx > 2^33

        assertThatThrownBy(() -> SlideImages.open(file))
                .isInstanceOf(SlideException.class)
                .hasMessageStartingWith("image too large: " + file)
                .hasMessageContaining("100000 x 100000")
                .hasMessageContaining("limit of 8.6 Gpx");
    }

    @Test
    void pngTooLargeToDecodeWholeGetsAClearMessage() throws IOException {
        Path file = dir.resolve("huge.png");
        Files.write(file, headerOnlyPng(30_000, 30_000)); // 900 Mpx claimed; decoding never starts

        assertThatThrownBy(() -> SlideImages.open(file))
                .isInstanceOf(SlideException.class)
                .hasMessageStartingWith("too large to decode whole: " + file)
                .hasMessageContaining("PNG of 30000 x 30000 = 900 Mpx")
                .hasMessageContaining("tiled TIFF");
    }

    @Test
    void wholeImageLimitIsConfigurable() throws IOException {
        Path file = dir.resolve("small.png");
        ImageIO.write(TestImages.patternImage(100, 50), "png", file.toFile());

        assertThatThrownBy(() -> SlideImages.open(file, SlideLimits.DEFAULT.withMaxWholeImagePixels(4999)))
                .hasMessageContaining("above the limit");
        try (SlideImage slide = SlideImages.open(file, SlideLimits.DEFAULT.withMaxWholeImagePixels(5000))) {
            assertThat(slide.readsRegions()).isFalse();
            assertPattern(slide.read(new PixelRegion(10, 20, 90, 30)), 10, 20, TestImages::pattern);
        }
    }

    @Test
    void pyramidalTiffIsReadAtItsLargestLevel() throws IOException {
        Path file = dir.resolve("pyramid.tif");
        BufferedImage thumbnail = TestImages.patternImage(150, 100);
        BufferedImage level0 = TestImages.patternImage(1200, 800);
        BufferedImage level1 = TestImages.patternImage(600, 400);
        TestImages.writeTiff(file, List.of(thumbnail, level0, level1), 256, "Deflate", 0);

        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.width()).isEqualTo(1200);
            assertThat(slide.height()).isEqualTo(800);
            assertPattern(slide.read(new PixelRegion(700, 500, 500, 300)), 700, 500, TestImages::pattern);
        }
    }

    @Test
    void tiffInOneBigStripIsDecodedWhole() throws IOException {
        Path file = dir.resolve("one-strip.tif");
        BufferedImage img = TestImages.patternImage(3000, 2000);
        // TwelveMonkeys writes a single strip: no random access into it.
        javax.imageio.ImageWriter writer = null;
        for (Iterator<javax.imageio.ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            javax.imageio.ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.twelvemonkeys")) {
                writer = w;
            }
        }
        assertThat(writer).isNotNull();
        try (var out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(img);
        }

        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.readsRegions()).isFalse();
            assertPattern(slide.read(new PixelRegion(2500, 1500, 500, 500)), 2500, 1500, TestImages::pattern);
        }
    }

    @Test
    void parallelReadsFromManyThreadsGiveTheRightPixels() throws Exception {
        Path file = dir.resolve("shared.tif");
        TestImages.writeTiff(file, List.of(TestImages.patternImage(2048, 1024)), 256, null, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SlideImage slide = SlideImages.open(file, SlideLimits.DEFAULT.withMaxReaders(2))) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                PixelRegion r = new PixelRegion((i * 97) % 1800, (i * 61) % 800, 200, 200);
                futures.add(pool.submit(() -> {
                    assertPattern(slide.read(r), r.x(), r.y(), TestImages::pattern);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void grayscaleSixteenBitPaletteAndAlphaImagesBecomeRgbInUnitRange() throws IOException {
        BufferedImage gray = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 51, 204, 255});
        assertThat(rgbOf("gray.png", gray, 2)).containsExactly(0.8f, 0.8f, 0.8f);

        BufferedImage gray16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 13107, 65535, 32768});
        assertThat(rgbOf("gray16.png", gray16, 1)).containsExactly(0.2f, 0.2f, 0.2f);

        byte[] r = {0, (byte) 200}, g = {0, 100}, b = {0, 50};
        BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new java.awt.image.IndexColorModel(8, 2, r, g, b));
        palette.getRaster().setSample(1, 0, 0, 1);
        assertThat(rgbOf("palette.png", palette, 1)).containsExactly(200 / 255f, 100 / 255f, 50 / 255f);

        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00000000);            // fully transparent black -> white
        rgba.setRGB(1, 0, 0x80FF0000);            // half-transparent red -> pink
        assertThat(rgbOf("rgba.png", rgba, 0)).containsExactly(1f, 1f, 1f);
        float half = 128 / 255f;
        float[] pink = rgbOf("rgba.png", rgba, 1);
        assertThat(pink[0]).isEqualTo(1f);
        assertThat(pink[1]).isCloseTo(1 - half, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(pink[2]).isCloseTo(1 - half, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void jpegIsDecodedWithinCompressionError() throws IOException {
        Path file = dir.resolve("smooth.jpg");
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 128);
            }
        }
        ImageIO.write(img, "jpg", file.toFile());
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.format()).isEqualTo("JPEG");
            Raster px = slide.read(new PixelRegion(32, 16, 1, 1));
            assertThat(px.get(0, 0, 0)).isCloseTo(128 / 255f, org.assertj.core.data.Offset.offset(0.04f));
            assertThat(px.get(1, 0, 0)).isCloseTo(64 / 255f, org.assertj.core.data.Offset.offset(0.04f));
        }
    }

    @Test
    void unreadableFilesFailWithTheFileAndTheProblem() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a picture\n");
        assertThatThrownBy(() -> SlideImages.open(notes))
                .isInstanceOf(SlideException.class)
                .hasMessage("not an image we can read: " + notes + " (expected PNG, JPEG or TIFF)");

        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> SlideImages.open(missing)).hasMessage("no such file: " + missing);

        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> SlideImages.open(empty)).hasMessage("empty file: " + empty);

        assertThatThrownBy(() -> SlideImages.open(dir)).hasMessageStartingWith("a folder, not an image file");
    }

    @Test
    void truncatedPngAndJpegAreReportedAsTruncated() throws IOException {
        Path png = dir.resolve("cut.png");
        ImageIO.write(TestImages.patternImage(300, 300), "png", png.toFile());
        cutInHalf(png);
        assertThatThrownBy(() -> SlideImages.open(png))
                .isInstanceOf(SlideException.class)
                .hasMessageStartingWith("truncated PNG: " + png);

        Path jpg = dir.resolve("cut.jpg");
        ImageIO.write(TestImages.patternImage(300, 300), "jpg", jpg.toFile());
        cutInHalf(jpg);
        assertThatThrownBy(() -> SlideImages.open(jpg))
                .isInstanceOf(SlideException.class)
                .hasMessageStartingWith("truncated JPEG: " + jpg);

        Path tif = dir.resolve("cut.tif");
        TestImages.writeTiff(tif, List.of(TestImages.patternImage(600, 600)), 256, null, 0);
        cutInHalf(tif);
        assertThatThrownBy(() -> {
            try (SlideImage slide = SlideImages.open(tif)) {
                slide.read(new PixelRegion(0, 0, 600, 600));
            }
        }).isInstanceOf(SlideException.class).hasMessageContaining("TIFF: " + tif);
    }

    @Test
    void regionsOutsideTheImageAreRejected() throws IOException {
        Path file = dir.resolve("p.png");
        ImageIO.write(TestImages.patternImage(100, 100), "png", file.toFile());
        try (SlideImage slide = SlideImages.open(file)) {
            assertThatThrownBy(() -> slide.read(new PixelRegion(50, 50, 51, 10)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inside level 0 (100 x 100)");
        }
    }

    @Test
    void realHistologyPngMatchesImageIo() throws IOException {
        Path file = SharedData.file("gbm-nuclei/01.png");
        BufferedImage reference = ImageIO.read(file.toFile());
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.width()).isEqualTo(512);
            Raster r = slide.read(new PixelRegion(100, 200, 64, 32));
            assertPattern(r, 100, 200, (x, y) -> reference.getRGB(x, y) & 0xffffff);
        }
    }

    private static List<PixelRegion> regionsAcrossTiles() {
        return List.of(
                new PixelRegion(0, 0, 256, 256),
                new PixelRegion(1000, 700, 300, 200),   // straddles four tiles
                new PixelRegion(2900, 1900, 100, 100),  // the ragged bottom-right tile
                new PixelRegion(255, 255, 2, 2),
                new PixelRegion(0, 1536, 3000, 464));   // a full-width strip
    }

    private float[] rgbOf(String name, BufferedImage image, int x) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
        }
        try (SlideImage slide = SlideImages.open(file)) {
            Raster px = slide.read(new PixelRegion(x, 0, 1, 1));
            return new float[] {px.get(0, 0, 0), px.get(1, 0, 0), px.get(2, 0, 0)};
        }
    }

    private static void cutInHalf(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** A PNG signature and IHDR claiming the given size, then IEND: enough for a reader to see the size. */
    static byte[] headerOnlyPng(int width, int height) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        var data = new java.io.DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        var ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
        chunk(data, "IHDR", ihdr);
        chunk(data, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(java.io.DataOutputStream out, String type, byte[] body) throws IOException {
        var crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(body);
        out.writeInt(body.length);
        out.writeBytes(type);
        out.write(body);
        out.writeInt((int) crc.getValue());
    }

    /** The JDK's (true) or TwelveMonkeys' (false) reader for the file. */
    static ImageReaderSpi provider(Path file, boolean jdk) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
                ImageReaderSpi spi = it.next().getOriginatingProvider();
                if (spi.getClass().getName().startsWith("com.sun.imageio.") == jdk) {
                    return spi;
                }
            }
        }
        throw new IllegalStateException("no such reader for " + file);
    }
}
