package org.histodraw.engine.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.PolygonValidity;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.Test;

class MicroDrawJsonTest {

    /** The annotation file of MicroDraw's own API tests (app/controller/api/api.spec.js, "correctJson"). */
    private static final String UPLOAD = """
            [
              {"annotation": {"path": ["Path", {"applyMatrix": true,
                  "segments": [[345, 157], [386, 159], [385, 199]],
                  "closed": true, "fillColor": [0.1, 0.7, 0.6, 0.5], "strokeColor": [0, 0, 0], "strokeScaling": false}],
                "name": "Contour 1"}},
              {"annotation": {"path": ["Path", {"applyMatrix": true,
                  "segments": [[475, 227], [502, 155], [544, 221]],
                  "closed": true, "fillColor": [0.0, 0.0, 0.6, 0.5], "strokeColor": [0, 0, 0], "strokeScaling": false}],
                "name": "Contour 2"}}
            ]
            """;

    /**
     * What MicroDraw's database returns for one slice (GET /api?source=...&slice=...): documents with
     * the annotation, a CompoundPath left by the subtract tool, a bézier circle (segments with handles,
     * one of them selected), a text label and an open line.
     */
    private static final String DATABASE = """
            [
              {"fileID": "/data/brain.json&slice=12", "user": "anyone", "project": "", "Hash": "-5d2c1a",
               "annotation": {"uid": "9f3e2a1b7c", "name": "Cortex",
                "path": ["CompoundPath", {"applyMatrix": true, "children": [
                    ["Path", {"applyMatrix": true, "segments": [[100, 100], [300, 100], [300, 300], [100, 300]], "closed": true}],
                    ["Path", {"applyMatrix": true, "segments": [[150, 150], [150, 250], [250, 250], [250, 150]], "closed": true}],
                    ["Path", {"applyMatrix": true, "segments": [[180, 180], [220, 180], [220, 220], [180, 220]], "closed": true}]
                  ], "fillColor": [0.8, 0.2, 0.2, 0.5], "strokeColor": [0, 0, 0], "strokeScaling": false}]}},
              {"fileID": "/data/brain.json&slice=12", "user": "anyone", "project": "", "Hash": "-5d2c1a",
               "annotation": {"uid": "4c1d88e0a2", "name": "Ventricle",
                "path": ["Path", {"applyMatrix": true, "segments": [
                    [[600, 500], [0, -55.2285], [0, 55.2285]],
                    [[500, 600], [55.2285, 0], [-55.2285, 0]],
                    [[400, 500], [0, 55.2285], [0, -55.2285], 1],
                    [[500, 400], [-55.2285, 0], [55.2285, 0]]
                  ], "closed": true, "fillColor": [0.2, 0.2, 0.8, 0.5], "strokeColor": [0, 0, 0], "strokeScaling": false}]}},
              {"fileID": "/data/brain.json&slice=12", "user": "anyone", "project": "", "Hash": "-5d2c1a",
               "annotation": {"uid": "77aa", "name": "textAnnotation",
                "path": ["PointText", {"applyMatrix": false, "matrix": [1, 0, 0, 1, 50, 60], "content": "lesion",
                  "fillColor": [0, 0, 0], "fontSize": 12}]}},
              {"fileID": "/data/brain.json&slice=12", "user": "anyone", "project": "", "Hash": "-5d2c1a",
               "annotation": {"uid": "88bb", "name": "Cortex",
                "path": ["Path", {"applyMatrix": true, "segments": [[10, 10], [90, 10]], "strokeColor": [0, 0, 0]}]}}
            ]
            """;

    @Test
    void readsMicroDrawsOwnUploadSample() {
        LabelledRegions read = MicroDrawJson.withScale(1).readRegions(UPLOAD);
        assertThat(read.classes().classes()).containsExactly(
                new ImageClass(1, "Contour 1", 0x1AB399), new ImageClass(2, "Contour 2", 0x000099));
        assertThat(read.regions().get(0).polygon().shell().coordinates()).containsExactly(345, 157, 386, 159, 385, 199);
        assertThat(read.regions().get(1).polygon().shell().coordinates()).containsExactly(475, 227, 502, 155, 544, 221);
    }

    @Test
    void unitsAreAThousandthOfTheImageWidth() {
        Polygon p = MicroDrawJson.forImageWidth(4000).readRegions(UPLOAD).regions().get(0).polygon();
        assertThat(p.shell().coordinates()).containsExactly(1380, 628, 1544, 636, 1540, 796);
    }

    @Test
    void aCompoundPathBecomesAPolygonWithAHoleAndAnIsland() {
        List<ClassifiedPolygon> regions = MicroDrawJson.withScale(1).readRegions(DATABASE).regions();
        List<ClassifiedPolygon> cortex = regions.stream().filter(r -> r.imageClass().name().equals("Cortex")).toList();
        assertThat(cortex).hasSize(2);
        assertThat(cortex.get(0).polygon().area()).isEqualTo(200 * 200 - 100 * 100);
        assertThat(cortex.get(0).polygon().holes()).hasSize(1);
        assertThat(cortex.get(1).polygon().area()).isEqualTo(40 * 40);
        assertThat(cortex.get(0).imageClass().rgb()).isEqualTo(0xCC3333);
    }

    @Test
    void beziersAreFlattenedCloseToTheCurve() {
        MicroDrawJson reader = MicroDrawJson.withScale(1).flatness(0.1);
        Polygon circle = reader.readRegions(DATABASE).regions().stream()
                .filter(r -> r.imageClass().name().equals("Ventricle")).findFirst().orElseThrow().polygon();
        Ring ring = circle.shell();
        assertThat(ring.size()).isGreaterThan(32);
        for (int i = 0; i < ring.size(); i++) {
            // four-arc bézier circles stay within 0.03 % of the radius
            assertThat(Math.hypot(ring.x(i) - 500, ring.y(i) - 500)).isCloseTo(100, within(0.1));
        }
        assertThat(circle.area()).isCloseTo(Math.PI * 100 * 100, within(50.0));
        assertThat(PolygonValidity.problems(circle)).isEmpty();
    }

    @Test
    void textAndOpenLinesAreNotRegions() {
        LabelledRegions read = MicroDrawJson.withScale(1).readRegions(DATABASE);
        assertThat(read.classes().classes()).extracting(ImageClass::name).containsExactly("Cortex", "Ventricle");
        assertThat(read.regions()).hasSize(3);
    }

    @Test
    void everyAnnotationIsReadWithItsUidAndLinesAndTextsAreKeptAsWhatTheyAre() {
        MicroDrawFile file = MicroDrawJson.withScale(1).read(DATABASE);
        assertThat(file.skipped()).isEmpty();
        assertThat(file.annotations()).extracting(MicroDrawAnnotation::uid).containsExactly("9f3e2a1b7c", "4c1d88e0a2", "77aa", "88bb");
        assertThat(file.annotations()).extracting(MicroDrawAnnotation::kind).containsExactly(MicroDrawAnnotation.Kind.REGION,
                MicroDrawAnnotation.Kind.REGION, MicroDrawAnnotation.Kind.TEXT, MicroDrawAnnotation.Kind.LINE);
        assertThat(file.annotations().get(0).polygons()).as("shell with a hole, and an island").hasSize(2);
        MicroDrawAnnotation text = file.annotations().get(2);
        assertThat(text.annotation().get("name")).isEqualTo("textAnnotation");
        assertThat(((List<?>) text.annotation().get("path")).get(0)).isEqualTo("PointText");
        assertThat(file.regions()).hasSize(2);
    }

    @Test
    void anAnnotationThatCannotBeReadIsReportedAndTheOthersAreRead() {
        String json = "[{\"annotation\": {\"name\": \"A\", \"uid\": \"u1\", \"path\": [\"Raster\", {}]}}," + UPLOAD.strip().substring(1);
        MicroDrawFile file = MicroDrawJson.withScale(1).read(json);
        assertThat(file.regions()).hasSize(2);
        assertThat(file.skipped()).hasSize(1);
        assertThat(file.skipped().get(0).id()).isEqualTo("u1");
        assertThat(file.skipped().get(0).message())
                .isEqualTo("MicroDraw region 0: (\"A\"): has path type Raster; MicroDraw's annotations are Path, CompoundPath and PointText");
    }

    @Test
    void curvesThatWouldFlattenIntoMillionsOfPointsAreRefused() {
        StringBuilder segments = new StringBuilder();
        for (int i = 0; i < 20; i++) { // each bézier a loop 10^12 units wide: cut 16 times deep, 65,536 points
            segments.append(i == 0 ? "" : ",").append("[[").append(i * 10).append(",0],[-1e12,1e12],[1e12,1e12]]");
        }
        String bomb = "[{\"annotation\": {\"name\": \"A\", \"uid\": \"b\", \"path\": [\"Path\", {\"segments\": ["
                + segments + "], \"closed\": true}]}}]";
        MicroDrawFile file = MicroDrawJson.withScale(1).read(bomb);
        assertThat(file.annotations()).isEmpty();
        assertThat(file.skipped().get(0).reason()).contains("flatten into more than 1000000 points");
    }

    @Test
    void severalPolygonsAreWrittenAsOneCompoundPathThatReadsBack() {
        Polygon withHole = new Polygon(new Ring(new double[] {0, 0, 100, 0, 100, 100, 0, 100}),
                List.of(new Ring(new double[] {20, 20, 20, 40, 40, 40, 40, 20})));
        Polygon island = new Polygon(new Ring(new double[] {200, 0, 250, 0, 250, 50}));
        StringBuilder out = new StringBuilder();
        JsonWriter w = new JsonWriter(out);
        MicroDrawJson md = MicroDrawJson.forImageWidth(2000);
        md.writeAnnotation(w, List.of(withHole, island), "Cortex", "abc123", 0xC80000);
        assertThat(out.toString()).startsWith("{\"path\":[\"CompoundPath\"").endsWith("\"name\":\"Cortex\",\"uid\":\"abc123\"}");
        MicroDrawAnnotation back = md.annotation(Json.parse(out.toString()), "back");
        assertThat(back.uid()).isEqualTo("abc123");
        assertThat(back.rgb()).isEqualTo(0xC80000);
        assertThat(back.polygons()).hasSize(2);
        assertThat(back.polygons().get(0).area() + back.polygons().get(1).area()).isEqualTo(100 * 100 - 20 * 20 + 50 * 50 / 2.0);
    }

    @Test
    void aMatrixMovesThePoints() {
        String json = """
                [{"annotation": {"name": "A", "path": ["Path", {"applyMatrix": false, "matrix": [2, 0, 0, 2, 10, 20],
                  "segments": [[0, 0], [5, 0], [5, 5]], "closed": true}]}}]""";
        Polygon p = MicroDrawJson.withScale(1).readRegions(json).regions().get(0).polygon();
        assertThat(p.shell().coordinates()).containsExactly(10, 20, 20, 20, 20, 30);
    }

    @Test
    void theLocalStorageFormWithPathsAsTextIsReadToo() {
        String json = """
                {"Regions": [{"name": "A", "uid": "1", "path": "[\\"Path\\",{\\"applyMatrix\\":true,\\"segments\\":[[0,0],[4,0],[4,4]],\\"closed\\":true}]"}]}""";
        assertThat(MicroDrawJson.withScale(1).readRegions(json).regions().get(0).polygon().area()).isEqualTo(8);
    }

    @Test
    void errorsNameTheRegion() {
        String noName = "[{\"annotation\": {\"path\": [\"Path\", {\"segments\": [[0,0],[1,0],[1,1]], \"closed\": true}]}}]";
        assertThatThrownBy(() -> MicroDrawJson.withScale(1).readRegions(noName))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MicroDraw region 0: needs a \"name\" (the class), got null");
        String badSegment = "[{\"annotation\": {\"name\": \"A\", \"path\": [\"Path\", {\"segments\": [[0,0],[1,\"x\"],[1,1]], \"closed\": true}]}}]";
        assertThatThrownBy(() -> MicroDrawJson.withScale(1).readRegions(badSegment))
                .hasMessage("MicroDraw region 0 (\"A\"), segment 1: y must be a number, got the string \"x\"");
        String raster = "[{\"annotation\": {\"name\": \"A\", \"path\": [\"Raster\", {}]}}]";
        assertThatThrownBy(() -> MicroDrawJson.withScale(1).readRegions(raster))
                .hasMessageContaining("path type Raster");
        assertThatThrownBy(() -> MicroDrawJson.withScale(1).readRegions(UPLOAD, ClassList.named(List.of("Contour 1"))))
                .hasMessageContaining("unknown class Contour 2");
        assertThatThrownBy(() -> MicroDrawJson.forImageWidth(0)).hasMessageContaining("0");
    }

    @Test
    void writtenRegionsHaveMicroDrawsShapeAndReadBack() {
        LabelRaster map = LabelRaster.allocate(10, 8);
        for (int y = 1; y < 7; y++) {
            for (int x = 1; x < 9; x++) {
                map.set(x, y, (x == 4 || x == 5) && (y == 3 || y == 4) ? 0 : 1);
            }
        }
        map.set(0, 7, 2);
        ClassList classes = new ClassList(List.of(new ImageClass(1, "Grey matter", 0x808080),
                new ImageClass(2, "White matter", 0xF0F0F0)));
        List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(map, classes);
        MicroDrawJson md = MicroDrawJson.forImageWidth(2000); // 2 px per unit: coordinates halve exactly
        String text = md.toText(traced);
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) Json.parse(text);
        assertThat(items).hasSize(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> annotation = (Map<String, Object>) ((Map<String, Object>) items.get(0)).get("annotation");
        assertThat(annotation.keySet()).containsExactly("path", "name", "uid");
        assertThat(annotation.get("name")).isEqualTo("Grey matter");
        List<?> path = (List<?>) annotation.get("path");
        assertThat(path.get(0)).isEqualTo("CompoundPath");
        assertThat(text).contains("\"fillColor\":[0.502,0.502,0.502,0.5]");
        assertThat(text).contains("[\"Path\",{\"applyMatrix\":true,\"segments\":[[0.5,0.5],[4.5,0.5],[4.5,3.5],[0.5,3.5]],\"closed\":true}]");
        assertThat(md.readRegions(text, classes)).isEqualTo(traced);
        assertThat(md.readRegions(text).classes()).isEqualTo(classes);
    }
}
