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
 * Memory stays bounded: an 8000 x 8000 tiled TIFF of one level (192 MB of pixels) is registered and
 * its tiles cut on 8 threads at once, coarse levels included (made from the whole image), in a JVM
 * whose whole heap is {@value #HEAP}, server included, which only works if the image is never held
 * whole and the cuts in flight are bounded.
 */
class BoundedMemoryIngestTest {
    static final String HEAP = "96m";

    static int pixel(int x, int y) {
        return (x * 255 / 8000) << 16 | (y * 255 / 8000) << 8 | ((x / 50 + y / 50) % 2 == 0 ? 40 : 200);
    }

    @Test
    void an8000x8000SlideIsRegisteredAndCutIn96MegabytesOfHeap(@TempDir Path dir) throws Exception {
        Path tiff = dir.resolve("big.tif");
        StreamedTiff.write(tiff, 8000, 8000, 512, BoundedMemoryIngestTest::pixel);
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BoundedMemoryIngest.class.getName(), data.toString(), tiff.toString(), "13", "7", "6"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("finished in time").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(output.lines().filter(l -> l.startsWith("ingested")).findFirst().orElse(""));
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("ingested slice 1: 8000 x 8000").contains("heap max");

        // Level 13 is full resolution, in the file's 512-px tiles: tile 7_6 starts at (7 * 512, 6 * 512).
        BufferedImage tile = ImageIO.read(data.resolve("tile.jpg").toFile());
        int p = tile.getRGB(100, 100) & 0xffffff;
        int expected = pixel(7 * 512 + 100, 6 * 512 + 100);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(Math.abs(((p >> shift) & 0xff) - ((expected >> shift) & 0xff))).as("JPEG close to the source").isLessThan(12);
        }
    }

}
