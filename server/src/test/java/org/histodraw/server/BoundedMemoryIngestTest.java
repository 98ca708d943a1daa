package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest streams: an 8000 x 8000 tiled TIFF (192 MB of pixels) becomes a pyramid in a JVM whose
 * whole heap is {@value #HEAP}, server included, which only works if the image is never held whole.
 */
class BoundedMemoryIngestTest {
    static final String HEAP = "96m";

    static int pixel(int x, int y) {
        return (x * 255 / 8000) << 16 | (y * 255 / 8000) << 8 | ((x / 50 + y / 50) % 2 == 0 ? 40 : 200);
    }

    @Test
    void an8000x8000SlideIngestsIn96MegabytesOfHeap(@TempDir Path dir) throws Exception {
        Path tiff = dir.resolve("big.tif");
        StreamedTiff.write(tiff, 8000, 8000, 512, BoundedMemoryIngestTest::pixel);
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), BoundedMemoryIngest.class.getName(), data.toString(), tiff.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("finished in time").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(output.lines().filter(l -> l.startsWith("ingested")).findFirst().orElse(""));
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("ingested slice 1: 8000 x 8000").contains("heap max");

        Path slides = data.resolve("slides");
        Path pyramid;
        try (var dirs = Files.list(slides)) {
            pyramid = dirs.findFirst().orElseThrow();
        }
        // Level 13 is full resolution; tile 20_17 covers x from 20 * 254 - 1, y from 17 * 254 - 1.
        BufferedImage tile = ImageIO.read(pyramid.resolve("slide_files/13/20_17.jpg").toFile());
        int p = tile.getRGB(100, 100) & 0xffffff;
        int expected = pixel(20 * 254 - 1 + 100, 17 * 254 - 1 + 100);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(Math.abs(((p >> shift) & 0xff) - ((expected >> shift) & 0xff))).as("JPEG close to the source").isLessThan(12);
        }
    }

}
