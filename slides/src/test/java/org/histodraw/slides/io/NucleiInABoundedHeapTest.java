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
        String log = traceInA64MiBHeap(dir, "nuclei.geojson");
        assertThat(log).contains("polygons 139112").contains("spilled regions 1");
    }

    @Test
    void aTissueMapOf139000NucleiIsTracedInA64MiBHeap(@TempDir Path dir) throws Exception {
        // The same class map as a tissue map at 1/8 of a slide 8 times as wide (TracedPolygons, as
        // `segment --resolution 8` writes it): its polygons scaled as they close, the holes spilled too.
        String log = traceInA64MiBHeap(dir, "map.geojson");
        assertThat(log).contains("polygons 139112");
        assertThat(Files.readString(dir.resolve("map.geojson"), StandardCharsets.UTF_8))
                .contains("[" + WIDTH * 8 + "," + HEIGHT * 8 + "]");
    }

    private static String traceInA64MiBHeap(Path dir, String name) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path out = dir.resolve(name);
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                NucleiInABoundedHeapTest.class.getName(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished").isTrue();
        String log = Files.readString(dir.resolve("log.txt"));
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.size(out)).isGreaterThan(10_000_000L);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("the holes' file is gone")
                    .containsExactlyInAnyOrder(name, "log.txt");
        }
        return log;
    }

    /** The forked JVM: traces the class map strip by strip, as {@link SlideResults} does, without the PNGs. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        if (out.getFileName().toString().equals("map.geojson")) {
            try (TracedPolygons map = new TracedPolygons(out, WIDTH, 8, ClassList.named(List.of("Tissue", "Nucleus")),
                    Map.of(), Map.of(), PolygonCleaning.defaults(), null)) {
                for (int y = 0; y < HEIGHT; y += 64) {
                    map.accept(strip(y, Math.min(64, HEIGHT - y)), y);
                }
                map.finish();
                System.out.println("polygons " + map.polygons());
            }
            return;
        }
        ClassList classes = ClassList.named(List.of("Tissue", "Nucleus"));
        PolygonCleaning cleaning = PolygonCleaning.defaults();
        try (BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            GeoJsonWriter writer = new GeoJsonWriter(file, Map.of());
            long regions;
            try (SpilledHoles spill = new SpilledHoles(out.resolveSibling("nuclei.holes.part"), cleaning, null, writer)) {
                ClassMapVectoriser tracer = new ClassMapVectoriser(WIDTH, classes, cleaning.before(writer, null), spill);
                for (int y = 0; y < HEIGHT; y += 64) {
                    tracer.accept(strip(y, Math.min(64, HEIGHT - y)), y);
                }
                tracer.finish();
                regions = spill.regions();
            }
            writer.finish();
            System.out.println("polygons " + writer.featuresWritten() + ", spilled regions " + regions + ", heap used "
                    + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1 << 20) + " MiB");
        }
    }

    /** Rows y..y+h-1 of the class map: tissue with a disc nucleus of radius 7 every {@value #PERIOD} pixels. */
    private static LabelRaster strip(int y, int h) {
        byte[] strip = new byte[WIDTH * h];
        for (int r = 0; r < h; r++) {
            double dy = (y + r) % PERIOD - 17.5;
            for (int x = 0; x < WIDTH; x++) {
                double dx = x % PERIOD - 17.5;
                strip[r * WIDTH + x] = (byte) (dx * dx + dy * dy <= 49 ? 2 : 1);
            }
        }
        return new LabelRaster(WIDTH, h, strip);
    }
}
