package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slides written by other software: openslide-python's test files in ../shared/data/wsi, and
 * pyramids vips makes from the real H&E images of ../shared/data/gbm-nuclei (Aperio-style SVS with
 * JPEG and JPEG 2000 tiles, generic TIFF in every compression vips writes), read through the one door.
 */
class WholeSlideFilesTest {
    @TempDir
    Path dir;

    private static BufferedImage gbm(String name) throws IOException {
        return ImageIO.read(SharedData.file("gbm-nuclei/" + name).toFile());
    }

    private static int maxDifference(int[] a, int[] b) {
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                worst = Math.max(worst, Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff)));
            }
        }
        return worst;
    }

    /** The mean absolute difference of two pictures' red, green and blue levels. */
    static double meanDifference(int[] a, int[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
            }
        }
        return sum / (3.0 * a.length);
    }

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void openslidePythonsAperioFileOpensThroughOpenSlide() {
        Vips.assumeOpenSlide();
        try (SlideImage slide = SlideImages.open(SharedData.file("wsi/small.svs"))) {
            assertThat(slide.format()).isEqualTo("Aperio SVS");
            assertThat(slide.vendor()).contains("aperio");
            assertThat(slide.width()).isEqualTo(16);
            assertThat(slide.properties()).containsKey("openslide.vendor");
            assertThat(slide.readArgb(0, new PixelRegion(0, 0, 16, 16))).hasSize(256);
        }
    }

    @Test
    void genericTiledTiffHasTheSamePixelsAsItsPng() throws IOException {
        BufferedImage png = ImageIO.read(SharedData.file("wsi/boxes.png").toFile());
        try (SlideImage slide = SlideImages.open(SharedData.file("wsi/boxes.tiff"))) {
            assertThat(slide.levels()).hasSize(4);
            assertThat(slide.width()).isEqualTo(png.getWidth());
            int[] read = slide.readArgb(0, PixelRegion.of(slide.width(), slide.height()));
            assertThat(maxDifference(read, pixels(png))).isZero();
            assertThat(slide.levels().get(1).downsample()).isEqualTo(2.0, org.assertj.core.api.Assertions.within(0.01));
        }
    }

    @Test
    void anUnknownTiffCompressionIsRefusedByItsCode() {
        Path unopenable = SharedData.file("wsi/unopenable.tiff"); // outside the lambda: absent data skips the test
        assertThatThrownBy(() -> SlideImages.open(unopenable))
                .isInstanceOf(SlideException.class).hasMessageContaining("TIFF compression 52479 (unknown) is not supported");
    }

    @Test
    void anSvsWhosePixelsAreDamagedIsRefusedAtOpen() {
        Vips.assumeOpenSlide();
        Path unreadable = SharedData.file("wsi/unreadable.svs");
        assertThatThrownBy(() -> SlideImages.open(unreadable))
                .isInstanceOf(SlideException.class).hasMessageContaining("OpenSlide");
    }

    @Test
    void anAperioStyleSvsWithJpegTilesReadsThroughOpenSlideAndHandsOutItsTiles() throws IOException {
        Vips.assumeAvailable();
        Vips.assumeOpenSlide();
        BufferedImage source = gbm("01.png");
        Path svs = Vips.aperio(source, dir, "jpeg", false);
        try (SlideImage slide = SlideImages.open(svs)) {
            assertThat(slide.format()).isEqualTo("Aperio SVS");
            assertThat(slide.micronsPerPixel()).contains(0.25);
            assertThat(slide.objectivePower()).contains(40.0);
            assertThat(slide.levels()).hasSize(2);
            assertThat(slide.associatedImages()).isNotNull();
            int[] read = slide.readArgb(0, new PixelRegion(0, 0, 256, 256));
            assertThat(meanDifference(read, pixels(source.getSubimage(0, 0, 256, 256)))).isLessThan(4);
            // The stored tile, sent as it is, decodes in any JPEG decoder to the same picture.
            EncodedTile tile = slide.encodedTile(0, 0, 0).orElseThrow();
            assertThat(tile.mediaType()).isEqualTo("image/jpeg");
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(tile.bytes()));
            assertThat(decoded.getWidth()).isEqualTo(256);
            assertThat(meanDifference(pixels(decoded), read)).isLessThan(1.5);
        }
    }

    @Test
    void anAperioSvsWithJpeg2000TilesReadsThroughOpenSlide() throws IOException {
        Vips.assumeAvailable();
        Vips.assumeOpenSlide();
        BufferedImage source = gbm("02.png");
        Path svs = Vips.aperio(source, dir, "jp2k", true);
        try (SlideImage slide = SlideImages.open(svs)) {
            assertThat(slide.format()).isEqualTo("Aperio SVS");
            assertThat(slide.properties().get("tiff.Compression")).isNull();
            int[] read = slide.readArgb(0, PixelRegion.of(512, 512));
            assertThat(meanDifference(read, pixels(source))).isLessThan(4);
            assertThat(slide.encodedTile(0, 0, 0)).as("JPEG 2000 is never sent to a browser").isEmpty();
        }
    }

    /** An OME-TIFF pyramid as Bio-Formats and vips write it: the reduced levels in the SubIFDs of the full image. */
    @Test
    void anOmeTiffWithItsLevelsInSubIfdsIsReadAsAPyramid() throws IOException {
        Vips.assumeAvailable();
        BufferedImage source = gbm("04.png");
        Path described = dir.resolve("ome-described.tif");
        TestImages.writeTiff(described, List.of(source), 0, null, 0, "<?xml version=\"1.0\"?><OME xmlns=\"http://www.openmicroscopy.org/"
                + "Schemas/OME/2016-06\"><Image ID=\"Image:0\"><Pixels DimensionOrder=\"XYCZT\" ID=\"Pixels:0\" SizeC=\"3\" SizeT=\"1\" "
                + "SizeX=\"" + source.getWidth() + "\" SizeY=\"" + source.getHeight() + "\" SizeZ=\"1\" Type=\"uint8\"/></Image></OME>");
        Path ome = dir.resolve("slide.ome.tif");
        Vips.run("tiffsave", described.toString(), ome.toString(), "--tile", "--pyramid", "--subifd", "--compression", "jpeg",
                "--tile-width", "128", "--tile-height", "128");
        try (SlideImage slide = SlideImages.open(ome)) {
            assertThat(slide.format()).isEqualTo("OME-TIFF");
            assertThat(slide.levels()).as("the full image and its SubIFD levels").hasSize(3);
            assertThat(slide.levels().get(1).width()).isEqualTo(source.getWidth() / 2);
            assertThat(slide.levels().get(2).downsample()).isEqualTo(4.0, org.assertj.core.api.Assertions.within(0.05));
            assertThat(meanDifference(slide.readArgb(0, PixelRegion.of(512, 512)), pixels(source))).isLessThan(4);
            // A reduced level shows the same tissue: against the full image shrunk by 2 (vips averages, so do we here).
            int[] half = slide.readArgb(1, PixelRegion.of(256, 256));
            int[] full = slide.readArgb(0, PixelRegion.of(512, 512));
            int[] shrunk = new int[256 * 256];
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    int r = 0, g = 0, b = 0;
                    for (int k = 0; k < 4; k++) {
                        int p = full[(2 * y + k / 2) * 512 + 2 * x + k % 2];
                        r += p >> 16 & 0xff;
                        g += p >> 8 & 0xff;
                        b += p & 0xff;
                    }
                    shrunk[y * 256 + x] = 0xff000000 | r / 4 << 16 | g / 4 << 8 | b / 4;
                }
            }
            assertThat(meanDifference(half, shrunk)).isLessThan(6);
            assertThat(slide.encodedTile(1, 0, 0)).as("the JPEG tiles of a SubIFD level pass through too").isPresent();
        }
    }

    @Test
    void genericTiffInEveryCompressionVipsWritesIsReadOrRefusedWithTheReason() throws IOException {
        Vips.assumeAvailable();
        Path png = SharedData.file("gbm-nuclei/03.png");
        BufferedImage source = ImageIO.read(png.toFile());
        for (String compression : List.of("none", "jpeg", "deflate", "lzw", "webp", "zstd")) {
            Path tif = Vips.pyramid(png, dir.resolve(compression + ".tif"), compression);
            boolean openslideOnly = compression.equals("webp") || compression.equals("zstd");
            if (openslideOnly && !SlideImages.openSlideAvailable()) {
                assertThatThrownBy(() -> SlideImages.open(tif)).hasMessageContaining("not supported");
                continue;
            }
            try (SlideImage slide = SlideImages.open(tif)) {
                assertThat(slide.format()).as(compression).isEqualTo(openslideOnly ? "generic tiled TIFF" : "tiled TIFF");
                assertThat(slide.levels()).as(compression).hasSize(2);
                int[] read = slide.readArgb(0, PixelRegion.of(512, 512));
                double mean = meanDifference(read, pixels(source));
                if (List.of("none", "deflate", "lzw").contains(compression)) {
                    assertThat(mean).as(compression + " is lossless").isZero();
                } else {
                    assertThat(mean).as(compression).isLessThan(4);
                }
            }
        }
        Path jp2k = Vips.pyramid(png, dir.resolve("jp2k.tif"), "jp2k");
        assertThatThrownBy(() -> SlideImages.open(jp2k)).isInstanceOf(SlideException.class)
                .hasMessageContaining("TIFF compression 33004 (JPEG 2000) in a generic TIFF is not supported");
    }
}
