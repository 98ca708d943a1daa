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

    private static Optional<Double> micronsOf(Path file) {
        try (SlideImage slide = SlideImages.open(file)) {
            return slide.micronsPerPixel();
        }
    }
}
