package org.histodraw.engine.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.PolygonValidity;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.Test;

class QuPathReaderTest {

    /**
     * A QuPath 0.5 "Export objects as GeoJSON" (FeatureCollection) of one image, made by hand after
     * QuPath's writer (QuPathTypeAdapters, ROITypeAdapters): an annotation with everything QuPath
     * writes, a derived class, a cell with its nucleus, a detection, a points and a line annotation,
     * a self-intersecting outline, and a feature without geometry.
     */
    static final String EXPORT = """
            {
              "type": "FeatureCollection",
              "features": [
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c01",
                  "geometry": {"type": "Polygon", "coordinates": [
                    [[10, 10], [60, 10], [60, 40], [10, 40], [10, 10]],
                    [[20, 20], [20, 30], [30, 30], [30, 20], [20, 20]]]},
                  "properties": {
                    "objectType": "annotation",
                    "name": "Invasive front",
                    "color": [255, 200, 0],
                    "classification": {"name": "Tumor", "color": [200, 0, 0]},
                    "isLocked": true,
                    "measurements": {"Area µm^2": 1400.5, "Num Detections": 3, "Mean DAB": "NaN"},
                    "metadata": {"reviewer": "AB"}
                  }
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c02",
                  "geometry": {"type": "MultiPolygon", "coordinates": [
                    [[[100.5, 5], [120, 5], [110, 25.25], [100.5, 5]]],
                    [[[130, 5], [150, 5], [140, 25], [130, 5]]]]},
                  "properties": {
                    "objectType": "annotation",
                    "classification": {"names": ["Tumor", "Positive"], "color": [224, 0, 48]}
                  }
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c03",
                  "geometry": {"type": "Polygon", "coordinates": [[[200, 200], [220, 200], [220, 220], [200, 220], [200, 200]]]},
                  "nucleusGeometry": {"type": "Polygon", "coordinates": [[[205, 205], [215, 205], [215, 215], [205, 215], [205, 205]]]},
                  "properties": {
                    "objectType": "cell",
                    "classification": {"name": "Positive", "color": [200, 50, 50]},
                    "measurements": {"Nucleus: Area": 100, "Cell: DAB OD mean": 0.42}
                  }
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c04",
                  "geometry": {"type": "Polygon", "coordinates": [[[300, 300], [310, 300], [310, 310], [300, 300]]]},
                  "properties": {"objectType": "detection"}
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c05",
                  "geometry": {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
                  "properties": {"objectType": "annotation", "classification": {"name": "Tumor", "color": [200, 0, 0]}}
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c06",
                  "geometry": {"type": "LineString", "coordinates": [[0, 0], [40, 40]]},
                  "properties": {"objectType": "annotation"}
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c07",
                  "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]},
                  "properties": {"objectType": "annotation", "classification": {"name": "Stroma", "color": [150, 200, 150]}}
                },
                {
                  "type": "Feature",
                  "id": "5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c08",
                  "geometry": null,
                  "properties": {"objectType": "annotation"}
                }
              ]
            }
            """;

    /** Splits the bow-tie of feature 6 into its two triangles, as a noding repair would. */
    private static final PolygonRepair SPLIT_BOW_TIE = (p, problem) -> List.of(
            new Polygon(new Ring(new double[] {0, 0, 5, 5, 0, 10})), new Polygon(new Ring(new double[] {10, 0, 10, 10, 5, 5})));

    @Test
    void readsEverythingQuPathWritesAboutAnAnnotation() {
        QuPathObject a = QuPathReader.read(EXPORT, PolygonRepair.REFUSE).objects().get(0);
        assertThat(a.at()).isEqualTo("feature 0");
        assertThat(a.id()).isEqualTo("5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c01");
        assertThat(a.objectType()).isEqualTo("annotation");
        assertThat(a.name()).isEqualTo("Invasive front");
        assertThat(a.classification()).isEqualTo(new Classification("Tumor", 0xC80000));
        assertThat(a.polygons()).hasSize(1);
        assertThat(a.polygons().get(0).holes()).hasSize(1);
        assertThat(a.polygons().get(0).area()).isEqualTo(50 * 30 - 100);
        assertThat(a.measurements()).containsExactly(Map.entry("Area µm^2", 1400.5), Map.entry("Num Detections", 3.0),
                Map.entry("Mean DAB", Double.NaN));
        assertThat(a.properties()).containsOnlyKeys("color", "isLocked", "metadata");
        assertThat(a.properties().get("metadata")).isEqualTo(Map.of("reviewer", "AB"));
        assertThat(a.notes()).isEmpty();
    }

    @Test
    void aDerivedClassKeepsAllItsNamesAndAMultiPolygonStaysOneObject() {
        QuPathObject derived = QuPathReader.read(EXPORT, PolygonRepair.REFUSE).objects().get(1);
        assertThat(derived.classification()).isEqualTo(new Classification("Tumor: Positive", 0xE00030));
        assertThat(derived.classification().parts()).containsExactly("Tumor", "Positive");
        assertThat(derived.classification().parent()).isEqualTo("Tumor");
        assertThat(derived.polygons()).hasSize(2);
    }

    @Test
    void cellsKeepTheirNucleusAndDetectionsTheirType() {
        List<QuPathObject> objects = QuPathReader.read(EXPORT, PolygonRepair.REFUSE).objects();
        QuPathObject cell = objects.get(2);
        assertThat(cell.objectType()).isEqualTo("cell");
        assertThat(cell.isDetection()).isTrue();
        assertThat(cell.nucleus()).hasSize(1);
        assertThat(cell.nucleus().get(0).area()).isEqualTo(100);
        assertThat(cell.measurements()).containsEntry("Nucleus: Area", 100.0);
        assertThat(objects.get(3).objectType()).isEqualTo("detection");
        assertThat(objects.get(3).classification()).isNull();
    }

    @Test
    void pointsLinesAndMissingGeometryAreReportedAndTheRestIsRead() {
        QuPathFile file = QuPathReader.read(EXPORT, PolygonRepair.REFUSE);
        assertThat(file.objects()).extracting(QuPathObject::at).containsExactly("feature 0", "feature 1", "feature 2", "feature 3");
        assertThat(file.skipped()).extracting(Skipped::at)
                .containsExactly("feature 4", "feature 5", "feature 6", "feature 7");
        assertThat(file.skipped().get(0).message()).startsWith("feature 4: is a point (QuPath's points annotation)");
        assertThat(file.skipped().get(0).id()).isEqualTo("5bc3a9a3-2c58-4b5e-9a0e-2f8d4b9e1c05");
        assertThat(file.skipped().get(1).reason()).startsWith("is a line (QuPath's line or polyline annotation)");
        assertThat(file.skipped().get(2).reason()).isEqualTo(
                "the polygon is invalid (shell intersects itself at (5.0, 5.0) (and 1 more)) and could not be repaired");
        assertThat(file.skipped().get(3).reason()).isEqualTo("has no geometry");
    }

    @Test
    void anInvalidOutlineIsRepairedWhenARepairIsGivenAndTheReportSaysSo() {
        QuPathFile file = QuPathReader.read(EXPORT, SPLIT_BOW_TIE);
        QuPathObject repaired = file.objects().get(4);
        assertThat(repaired.at()).isEqualTo("feature 6");
        assertThat(repaired.polygons()).hasSize(2).allMatch(PolygonValidity::isValid);
        assertThat(repaired.notes()).containsExactly("repaired the polygon: shell intersects itself at (5.0, 5.0) (and 1 more) (it became 2 polygons)");
        assertThat(file.skipped()).extracting(Skipped::at).containsExactly("feature 4", "feature 5", "feature 7");
    }

    @Test
    void withoutARepairPolygonsAreTakenAsTheyAre() {
        QuPathFile file = QuPathReader.read(EXPORT, null);
        assertThat(file.objects()).hasSize(5);
        assertThat(file.objects().get(4).polygons().get(0).shell().size()).isEqualTo(4);
    }

    @Test
    void qupathsOwnSerialisedRoiIsReadAsABareGeometry() throws IOException {
        // qupath-core/src/test/resources/data/polygon.geojson, written by QuPath (see README.md there)
        QuPathFile file = QuPathReader.read(resource("qupath/polygon.geojson"), PolygonRepair.REFUSE);
        assertThat(file.skipped()).isEmpty();
        QuPathObject roi = file.objects().get(0);
        assertThat(roi.classification()).isNull();
        assertThat(roi.objectType()).isEqualTo("annotation");
        assertThat(roi.notes()).contains("a bare geometry (no properties): read as an unclassified annotation");
        assertThat(roi.polygons()).hasSize(3).allMatch(PolygonValidity::isValid);
        assertThat(roi.polygons().stream().mapToInt(p -> p.holes().size()).sum()).isEqualTo(26);
        assertThat(roi.polygons().get(0).shell().x(0)).isEqualTo(7053.47);
    }

    @Test
    void qupathsDerivedClassesAreReadInBothOfTheirForms() throws IOException {
        // QuPath's derived-class.json (0.4+) and derived-class-legacy.json (0.3), written by QuPath
        for (String file : List.of("derived-class.json", "derived-class-legacy.json")) {
            String classification = resource("qupath/" + file);
            String feature = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,0]]]},"
                    + "\"properties\":{\"objectType\":\"annotation\",\"classification\":" + classification + "}}";
            Classification c = QuPathReader.read(feature, PolygonRepair.REFUSE).objects().get(0).classification();
            String suffix = file.contains("legacy") ? "-legacy" : "";
            assertThat(c.parts()).as(file).containsExactly("First" + suffix, "Second" + suffix, "Third" + suffix, "Fourth" + suffix);
            assertThat(c.rgb()).as(file).isEqualTo(file.contains("legacy") ? -16711165 & 0xffffff : 0x0A141E);
        }
    }

    @Test
    void qupath02FilesAreReadToo() {
        String v02 = """
                [{"type":"Feature","id":"PathCellObject",
                  "geometry":{"type":"Polygon","coordinates":[[[0,0],[8,0],[8,8],[0,8],[0,0]]]},
                  "properties":{"classification":{"name":"Tumor","colorRGB":-3670016},"isLocked":false,
                    "measurements":[{"name":"Area","value":64},{"name":"Perimeter","value":"NaN"}]}}]""";
        QuPathObject cell = QuPathReader.read(v02, PolygonRepair.REFUSE).objects().get(0);
        assertThat(cell.id()).as("the 0.2 type name is not an id").isNull();
        assertThat(cell.objectType()).isEqualTo("cell");
        assertThat(cell.classification()).isEqualTo(new Classification("Tumor", -3670016 & 0xffffff));
        assertThat(cell.measurements()).containsExactly(Map.entry("Area", 64.0), Map.entry("Perimeter", Double.NaN));
    }

    @Test
    void aHierarchyIsFlattenedParentFirstAndItsRootGivesNoObject() {
        String hierarchy = """
                {"type":"Feature","geometry":null,"properties":{"objectType":"root","childObjects":[
                  {"type":"Feature","id":"a","geometry":{"type":"Polygon","coordinates":[[[0,0],[100,0],[100,100],[0,0]]]},
                   "properties":{"objectType":"annotation","childObjects":[
                     {"type":"Feature","id":"b","geometry":{"type":"Polygon","coordinates":[[[10,1],[20,1],[20,9],[10,1]]]},
                      "properties":{"objectType":"detection"}}]}}]}}""";
        QuPathFile file = QuPathReader.read(hierarchy, PolygonRepair.REFUSE);
        assertThat(file.skipped()).isEmpty();
        assertThat(file.objects()).extracting(QuPathObject::id).containsExactly("a", "b");
        assertThat(file.objects()).extracting(QuPathObject::at).containsExactly("feature 0, child 0", "feature 0, child 0, child 0");
    }

    @Test
    void aGeometryCollectionGivesItsPolygonsAndThePlaneIsKept() {
        String json = """
                {"type":"Feature","geometry":{"type":"GeometryCollection","plane":{"c":-1,"z":2,"t":0},"geometries":[
                  {"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]]]},
                  {"type":"LineString","coordinates":[[0,0],[9,9]]}]},
                 "properties":{"objectType":"annotation"}}""";
        QuPathObject o = QuPathReader.read(json, PolygonRepair.REFUSE).objects().get(0);
        assertThat(o.polygons()).hasSize(1);
        assertThat(o.properties().get("plane")).isEqualTo(Map.of("c", -1.0, "z", 2.0, "t", 0.0));
        assertThat(o.notes()).anyMatch(n -> n.contains("0 point(s) and 1 line(s), left out"))
                .anyMatch(n -> n.startsWith("lies on plane"));
    }

    @Test
    void otherToolsFilesNameTheClassNameOrClass() {
        String json = """
                [{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]]]},"properties":{"name":"Necrosis"}},
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]]]},"properties":{"class":"Fat"}},
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]]]},
                  "properties":{"objectType":"annotation","name":"only a name"}}]""";
        QuPathFile file = QuPathReader.read(json, PolygonRepair.REFUSE);
        assertThat(file.objects()).extracting(QuPathObject::className).containsExactly("Necrosis", "Fat", null);
        assertThat(file.objects().get(2).name()).as("in a QuPath file the name is the object's").isEqualTo("only a name");
        LabelledRegions labelled = file.labelled();
        assertThat(labelled.classes().classes()).extracting(ImageClass::name).containsExactly("Necrosis", "Fat");
        assertThat(file.unclassified()).hasSize(1);
    }

    @Test
    void oddValuesAreNotedNotFatal() {
        String json = """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]],[[1,1],[1,1]]]},
                 "properties":{"objectType":"spaceship","classification":{"name":"A","color":[300,0,0]},
                  "measurements":{"ok":1,"bad":"lots","inf":"Infinity"}}}""";
        QuPathObject o = QuPathReader.read(json, PolygonRepair.REFUSE).objects().get(0);
        assertThat(o.objectType()).isEqualTo("annotation");
        assertThat(o.classification()).isEqualTo(new Classification("A", -1));
        assertThat(o.measurements()).containsExactly(Map.entry("ok", 1.0), Map.entry("inf", Double.POSITIVE_INFINITY));
        assertThat(o.polygons().get(0).holes()).isEmpty();
        assertThat(o.notes()).containsExactly(
                "unknown object type \"spaceship\": read as an annotation",
                "classification.color an array of 3 is not [r, g, b] in 0..255: colour left out",
                "measurement \"bad\" is the string \"lots\", not a number: left out",
                "polygon hole 0 has fewer than 3 distinct vertices (no area): left out");
    }

    @Test
    void anUnreadableTopLevelFailsWithWhereAndWhat() {
        assertThatThrownBy(() -> QuPathReader.read("{\"type\":\"Topology\"}", null))
                .hasMessage("GeoJSON: expected a FeatureCollection, a Feature, a geometry or an array of them, got type the string \"Topology\"");
        assertThatThrownBy(() -> QuPathReader.read("{\"type\":", null)).isInstanceOf(JsonException.class);
        QuPathFile file = QuPathReader.read("[1, {\"type\":\"Feature\",\"properties\":5,\"geometry\":null}]", null);
        assertThat(file.skipped()).extracting(Skipped::message).containsExactly(
                "feature 0: is not a JSON object but the number 1",
                "feature 1: \"properties\" must be a JSON object, got the number 5");
    }

    @Test
    void treesFromAnotherParserWithOtherNumberTypesAreReadFeatureByFeature() {
        Map<String, Object> feature = Map.of("type", "Feature",
                "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(0, 0), List.of(4L, 0), List.of(4, 4.5)))),
                "properties", Map.of("classification", Map.of("name", "A", "color", List.of(1, 2, 3))));
        List<QuPathObject> got = new java.util.ArrayList<>();
        QuPathReader.readFeature(feature, 7, PolygonRepair.REFUSE, new QuPathReader.Sink() {
            @Override
            public void object(QuPathObject object) {
                got.add(object);
            }

            @Override
            public void skipped(Skipped skipped) {
                throw new AssertionError(skipped.message());
            }
        });
        assertThat(got.get(0).at()).isEqualTo("feature 7");
        assertThat(got.get(0).classification()).isEqualTo(new Classification("A", 0x010203));
        assertThat(got.get(0).polygons().get(0).shell().y(2)).isEqualTo(4.5);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = QuPathReaderTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
