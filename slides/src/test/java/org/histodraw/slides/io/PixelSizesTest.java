package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelSizesTest {
    @TempDir
    Path dir;

    @Test
    void tiffResolutionInPixelsPerCentimetreGivesMicrons() throws IOException {
        Path tiled = dir.resolve("tiled.tif");
        TestImages.writeTiff(tiled, List.of(TestImages.patternImage(300, 300)), 256, null, 40_000); // 40000 px/cm
        Path strips = dir.resolve("strips.tif");
        TestImages.writeTiff(strips, List.of(TestImages.patternImage(300, 300)), 0, null, 20_000);

        assertThat(micronsOf(tiled)).hasValueSatisfying(m -> assertThat(m).isCloseTo(0.25, Offset.offset(1e-9)));
        assertThat(micronsOf(strips)).hasValueSatisfying(m -> assertThat(m).isCloseTo(0.5, Offset.offset(1e-9)));
    }

    @Test
    void aperioDescriptionWinsOverResolutionTags() throws IOException {
        Path file = dir.resolve("aperio.tif");
        TestImages.writeTiff(file, List.of(TestImages.patternImage(300, 300)), 256, "JPEG", 100,
                "Aperio Image Library v12.0.5\r\n46000x32914 [0,100 46000x32814] (256x256) JPEG/RGB Q=70|AppMag = 40|MPP = 0.2527");

        assertThat(micronsOf(file)).contains(0.2527);
    }

    @Test
    void pngPhysInMetresGivesMicrons() throws IOException {
        Path file = dir.resolve("phys.png");
        BufferedImage img = TestImages.patternImage(10, 10);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        phys.setAttribute("pixelsPerUnitXAxis", "2000000");
        phys.setAttribute("pixelsPerUnitYAxis", "2000000");
        phys.setAttribute("unitSpecifier", "meter");
        root.appendChild(phys);
        metadata.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(img, null, metadata));
        }

        assertThat(micronsOf(file)).hasValueSatisfying(m -> assertThat(m).isCloseTo(0.5, Offset.offset(1e-9)));
    }

    @Test
    void defaultDpiAndAbsentResolutionAreUnknown() throws IOException {
        Path plainPng = dir.resolve("plain.png");
        ImageIO.write(TestImages.patternImage(10, 10), "png", plainPng.toFile());
        Path jpeg = dir.resolve("plain.jpg");
        ImageIO.write(TestImages.patternImage(10, 10), "jpg", jpeg.toFile());
        Path dpi72 = dir.resolve("dpi72.tif");
        TestImages.writeTiff(dpi72, List.of(TestImages.patternImage(300, 300)), 256, null, 72 / 2.54);

        assertThat(micronsOf(plainPng)).isEmpty();
        assertThat(micronsOf(jpeg)).isEmpty();
        assertThat(micronsOf(dpi72)).isEmpty();
        assertThat(PixelSizes.fromMillimetres(25.4 / 96)).isEmpty();
        assertThat(PixelSizes.fromMillimetres(0.00025)).contains(0.25);
    }

    /** A PNG written by ImageIO with a pHYs chunk and, when given, a tEXt chunk named ImageDescription. */
    private Path pngWith(String name, int perUnit, String unit, String description) throws IOException {
        Path file = dir.resolve(name);
        BufferedImage img = TestImages.patternImage(10, 10);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        phys.setAttribute("pixelsPerUnitXAxis", Integer.toString(perUnit));
        phys.setAttribute("pixelsPerUnitYAxis", Integer.toString(perUnit));
        phys.setAttribute("unitSpecifier", unit);
        root.appendChild(phys);
        if (description != null) {
            IIOMetadataNode text = new IIOMetadataNode("tEXt");
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", "ImageDescription");
            entry.setAttribute("value", description);
            text.appendChild(entry);
            root.appendChild(text);
        }
        metadata.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(img, null, metadata));
        }
        return file;
    }

    /** The pixel size ImageIO's metadata gives, the way every format but our own PNG reading takes it. */
    private static Optional<Double> micronsByImageIo(Path file) throws IOException {
        try (var in = ImageIO.createImageInputStream(file.toFile())) {
            var reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return PixelSizes.micronsPerPixel(reader, 0);
        }
    }

    @Test
    void aPngOpenedWithoutImageIoHasTheSamePixelSizeAsThroughImageIo() throws IOException {
        int[] perMetre = {2_000_000, 3_937_008, 4_000_000, 1_234_567, 3780, 2835, 1, 0, -5};
        for (int ppm : perMetre) {
            Path file = pngWith("ppm" + ppm + ".png", ppm, "meter", null);
            assertThat(micronsOf(file)).as("%d pixels per metre", ppm).isEqualTo(micronsByImageIo(file));
        }
        assertThat(micronsOf(pngWith("unknown.png", 4_000_000, "unknown", null))).isEmpty();
        assertThat(micronsOf(pngWith("96dpi.png", 3780, "meter", null))).isEmpty();
        assertThat(micronsOf(pngWith("quarter.png", 4_000_000, "meter", null))).contains(0.25);
        Path aperio = pngWith("aperio.png", 4_000_000, "meter", "Aperio Image Library|AppMag = 40|MPP = 0.2527");
        assertThat(micronsOf(aperio)).as("the description wins, as in TIFF").contains(0.2527)
                .isEqualTo(micronsByImageIo(aperio));
    }

    private static Optional<Double> micronsOf(Path file) {
        try (SlideImage slide = SlideImages.open(file)) {
            return slide.micronsPerPixel();
        }
    }
}
