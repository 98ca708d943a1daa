package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.PolygonCleaning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory follows the slide width, not the polygons: a class map as wide as the 30k bench slide,
 * a disc nucleus of radius 7 every 36 pixels in tissue (139,111 nuclei, and one tissue region with
 * as many holes), traced with the default cleaning into GeoJSON in a separate JVM with a 64 MiB
 * heap. Holding the tissue's holes alone would take about 65 MB of pixel rings; with
 * {@link SpilledHoles} they wait on disk. (The whole 30,000 x 30,000 slide, predicted from its
 * pixels in a 512 MiB heap, is {@code bench/segment-30k.sh}.)
 */
class NucleiInABoundedHeapTest {
    static final int PERIOD = 36;
    static final int WIDTH = 833 * PERIOD;
    static final int HEIGHT = 167 * PERIOD;

    @Test
    void aSlideWideClassMapOf139000NucleiIsTracedInA64MiBHeap(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path out = dir.resolve("nuclei.geojson");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                NucleiInABoundedHeapTest.class.getName(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished").isTrue();
        String log = Files.readString(dir.resolve("log.txt"));
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("polygons 139112").contains("spilled regions 1");
        assertThat(Files.size(out)).isGreaterThan(10_000_000L);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("the holes' file is gone")
                    .containsExactlyInAnyOrder("nuclei.geojson", "log.txt");
        }
    }

    /** The forked JVM: traces the class map strip by strip, as {@link SlideResults} does, without the PNGs. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        ClassList classes = ClassList.named(List.of("Tissue", "Nucleus"));
        PolygonCleaning cleaning = PolygonCleaning.defaults();
        try (BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            GeoJsonWriter writer = new GeoJsonWriter(file, Map.of());
            long regions;
            try (SpilledHoles spill = new SpilledHoles(out.resolveSibling("nuclei.holes.part"), cleaning, null, writer)) {
                ClassMapVectoriser tracer = new ClassMapVectoriser(WIDTH, classes, cleaning.before(writer, null), spill);
                int rows = 64;
                for (int y = 0; y < HEIGHT; y += rows) {
                    int h = Math.min(rows, HEIGHT - y);
                    byte[] strip = new byte[WIDTH * h];
                    for (int r = 0; r < h; r++) {
                        double dy = (y + r) % PERIOD - 17.5;
                        for (int x = 0; x < WIDTH; x++) {
                            double dx = x % PERIOD - 17.5;
                            strip[r * WIDTH + x] = (byte) (dx * dx + dy * dy <= 49 ? 2 : 1);
                        }
                    }
                    tracer.accept(new LabelRaster(WIDTH, h, strip), y);
                }
                tracer.finish();
                regions = spill.regions();
            }
            writer.finish();
            System.out.println("polygons " + writer.featuresWritten() + ", spilled regions " + regions + ", heap used "
                    + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1 << 20) + " MiB");
        }
    }
}
