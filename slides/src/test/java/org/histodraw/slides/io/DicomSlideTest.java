package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.histodraw.slides.io.WholeSlideFilesTest.meanDifference;
import static org.histodraw.slides.io.WholeSlideFilesTest.pixels;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM whole-slide images: openslide-python's {@code boxes_0.dcm}/{@code boxes_1.dcm} (written by
 * other software) against {@code boxes.png}, and files written here that break one thing each (lengths,
 * counts, nesting, offset tables, truncation), which must be refused quickly with a message.
 */
class DicomSlideTest {
    private static final String SERIES = "1.2.3.4";

    @TempDir
    Path dir;

    /** Both files of the openslide-python slide, copied into a folder of their own. */
    private Path boxes() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("boxes"));
        for (String name : List.of("boxes_0.dcm", "boxes_1.dcm")) {
            Files.copy(SharedData.file("wsi/" + name), folder.resolve(name));
        }
        return folder;
    }

    /**
     * openslide-python's DICOM files are small.svs converted by PixelMed: {@code boxes_0.dcm} its 16 x 16
     * VOLUME (one 64-px JPEG frame with an Adobe marker), {@code boxes_1.dcm} its THUMBNAIL (native RGB).
     */
    @Test
    void openslidePythonsDicomSlideOpensAsOneLevelWithItsThumbnailFromAnyOfItsFiles() throws IOException {
        Path folder = boxes();
        for (Path opened : List.of(folder.resolve("boxes_0.dcm"), folder.resolve("boxes_1.dcm"), folder)) {
            try (SlideImage slide = SlideImages.open(opened)) {
                assertThat(slide.format()).as(opened.toString()).isEqualTo("DICOM WSI");
                assertThat(slide.vendor()).contains("dicom");
                assertThat(slide.width()).isEqualTo(16);
                assertThat(slide.height()).isEqualTo(16);
                assertThat(slide.levels()).hasSize(1);
                assertThat(slide.associatedImages()).containsExactly("thumbnail");
                assertThat(slide.files()).hasSize(2);
                assertThat(slide.micronsPerPixel()).hasValueSatisfying(mpp -> assertThat(mpp).isEqualTo(0.499, within(1e-9)));
                assertThat(slide.objectivePower()).contains(20.0);
                assertThat(slide.properties()).containsEntry("dicom.Manufacturer", "Leica Biosystems");
                int[] read = slide.readArgb(0, PixelRegion.of(16, 16));
                // The JPEG frame against the scanner's resampled, uncompressed thumbnail of the same 16 x 16 picture:
                // alike, not equal (against OpenSlide's reading of the same pixels, below, they agree within 1).
                assertThat(meanDifference(read, pixels(slide.associatedImage("thumbnail")))).as(opened.toString()).isLessThan(10.0);
            }
        }
    }

    @Test
    void theDicomSlideHasThePixelsOpenSlideReadsFromTheSvsItWasConvertedFrom() throws IOException {
        Vips.assumeOpenSlide();
        try (SlideImage dicom = SlideImages.open(boxes().resolve("boxes_0.dcm"));
             SlideImage svs = SlideImages.open(SharedData.file("wsi/small.svs"))) {
            assertThat(meanDifference(dicom.readArgb(0, PixelRegion.of(16, 16)), svs.readArgb(0, PixelRegion.of(16, 16))))
                    .isLessThan(1.0);
        }
    }

    @Test
    void aThumbnailAloneIsRefusedSayingTheSeriesHasNoVolume() throws IOException {
        Path alone = Files.createDirectories(dir.resolve("alone")).resolve("thumbnail.dcm");
        Files.copy(SharedData.file("wsi/boxes_1.dcm"), alone);
        assertThatThrownBy(() -> SlideImages.open(alone).close()).isInstanceOf(SlideException.class)
                .hasMessageContaining("without a VOLUME image").hasMessageContaining("thumbnail");
    }

    @Test
    void levelsOfOneSeriesInOneFolderMakeOnePyramidAndOtherSeriesAreLeftOut() throws IOException {
        BufferedImage image = ImageIO.read(SharedData.file("wsi/boxes.png").toFile());
        BufferedImage half = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        var g = half.createGraphics();
        g.drawImage(image, 0, 0, half.getWidth(), half.getHeight(), null);
        g.dispose();
        Path folder = Files.createDirectories(dir.resolve("pyramid"));
        List<byte[]> full = DicomWsiFiles.jpegTiles(image, 64);
        List<byte[]> small = DicomWsiFiles.jpegTiles(half, 64);
        Files.write(folder.resolve("a.dcm"), DicomWsiFiles.start(DicomFile.JPEG_BASELINE)
                .volume(SERIES, half.getWidth(), half.getHeight(), 64, small.size()).jpegFrames(small, true).bytes());
        Files.write(folder.resolve("b.dcm"), DicomWsiFiles.start(DicomFile.JPEG_BASELINE)
                .volume(SERIES, image.getWidth(), image.getHeight(), 64, full.size()).jpegFrames(full, false).bytes());
        Files.write(folder.resolve("other.dcm"), DicomWsiFiles.start(DicomFile.JPEG_BASELINE)
                .volume("9.9.9", 2 * image.getWidth(), 2 * image.getHeight(), 64, 1).jpegFrames(small.subList(0, 1), false).bytes());
        try (SlideImage slide = SlideImages.open(folder.resolve("a.dcm"))) {
            assertThat(slide.levels()).hasSize(2);
            assertThat(slide.width()).isEqualTo(image.getWidth());
            assertThat(slide.levels().get(1).width()).isEqualTo(half.getWidth());
            assertThat(slide.levels().get(1).downsample()).isEqualTo(2.0, within(0.02));
            assertThat(meanDifference(slide.readArgb(0, PixelRegion.of(slide.width(), slide.height())), pixels(image))).isLessThan(5.0);
            assertThat(meanDifference(slide.readArgb(1, PixelRegion.of(half.getWidth(), half.getHeight())), pixels(half))).isLessThan(5.0);
        }
        assertThatThrownBy(() -> SlideImages.open(folder).close()).isInstanceOf(SlideException.class)
                .hasMessageContaining("2 DICOM whole-slide series");
    }

    @Test
    void theFramesPassThroughAsJpegsThatDecodeToThePixelsRead() throws IOException {
        try (SlideImage slide = SlideImages.open(boxes().resolve("boxes_0.dcm"))) {
            for (int level = 0; level < slide.levels().size(); level++) {
                SlideLevel l = slide.levels().get(level);
                for (int row = 0; row < l.rows(); row++) {
                    for (int column = 0; column < l.columns(); column++) {
                        Optional<EncodedTile> tile = slide.encodedTile(level, column, row);
                        assertThat(tile).as("tile " + level + "/" + column + "_" + row).isPresent();
                        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(tile.get().bytes()));
                        int w = Math.min(l.tileWidth(), l.width() - column * l.tileWidth());
                        int h = Math.min(l.tileHeight(), l.height() - row * l.tileHeight());
                        int[] read = slide.readArgb(level, new PixelRegion(column * l.tileWidth(), row * l.tileHeight(), w, h));
                        int[] passed = decoded.getRGB(0, 0, w, h, null, 0, w);
                        assertThat(meanDifference(read, passed)).as("tile " + level + "/" + column + "_" + row).isLessThan(1.0);
                        int size = slide.encodedTileSize(level, column, row);
                        if (size >= 0) {
                            java.nio.ByteBuffer into = java.nio.ByteBuffer.allocate(size);
                            assertThat(slide.readEncodedTile(level, column, row, into)).isTrue();
                            assertThat(into.array()).isEqualTo(tile.get().bytes());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSlideWrittenHereWithAndWithoutAnOffsetTableReadsBackItsPixels() throws IOException {
        BufferedImage image = ImageIO.read(SharedData.file("wsi/boxes.png").toFile());
        List<byte[]> frames = DicomWsiFiles.jpegTiles(image, 64);
        for (boolean table : List.of(true, false)) {
            Path file = write("written-" + table, DicomWsiFiles.start(DicomFile.JPEG_BASELINE)
                    .volume(SERIES, image.getWidth(), image.getHeight(), 64, frames.size()).jpegFrames(frames, table).bytes());
            try (SlideImage slide = SlideImages.open(file)) {
                int[] read = slide.readArgb(0, PixelRegion.of(slide.width(), slide.height()));
                assertThat(meanDifference(read, pixels(image))).as("offset table " + table).isLessThan(5.0);
            }
        }
    }

    // --- hostile files: each refused with a message, quickly, never hanging or exhausting memory ---

    private Path write(String name, byte[] bytes) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        return Files.write(folder.resolve(name + ".dcm"), bytes);
    }

    private void assertRefused(byte[] bytes, String... messages) throws IOException {
        Path file = write("hostile-" + System.nanoTime(), bytes);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> SlideImages.open(file).close())
                .isInstanceOf(SlideException.class).message().contains(messages));
    }

    private static List<byte[]> smallFrames() {
        BufferedImage image = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
        return DicomWsiFiles.jpegTiles(image, 64);
    }

    @Test
    void everyTruncationOfARealFileIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.file("wsi/boxes_0.dcm"));
        for (int cut = 132; cut < whole.length; cut += 53) {
            Path file = write("cut-" + cut, Arrays.copyOf(whole, cut));
            int at = cut;
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> SlideImages.open(file).close())
                    .as("cut at " + at).isInstanceOf(SlideException.class));
        }
    }

    @Test
    void anElementLongerThanTheFileIsRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.EXPLICIT_LE).volume(SERIES, 128, 64, 64, 2)
                .longElement(0x0009, 0x0010, "OB", 0x7FFFFFF0L, new byte[16]).bytes();
        assertRefused(bytes, "corrupt DICOM", "past the end");
    }

    @Test
    void anUndefinedLengthOutsideASequenceIsRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.EXPLICIT_LE).volume(SERIES, 128, 64, 64, 2)
                .longElement(0x0009, 0x0010, "OB", 0xFFFFFFFFL, new byte[16]).bytes();
        assertRefused(bytes, "undefined length");
    }

    @Test
    void sequencesNestedDeeperThanTheLimitAreRefusedAndShallowOnesRead() throws IOException {
        List<byte[]> frames = smallFrames();
        byte[] shallow = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 2)
                .nestedSequences(DicomFile.MAX_DEPTH - 1).jpegFrames(frames, true).bytes();
        try (SlideImage slide = SlideImages.open(write("shallow", shallow))) {
            assertThat(slide.width()).isEqualTo(128);
        }
        byte[] deep = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 2)
                .nestedSequences(100_000).jpegFrames(frames, true).bytes();
        assertRefused(deep, "nested deeper than " + DicomFile.MAX_DEPTH);
    }

    @Test
    void anItemMarkerOutsideASequenceIsRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.EXPLICIT_LE).volume(SERIES, 128, 64, 64, 2).item(0).bytes();
        assertRefused(bytes, "outside a sequence");
    }

    @Test
    void anAbsurdNumberOfFramesIsRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 976_562_500_000_000L)
                .jpegFrames(smallFrames(), false).bytes();
        assertRefused(bytes, "NumberOfFrames", "out of range");
    }

    @Test
    void aFrameCountThatDoesNotFillTheGridIsRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 3)
                .jpegFrames(smallFrames(), false).bytes();
        assertRefused(bytes, "3 frames for a TILED_FULL grid of 2 x 1 tiles");
    }

    @Test
    void absurdFrameSizesAreRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 65535, 65535, 65535, 1)
                .jpegFrames(smallFrames().subList(0, 1), false).bytes();
        assertRefused(bytes, "frames of 65535 x 65535 px are out of range");
    }

    @Test
    void aSlideLargerThanTheLimitIsRefusedBeforeAnyFrameIsRead() throws IOException {
        // 4 billion px in 4096-px frames: fits the frame limits, not the pixel limit (2^33 by default) once doubled.
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 200_000, 200_000, 4096, 49L * 49)
                .jpegFrames(smallFrames().subList(0, 1), false).bytes();
        assertRefused(bytes, "image too large", "40.0 Gpx");
    }

    @Test
    void anOffsetTableThatRunsBackwardsIsRefused() throws IOException {
        List<byte[]> frames = smallFrames();
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 2)
                .longElement(0x7FE0, 0x0010, "OB", 0xFFFFFFFFL, new byte[0])
                .item(8).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}) // the second frame "starts" where the first does
                .item(frames.get(0).length).raw(frames.get(0)).item(frames.get(1).length).raw(frames.get(1)).end().bytes();
        assertRefused(bytes, "offset table", "out of order");
    }

    @Test
    void anOffsetTablePointingPastTheEndIsRefused() throws IOException {
        List<byte[]> frames = smallFrames();
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 2)
                .longElement(0x7FE0, 0x0010, "OB", 0xFFFFFFFFL, new byte[0])
                .item(8).raw(new byte[] {0, 0, 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F})
                .item(frames.get(0).length).raw(frames.get(0)).item(frames.get(1).length).raw(frames.get(1)).end().bytes();
        assertRefused(bytes, "past the end of the file");
    }

    @Test
    void aFragmentLongerThanTheFileIsRefused() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 2)
                .longElement(0x7FE0, 0x0010, "OB", 0xFFFFFFFFL, new byte[0]).item(0).item(0x7FFFFFFFL).raw(new byte[100]).bytes();
        assertRefused(bytes, "past the end of the file");
    }

    @Test
    void tooManyFragmentsForTheFramesAreRefused() throws IOException {
        DicomWsiFiles f = DicomWsiFiles.start(DicomFile.JPEG_BASELINE).volume(SERIES, 128, 64, 64, 2)
                .longElement(0x7FE0, 0x0010, "OB", 0xFFFFFFFFL, new byte[0]).item(0);
        for (int i = 0; i < 100_000; i++) {
            f.item(2).raw(new byte[] {0, 0});
        }
        assertRefused(f.end().bytes(), "fragments");
    }

    @Test
    void otherTransferSyntaxesAreRefusedByName() throws IOException {
        byte[] bytes = DicomWsiFiles.start("1.2.840.10008.1.2.4.90").volume(SERIES, 128, 64, 64, 2)
                .jpegFrames(smallFrames(), false).bytes();
        assertRefused(bytes, "JPEG 2000", "not supported");
    }

    @Test
    void aDicomFileThatIsNotASlideIsRefusedSayingSo() throws IOException {
        byte[] bytes = DicomWsiFiles.start(DicomFile.EXPLICIT_LE).text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
                .text(0x0020, 0x000E, "UI", SERIES).bytes();
        assertRefused(bytes, "not a whole-slide image");
    }

    @Test
    void aFolderOfTooManyFilesIsRefusedWithoutReadingThemAll() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("crowded"));
        Files.copy(SharedData.file("wsi/boxes_0.dcm"), folder.resolve("boxes_0.dcm"));
        for (int i = 0; i < DicomSlide.MAX_FILES; i++) {
            Files.createFile(folder.resolve("f" + i));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> SlideImages.open(folder.resolve("boxes_0.dcm")).close())
                .isInstanceOf(SlideException.class).hasMessageContaining("too many files"));
    }
}
