package org.histodraw.engine.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.Test;

class GeoJsonTest {
    private static final ClassList CLASSES = new ClassList(List.of(
            new ImageClass(1, "Tumor", 0xC80000), new ImageClass(2, "Stroma", 0x96C896)));

    /** What QuPath 0.4 writes for "Export objects as GeoJSON" (FeatureCollection), shortened. */
    private static final String QUPATH = """
            {
              "type": "FeatureCollection",
              "features": [
                {
                  "type": "Feature",
                  "id": "0c6a4f3e-9d9e-4a57-b2f8-6f4f8b7a3c11",
                  "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                      [[10, 10], [60, 10], [60, 40], [10, 40], [10, 10]],
                      [[20, 20], [20, 30], [30, 30], [30, 20], [20, 20]]
                    ]
                  },
                  "properties": {
                    "objectType": "annotation",
                    "classification": {"name": "Tumor", "color": [200, 0, 0]},
                    "isLocked": false
                  }
                },
                {
                  "type": "Feature",
                  "id": "7d1b0c52-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
                  "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                      [[[100.5, 5], [120, 5], [110, 25.25], [100.5, 5]]],
                      [[[130, 5], [150, 5], [140, 25]]]
                    ]
                  },
                  "properties": {
                    "objectType": "annotation",
                    "classification": {"name": "Stroma", "colorRGB": -6895466}
                  }
                }
              ]
            }
            """;

    @Test
    void readsAQuPathExportWithItsClassesAndColours() {
        LabelledRegions read = GeoJson.readRegions(QUPATH);
        assertThat(read.classes().classes()).containsExactly(
                new ImageClass(1, "Tumor", 0xC80000), new ImageClass(2, "Stroma", 0x96C896));
        assertThat(read.regions()).hasSize(3);
        Polygon tumour = read.regions().get(0).polygon();
        assertThat(tumour.shell().coordinates()).containsExactly(10, 10, 60, 10, 60, 40, 10, 40);
        assertThat(tumour.holes()).hasSize(1);
        assertThat(tumour.area()).isEqualTo(50 * 30 - 100);
        assertThat(read.regions().get(1).polygon().shell().coordinates()).containsExactly(100.5, 5, 120, 5, 110, 25.25);
        assertThat(read.regions().get(2).polygon().shell().size()).as("unclosed ring accepted").isEqualTo(3);
        assertThat(read.regions().get(2).imageClass().name()).isEqualTo("Stroma");
    }

    @Test
    void readsAgainstAGivenClassListAndNamesUnknownClasses() {
        List<ClassifiedPolygon> regions = GeoJson.readRegions(QUPATH, new ClassList(List.of(
                new ImageClass(1, "Stroma", 0x0000ff), new ImageClass(2, "Tumor", 0x00ff00))));
        assertThat(regions).extracting(r -> r.imageClass().index()).containsExactly(2, 1, 1);
        assertThatThrownBy(() -> GeoJson.readRegions(QUPATH, ClassList.named(List.of("Necrosis"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown classes Tumor, Stroma (the class list has Necrosis)");
    }

    @Test
    void aSingleFeatureOrABareArrayOfFeaturesIsReadToo() {
        String feature = """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]]]},
                 "properties":{"name":"Necrosis"}}""";
        assertThat(GeoJson.readRegions(feature).classes().get(1).name()).isEqualTo("Necrosis");
        String array = "[" + feature + "," + feature.replace("\"name\":\"Necrosis\"", "\"class\":\"Fat\"") + "]";
        LabelledRegions read = GeoJson.readRegions(array);
        assertThat(read.classes().classes()).extracting(ImageClass::name).containsExactly("Necrosis", "Fat");
        assertThat(read.classes().get(1).rgb()).isEqualTo(ImageClass.defaultColour(1));
    }

    @Test
    void aDerivedQuPathClassKeepsBothNames() {
        String json = """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]]]},
                 "properties":{"classification":{"names":["Tumor","Positive"],"color":[1,2,3]}}}""";
        LabelledRegions read = GeoJson.readRegions(json);
        assertThat(read.classes().get(1)).isEqualTo(new ImageClass(1, "Tumor: Positive", 0x010203));
    }

    @Test
    void errorsNameTheFeatureAndTheProblem() {
        String line = """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4]]]},"properties":{"name":"A"}},
                 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[4,0]]},"properties":{"name":"A"}}]}""";
        assertThatThrownBy(() -> GeoJson.readRegions(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GeoJSON feature 1: is a line (QuPath's line or polyline annotation): a line has no area and HistoDraw's regions are areas");
        String unnamed = """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4]]]},"properties":{}}""";
        assertThatThrownBy(() -> GeoJson.readRegions(unnamed)).hasMessageContaining("GeoJSON feature 0: has no class");
        String text = """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,"x"],[4,4]]]},"properties":{"name":"A"}}""";
        assertThatThrownBy(() -> GeoJson.readRegions(text))
                .hasMessage("GeoJSON feature 0: has a polygon shell whose position 1 is not [x, y] numbers but an array of 2");
        String tiny = """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]},"properties":{"name":"A"}}""";
        assertThatThrownBy(() -> GeoJson.readRegions(tiny))
                .hasMessage("GeoJSON feature 0: has a polygon with fewer than 3 distinct vertices (no area)");
        String noGeometry = """
                {"type":"Feature","geometry":null,"properties":{"name":"A"}}""";
        assertThatThrownBy(() -> GeoJson.readRegions(noGeometry)).hasMessage("GeoJSON feature 0: has no geometry");
        assertThatThrownBy(() -> GeoJson.readRegions("{\"type\":\"Topology\",\"coordinates\":[]}"))
                .hasMessageContaining("expected a FeatureCollection, a Feature, a geometry or an array of them");
        assertThatThrownBy(() -> GeoJson.readRegions("{\"type\":")).isInstanceOf(JsonException.class)
                .hasMessageContaining("line 1, column 9");
    }

    @Test
    void writtenFeaturesHaveQuPathsShape() {
        Polygon framed = new Polygon(new Ring(new double[] {0, 0, 0, 10, 10, 10, 10, 0}), // shell given anticlockwise
                List.of(new Ring(new double[] {2, 2, 4, 2, 4, 4, 2, 4})));
        StringBuilder out = new StringBuilder();
        GeoJson.write(List.of(new ClassifiedPolygon(CLASSES.get(1), framed)), out,
                Map.of("model", Map.of("id", "abc123", "name", "H&E v2")));
        @SuppressWarnings("unchecked")
        Map<String, Object> fc = (Map<String, Object>) Json.parse(out.toString());
        assertThat(fc.get("type")).isEqualTo("FeatureCollection");
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) ((List<Object>) fc.get("features")).get(0);
        assertThat(f.get("type")).isEqualTo("Feature");
        assertThat((String) f.get("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(f.get("properties")).isEqualTo(Map.of("objectType", "annotation",
                "classification", Map.of("name", "Tumor", "color", List.of(200.0, 0.0, 0.0)),
                "model", Map.of("id", "abc123", "name", "H&E v2")));
        assertThat(out.toString()).contains(
                "\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]]]");
    }

    @Test
    void idsAreReproducibleAndDistinct() {
        LabelRaster map = LabelRaster.allocate(6, 3);
        map.set(0, 0, 1);
        map.set(2, 0, 1);
        map.set(4, 0, 1);
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map, CLASSES);
        String once = GeoJson.toText(polygons);
        assertThat(GeoJson.toText(polygons)).isEqualTo(once);
        assertThat(once.split("\"id\":\"")).hasSize(4);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String part : once.split("\"id\":\"")) {
            ids.add(part.substring(0, Math.min(36, part.length())));
        }
        assertThat(ids).hasSize(4);
    }

    @Test
    void tracedPolygonsSurviveARoundTrip() {
        LabelRaster map = LabelRaster.allocate(12, 9);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 12; x++) {
                map.set(x, y, (x * 7 + y * 3) % 5 == 0 ? 0 : 1 + (x / 4 + y / 3) % 2);
            }
        }
        List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(map, CLASSES);
        assertThat(GeoJson.readRegions(GeoJson.toText(traced), CLASSES)).isEqualTo(traced);
        LabelledRegions read = GeoJson.readRegions(GeoJson.toText(traced));
        assertThat(read.classes()).isEqualTo(CLASSES);
    }

    @Test
    void theWriterStreamsBehindTheVectoriser() {
        LabelRaster map = LabelRaster.allocate(8, 8);
        for (int i = 0; i < 8; i++) {
            map.set(i, i, 1);
            map.set(7 - i, i, 2);
        }
        StringBuilder streamed = new StringBuilder();
        GeoJsonWriter writer = new GeoJsonWriter(streamed);
        ClassMapVectoriser v = new ClassMapVectoriser(8, CLASSES, writer);
        v.accept(map, 0);
        v.finish();
        writer.finish();
        assertThat(writer.featuresWritten()).isEqualTo(16);
        assertThat(streamed.toString()).isEqualTo(GeoJson.toText(ClassMapVectoriser.vectorise(map, CLASSES)));
        assertThatThrownBy(() -> writer.accept(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void extraPropertiesMayNotReplaceTheClassification() {
        assertThatThrownBy(() -> new GeoJsonWriter(new StringBuilder(), Map.of("classification", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classification");
    }
}
