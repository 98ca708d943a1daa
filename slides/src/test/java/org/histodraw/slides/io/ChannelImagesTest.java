package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureKind;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.features.Normalisation;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.display.DisplaySettings;
import org.histodraw.slides.display.ImageChannel;
import org.histodraw.slides.pipeline.AnalysisSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16-bit, float and multi-channel images read right (original values for analysis, a display range
 * for the eyes) or refused with the reason: never all white, never only the first plane.
 */
class ChannelImagesTest {
    @TempDir
    Path dir;

    /** A float image whose values run 0..3 across (a ratio or a processed intensity, as ImageJ saves them). */
    private static double ramp(int s, int x, int y) {
        return x / 100.0 + (y % 2) * 0.001;
    }

    @Test
    void aFloat32TiffKeepsItsValuesAndIsShownThroughItsOwnRangeNotAllWhite() throws IOException {
        Path file = dir.resolve("ratio.tif");
        TestTiff.write(file, ByteOrder.LITTLE_ENDIAN, List.of(TestTiff.Page.grey(300, 200, 32, 3, ChannelImagesTest::ramp)));
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.rgb()).isFalse();
            assertThat(slide.channels()).containsExactly(new ImageChannel("Grey", 0xffffff, "float32"));
            Raster values = slide.readChannels(0, new PixelRegion(250, 10, 5, 1));
            assertThat(values.plane(0)[0]).isEqualTo(2.5f);
            DisplaySettings auto = slide.defaultDisplay();
            assertThat(auto.channels().get(0).min()).isCloseTo(0, within(0.01));
            assertThat(auto.channels().get(0).max()).isCloseTo(2.99, within(0.01));
            int[] row = slide.readArgb(0, new PixelRegion(0, 10, 300, 1));
            assertThat(row[0] & 0xff).as("the lowest values black").isZero();
            assertThat(row[150] & 0xff).as("the middle grey").isBetween(120, 135);
            assertThat(row[299] & 0xff).as("the highest white").isEqualTo(255);
            long white = java.util.Arrays.stream(row).filter(p -> (p & 0xffffff) == 0xffffff).count();
            assertThat(white).as("not all white, as the 8-bit reading made it").isLessThan(5);
        }
    }

    @Test
    void aFloat32TiffWrittenByVipsReadsItsValues() throws IOException {
        Vips.assumeAvailable();
        Path grey = dir.resolve("grey.png");
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(256, 128, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 256; x++) {
            for (int y = 0; y < 128; y++) {
                image.getRaster().setSample(x, y, 0, x);
            }
        }
        javax.imageio.ImageIO.write(image, "png", grey.toFile());
        Path v = dir.resolve("scaled.v");
        Vips.run("linear", grey.toString(), v.toString(), "0.01", "0"); // 0..2.55 as float
        Path tif = dir.resolve("vips-float.tif");
        Vips.run("tiffsave", v.toString(), tif.toString(), "--tile", "--tile-width", "64", "--tile-height", "64");
        try (SlideImage slide = SlideImages.open(tif)) {
            assertThat(slide.channels()).extracting(ImageChannel::sample).containsExactly("float32");
            assertThat(slide.readChannels(0, new PixelRegion(200, 5, 1, 1)).plane(0)[0]).isCloseTo(2.0f, within(1e-6f));
            assertThat(slide.readArgb(0, new PixelRegion(128, 5, 1, 1))[0] & 0xff).isBetween(120, 135);
        }
        Path ushort = dir.resolve("vips-ushort.tif");
        Path wide = dir.resolve("wide.v");
        Vips.run("linear", grey.toString(), wide.toString(), "16", "0"); // 12-bit values, as a camera writes them
        Vips.run("cast", wide.toString(), dir.resolve("wide16.v").toString(), "ushort");
        Vips.run("tiffsave", dir.resolve("wide16.v").toString(), ushort.toString(), "--tile", "--compression", "deflate");
        try (SlideImage slide = SlideImages.open(ushort)) {
            assertThat(slide.channels()).extracting(ImageChannel::sample).containsExactly("uint16");
            assertThat(slide.readChannels(0, new PixelRegion(200, 5, 1, 1)).plane(0)[0]).isEqualTo(3200f);
            assertThat(slide.defaultDisplay().channels().get(0).max()).isCloseTo(4080, within(20.0));
        }
    }

    @Test
    void a16BitGreyImageOfTwelveBitValuesIsShownOverItsRangeNotNearBlack() throws IOException {
        Path file = dir.resolve("camera.tif");
        TestTiff.write(file, ByteOrder.BIG_ENDIAN, List.of(new TestTiff.Page(256, 100, 1, 16, 1, false, 64, null, 1,
                (s, x, y) -> 100 + x * 15)));
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.channels()).extracting(ImageChannel::sample).containsExactly("uint16");
            assertThat(slide.readChannels(0, new PixelRegion(10, 0, 1, 1)).plane(0)[0]).as("the file's own value").isEqualTo(250f);
            int[] row = slide.readArgb(0, new PixelRegion(0, 50, 256, 1));
            assertThat(row[128] & 0xff).as("the middle of 100..3925 is mid grey, not 3% of 65535").isBetween(120, 135);
            // an edited range shows what it says
            DisplaySettings narrow = DisplaySettings.fromMaps(List.of(Map.of("min", 100, "max", 1000)), slide.channels());
            assertThat(slide.readArgb(0, new PixelRegion(30, 50, 1, 1), narrow)[0] & 0xff).as("value 550 of 100..1000").isBetween(126, 129);
        }
    }

    private static Path omePanel(Path file, int channels, int bits, String type, String... xmlChannels) throws IOException {
        List<TestTiff.Page> pages = new java.util.ArrayList<>();
        for (int c = 0; c < channels; c++) {
            int channel = c;
            pages.add(new TestTiff.Page(128, 96, 1, bits, 1, false, 32, c == 0 ? TestTiff.ome(channels, type, xmlChannels) : null, 1,
                    // each channel lights its own band of columns: a nucleus stain, a membrane, ...
                    (s, x, y) -> x / 16 == channel ? (bits == 16 ? 4000 : 200) : (bits == 16 ? 100 : 10)));
        }
        TestTiff.write(file, ByteOrder.LITTLE_ENDIAN, pages);
        return file;
    }

    @Test
    void aThreeChannelFluorescenceOmeTiffShowsEveryChannelInItsColourNotOnlyTheFirstPlane() throws IOException {
        Path file = omePanel(dir.resolve("panel3.ome.tif"), 3, 16, "uint16", TestTiff.channel(0, "DAPI", 0x0000ff),
                TestTiff.channel(1, "FITC", 0x00ff00), TestTiff.channel(2, "Cy5", 0xff00ff));
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.format()).isEqualTo("OME-TIFF");
            assertThat(slide.channels()).containsExactly(new ImageChannel("DAPI", 0x0000ff, "uint16"),
                    new ImageChannel("FITC", 0x00ff00, "uint16"), new ImageChannel("Cy5", 0xff00ff, "uint16"));
            assertThat(slide.micronsPerPixel()).as("the OME-XML's PhysicalSizeX").contains(0.325);
            int[] pixels = slide.readArgb(0, new PixelRegion(0, 40, 128, 1));
            assertThat(pixels[8] & 0xffffff).as("DAPI's band blue").isEqualTo(0x0000ff);
            assertThat(pixels[24] & 0xffffff).as("FITC's band green").isEqualTo(0x00ff00);
            assertThat(pixels[40] & 0xffffff).as("Cy5's band magenta").isEqualTo(0xff00ff);
            assertThat(pixels[100] & 0xffffff).as("no channel bright: black").isEqualTo(0);
            Raster values = slide.readChannels(0, new PixelRegion(24, 40, 1, 1));
            assertThat(new float[] {values.plane(0)[0], values.plane(1)[0], values.plane(2)[0]}).containsExactly(100f, 4000f, 100f);
        }
    }

    @Test
    void aFiveChannelPanelIsShownAsTheChosenChannelsInTheChosenColours() throws IOException {
        Path file = omePanel(dir.resolve("panel5.ome.tif"), 5, 8, "uint8", TestTiff.channel(0, "DAPI", 0x0000ff),
                TestTiff.channel(1, "CD3", 0x00ff00), TestTiff.channel(2, "CD8", 0xff0000), TestTiff.channel(3, "PanCK", 0xffff00),
                TestTiff.channel(4, "Autofluorescence", 0xffffff));
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.channels()).extracting(ImageChannel::name).containsExactly("DAPI", "CD3", "CD8", "PanCK", "Autofluorescence");
            List<Map<String, Object>> chosen = List.of(
                    Map.of("visible", true, "color", "#0000ff", "min", 0, "max", 200),
                    Map.of("visible", false, "color", "#00ff00", "min", 0, "max", 200),
                    Map.of("visible", false, "color", "#ff0000", "min", 0, "max", 200),
                    Map.of("visible", true, "color", "#ff8000", "min", 10, "max", 200), // PanCK in orange
                    Map.of("visible", false, "color", "#ffffff", "min", 0, "max", 200));
            DisplaySettings display = DisplaySettings.fromMaps(chosen, slide.channels());
            int[] pixels = slide.readArgb(0, new PixelRegion(0, 10, 80, 1), display);
            assertThat(pixels[8] & 0xffffff).as("DAPI, background 10 of 0..200").isEqualTo(0x0000ff);
            assertThat(pixels[24] & 0xffffff).as("CD3 hidden: only DAPI's dim background").isEqualTo(0x00000d);
            assertThat(pixels[56] & 0xffffff).as("PanCK in orange over DAPI's dim background").isEqualTo(0xff800d);
            assertThat(display.fingerprint()).isNotEqualTo(slide.defaultDisplay().fingerprint());
        }
    }

    @Test
    void theEngineTrainsOnThePickedChannelsOriginalValuesAndColourFeaturesAreRefusedWithTheChannels() throws IOException {
        Path file = omePanel(dir.resolve("panel5.ome.tif"), 5, 16, "uint16", TestTiff.channel(0, "DAPI", 0x0000ff),
                TestTiff.channel(1, "CD3", 0x00ff00), TestTiff.channel(2, "CD8", 0xff0000), TestTiff.channel(3, "PanCK", 0xffff00),
                TestTiff.channel(4, "AF", 0xffffff));
        try (SlideImage slide = SlideImages.open(file)) {
            FeatureSettings picked = FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=image:2,4;normalise=slide");
            assertThat(picked.channels()).isEqualTo(ChannelSet.IMAGE);
            assertThat(picked.imageChannels()).containsExactly(2, 4);
            assertThat(picked.toText()).isEqualTo("kinds=gaussian;sigmas=1;channels=image:2,4;normalise=slide");
            assertThat(picked.featureCount()).isEqualTo(2);
            TileSource source = AnalysisSource.of(slide, picked);
            Raster read = source.read(new PixelRegion(16, 0, 32, 1));
            assertThat(read.plane(1)[0]).as("CD3's original 16-bit value, not its display").isEqualTo(4000f);
            org.histodraw.engine.features.FeatureBank bank = new org.histodraw.engine.features.FeatureBank(picked);
            Raster features = bank.compute(read, PixelRegion.of(32, 1), bank.measure(source));
            assertThat(features.channels()).isEqualTo(2);

            FeatureSettings colour = FeatureSettings.defaults();
            assertThatThrownBy(() -> AnalysisSource.of(slide, colour)).hasMessageContaining("5 uint16 channels (1 DAPI, 2 CD3, 3 CD8, 4 PanCK, 5 AF)")
                    .hasMessageContaining("would see only its display").hasMessageContaining("channels=image:1,2,3");
            FeatureSettings tooMany = FeatureSettings.onImageChannels(List.of(FeatureKind.GAUSSIAN), List.of(1.0), List.of(6), Normalisation.NONE);
            assertThatThrownBy(() -> AnalysisSource.of(slide, tooMany)).hasMessageContaining("image channel 6").hasMessageContaining("has 5");
        }
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=image")).hasMessageContaining("image:1,3");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=image:0")).hasMessageContaining("counted from 1");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he:1")).hasMessageContaining("need channels=image");
    }

    @Test
    void signedComplexDoubleAndThirtyTwoBitIntegerSamplesAreRefusedWithTheReason() throws IOException {
        record Case(String name, int bits, int format, String says) {
        }
        for (Case c : List.of(new Case("signed16", 16, 2, "signed 16-bit integer samples (SampleFormat 2) are not supported"),
                new Case("complex", 64, 6, "complex samples (SampleFormat 6)"),
                new Case("double", 64, 3, "64-bit floating-point samples are not supported"),
                new Case("half", 16, 3, "16-bit floating-point samples are not supported"),
                new Case("uint32", 32, 1, "32-bit integer samples are not supported"))) {
            Path file = dir.resolve(c.name() + ".tif");
            TestTiff.write(file, ByteOrder.LITTLE_ENDIAN, List.of(TestTiff.Page.grey(64, 64, c.bits(), c.format(), (s, x, y) -> x)));
            assertThatThrownBy(() -> SlideImages.open(file)).as(c.name()).isInstanceOf(SlideException.class)
                    .hasMessageContaining("unsupported pixels").hasMessageContaining(c.says()).hasMessageContaining(file.getFileName().toString());
        }
    }

    @Test
    void missingFloatDataShowsBlackAndReadsAsZeroForAnalysis() throws IOException {
        Path file = dir.resolve("holes.tif");
        TestTiff.write(file, ByteOrder.LITTLE_ENDIAN, List.of(TestTiff.Page.grey(64, 64, 32, 3, (s, x, y) -> x < 8 ? Double.NaN : x)));
        try (SlideImage slide = SlideImages.open(file)) {
            assertThat(slide.readArgb(0, new PixelRegion(0, 0, 1, 1))[0] & 0xffffff).isZero();
            assertThat(slide.defaultDisplay().channels().get(0).min()).as("NaN left out of the range").isEqualTo(8);
            TileSource analysed = AnalysisSource.of(slide, FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=image:1"));
            assertThat(analysed.read(new PixelRegion(0, 0, 1, 1)).plane(0)[0]).isZero();
        }
    }

    @Test
    void displaySettingsThatDoNotFitTheSlideAreRefusedWithTheReason() throws IOException {
        List<ImageChannel> three = List.of(new ImageChannel("a", 0xff, "uint16"), new ImageChannel("b", 0xff00, "uint16"),
                new ImageChannel("c", 0xff0000, "uint16"));
        assertThatThrownBy(() -> DisplaySettings.fromMaps(List.of(Map.of("min", 0, "max", 1)), three)).hasMessageContaining("has 3 channels");
        assertThatThrownBy(() -> DisplaySettings.fromMaps(List.of(Map.of("min", 5, "max", 5), Map.of("min", 0, "max", 1),
                Map.of("min", 0, "max", 1)), three)).hasMessageContaining("channel 0 (a)").hasMessageContaining("min < max");
        assertThatThrownBy(() -> DisplaySettings.fromMaps(List.of(Map.of("min", 0, "max", Double.NaN), Map.of("min", 0, "max", 1),
                Map.of("min", 0, "max", 1)), three)).hasMessageContaining("finite number");
        assertThatThrownBy(() -> DisplaySettings.fromMaps(List.of(Map.of("min", 0, "max", 1, "color", "red"), Map.of("min", 0, "max", 1),
                Map.of("min", 0, "max", 1)), three)).hasMessageContaining("#rrggbb");
    }
}
