package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.geojson.Json;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.PolygonCleaning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * The polygons of a whole slide are valid by JTS, an implementation of the OGC rules that is not
 * ours (QuPath reads them with JTS): the experts' nuclei of the 20 GBM images tiled into a 2560 x
 * 2048 class map, traced strip by strip with the default cleaning as {@link SlideResults} does.
 * The background is one region with thousands of holes, spilled to disk and simplified in several
 * parts, each checked against the shell on its own; JTS checks them all against each other.
 */
class WholeSlidePolygonsAreValidTest {
    private static final int SIDE = 512;
    private static final int COLUMNS = 5;
    private static final int ROWS = 4;

    @Test
    void everyPolygonOfTheGbmNucleiTracedAsOneSlideIsValid(@TempDir Path dir) throws IOException {
        LabelRaster map = mosaicOfTheExpertsNuclei();
        Path out = dir.resolve("nuclei.geojson");
        ClassList classes = ClassList.named(List.of("Background", "Nucleus"));
        PolygonCleaning cleaning = PolygonCleaning.defaults();
        try (BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            GeoJsonWriter writer = new GeoJsonWriter(file, Map.of());
            try (SpilledHoles spill = new SpilledHoles(dir.resolve("holes.part"), cleaning, null, writer)) {
                ClassMapVectoriser tracer = new ClassMapVectoriser(map.width(), classes, cleaning.before(writer, null), spill);
                for (int y = 0; y < map.height(); y += 64) {
                    tracer.accept(rows(map, y, Math.min(64, map.height() - y)), y);
                }
                tracer.finish();
                assertThat(spill.regions()).as("regions whose holes were spilled").isPositive();
            }
            writer.finish();
        }

        GeometryFactory jts = new GeometryFactory();
        List<String> invalid = new ArrayList<>();
        int polygons = 0, mostHoles = 0;
        long holeVertices = 0;
        for (Object feature : list(map(Json.parse(Files.readString(out))).get("features"))) {
            Map<String, Object> geometry = map(map(feature).get("geometry"));
            assertThat(geometry.get("type")).isEqualTo("Polygon");
            List<Object> rings = list(geometry.get("coordinates"));
            LinearRing[] holes = new LinearRing[rings.size() - 1];
            for (int i = 1; i < rings.size(); i++) {
                holes[i - 1] = ring(jts, rings.get(i));
                holeVertices += holes[i - 1].getNumPoints();
            }
            Polygon polygon = jts.createPolygon(ring(jts, rings.get(0)), holes);
            TopologyValidationError error = new IsValidOp(polygon).getValidationError();
            if (error != null) {
                invalid.add("polygon " + polygons + ": " + error);
            }
            polygons++;
            mostHoles = Math.max(mostHoles, holes.length);
        }
        assertThat(polygons).isGreaterThan(1_000);
        assertThat(mostHoles).as("the background's holes").isGreaterThan(1_000);
        assertThat(holeVertices).as("hole vertices, even simplified: parts of the holes were simplified apart")
                .isGreaterThan(SpilledHoles.SIMPLIFIED_TOGETHER);
        assertThat(invalid).as("invalid polygons of %d", polygons).isEmpty();
    }

    /** The 20 truth masks, 5 across and 4 down: their labels, background (1) and nucleus (2). */
    private static LabelRaster mosaicOfTheExpertsNuclei() throws IOException {
        int width = COLUMNS * SIDE, height = ROWS * SIDE;
        byte[] classes = new byte[width * height];
        for (int i = 0; i < COLUMNS * ROWS; i++) {
            BufferedImage truth = ImageIO.read(SharedData.file(String.format("gbm-nuclei/%02d_truth.png", i + 1)).toFile());
            assertThat(truth.getWidth()).isEqualTo(SIDE);
            assertThat(truth.getHeight()).isEqualTo(SIDE);
            int x0 = (i % COLUMNS) * SIDE, y0 = (i / COLUMNS) * SIDE;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int label = truth.getRaster().getSample(x, y, 0);
                    assertThat(label).isBetween(1, 2);
                    classes[(y0 + y) * width + x0 + x] = (byte) label;
                }
            }
        }
        return new LabelRaster(width, height, classes);
    }

    private static LabelRaster rows(LabelRaster map, int y, int h) {
        byte[] strip = new byte[map.width() * h];
        System.arraycopy(map.data(), y * map.width(), strip, 0, strip.length);
        return new LabelRaster(map.width(), h, strip);
    }

    private static LinearRing ring(GeometryFactory jts, Object ring) {
        List<Object> points = list(ring);
        Coordinate[] coordinates = new Coordinate[points.size()];
        for (int i = 0; i < coordinates.length; i++) {
            List<Object> p = list(points.get(i));
            coordinates[i] = new Coordinate(((Number) p.get(0)).doubleValue(), ((Number) p.get(1)).doubleValue());
        }
        return jts.createLinearRing(coordinates);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object json) {
        return (List<Object>) json;
    }
}
