package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.HoleSpill;
import org.histodraw.engine.vector.PolygonCleaning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracedPolygonsTest {
    private static final ClassList CLASSES = ClassList.named(List.of("Tissue", "Nucleus"));

    /** Tissue with a disc nucleus of radius 3 every 10 pixels, each pixel drawn {@code zoom} x {@code zoom}. */
    private static LabelRaster nuclei(int width, int height, int zoom) {
        byte[] classes = new byte[width * zoom * height * zoom];
        for (int y = 0; y < height * zoom; y++) {
            for (int x = 0; x < width * zoom; x++) {
                double dx = (x / zoom) % 10 - 4.5, dy = (y / zoom) % 10 - 4.5;
                classes[y * width * zoom + x] = (byte) (dx * dx + dy * dy <= 9 ? 2 : 1);
            }
        }
        return new LabelRaster(width * zoom, height * zoom, classes);
    }

    private static String traced(Path file, LabelRaster map, int resolution) throws Exception {
        return traced(file, map, resolution, Set.of());
    }

    private static String traced(Path file, LabelRaster map, int resolution, Set<String> omitted) throws Exception {
        try (TracedPolygons polygons = new TracedPolygons(file, map.width(), resolution, CLASSES, Map.of(), Map.of(),
                PolygonCleaning.defaults(), null, omitted)) {
            for (int y = 0; y < map.height(); y += 64) {
                polygons.accept(map.crop(new org.histodraw.engine.raster.PixelRegion(0, y, map.width(),
                        Math.min(64, map.height() - y))), y);
            }
            polygons.finish();
        }
        return Files.readString(file);
    }

    @Test
    void aTissueMapWithMoreHolesThanAreHeldGivesThePolygonsOfTheFullResolutionMap(@TempDir Path dir) throws Exception {
        // 3,200 nuclei: the tissue's holes pass HoleSpill.HELD_VERTICES and go to the holes' file.
        LabelRaster level = nuclei(800, 400, 1);
        int holeVertices = 3200 * 16;
        assertThat(holeVertices).isGreaterThan(HoleSpill.HELD_VERTICES);

        String map = traced(dir.resolve("map.geojson"), level, 4);
        String full = traced(dir.resolve("full.geojson"), nuclei(800, 400, 4), 1);

        assertThat(map).hasSize(full.length()).isEqualTo(full);
        assertThat(map).contains("\"Nucleus\"").contains("[3200,1600]").doesNotContain("[800,400]");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("the holes' files are gone")
                    .containsExactlyInAnyOrder("map.geojson", "full.geojson");
        }
    }

    @Test
    void anOmittedClassIsTracedButNotWrittenAndItsSpilledHolesAreDropped(@TempDir Path dir) throws Exception {
        // 3,200 nuclei of about 113 px² (the default cleaning keeps them), whose holes in the tissue spill
        LabelRaster map = nuclei(800, 400, 2);
        List<ClassifiedPolygon> all = GeoJson.readRegions(traced(dir.resolve("all.geojson"), map, 1), CLASSES);
        List<ClassifiedPolygon> nucleiOnly = GeoJson.readRegions(traced(dir.resolve("nuclei.geojson"), map, 1,
                Set.of("Tissue")), CLASSES);
        List<ClassifiedPolygon> tissueOnly = GeoJson.readRegions(traced(dir.resolve("tissue.geojson"), map, 1,
                Set.of("Nucleus")), CLASSES);

        assertThat(all).hasSize(3201);
        List<ClassifiedPolygon> nuclei = all.stream().filter(p -> p.imageClass().name().equals("Nucleus")).toList();
        assertThat(nucleiOnly).hasSize(3200);
        for (int i = 0; i < nuclei.size(); i++) {
            assertThat(nucleiOnly.get(i).imageClass().name()).isEqualTo("Nucleus");
            assertThat(nucleiOnly.get(i).polygon().shell().coordinates()).isEqualTo(nuclei.get(i).polygon().shell().coordinates());
        }
        assertThat(tissueOnly).hasSize(1);
        assertThat(tissueOnly.get(0).imageClass().name()).isEqualTo("Tissue");
        assertThat(tissueOnly.get(0).polygon().holes()).as("the tissue keeps its holes").hasSize(3200);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("the holes' files are gone")
                    .containsExactlyInAnyOrder("all.geojson", "nuclei.geojson", "tissue.geojson");
        }
    }
}
