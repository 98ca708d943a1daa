package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * QuPath round trips through the server: a hand-made export after QuPath's writer
 * ({@code qupath-export.geojson}: annotation with name, colour, lock, measurements and metadata, a
 * derived class, a cell with its nucleus, a detection, a points and a line annotation, a
 * self-intersecting outline, a feature without geometry) and QuPath's own serialised ROI
 * ({@code polygon.geojson} from QuPath's test resources, in the engine's test resources).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuPathExchangeTest {
    static final String OURS = "48495354-4452-8000-8000-";
    HistoDrawServer server;
    Client owner;
    long project;
    long series;
    String export;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        project = owner.send("POST", "/api/v1/projects", Map.of("name", "QuPath round trips")).json().get("id").asLong();
        owner.send("PUT", "/api/v1/projects/" + project + "/ontology", List.of(Map.of("name", "Tumor", "color", "#c80000")));
        series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        try (InputStream in = getClass().getResourceAsStream("qupath-export.geojson")) {
            export = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    long newSlice() throws IOException {
        String job = owner.upload("/api/v1/series/" + series + "/slices", "slide-" + System.nanoTime() + ".png",
                AccessMatrixTest.tinyPng(), Map.of()).json().get("jobId").asText();
        return owner.awaitJob(job).get("sliceId").asLong();
    }

    Client.Response importInto(long slice, String file) {
        return owner.send(owner.request("/api/v1/slices/" + slice + "/import").header("Content-Type", "application/geo+json")
                .POST(HttpRequest.BodyPublishers.ofString(file)));
    }

    List<JsonNode> regions(long slice, String layer) {
        List<JsonNode> out = new ArrayList<>();
        owner.get("/api/v1/slices/" + slice + "/regions?layer=" + layer).json().get("features").forEach(out::add);
        return out;
    }

    static JsonNode named(List<JsonNode> features, String name) {
        return features.stream().filter(f -> name.equals(f.at("/properties/name").asText(null))).findFirst().orElseThrow();
    }

    @Test
    void everyFeatureIsImportedOrReportedWithTheReason() throws IOException {
        long slice = newSlice();
        Client.Response r = importInto(slice, export);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(report.get("imported").asInt()).isEqualTo(5);
        assertThat(report.get("created").asInt()).isEqualTo(5);
        assertThat(report.get("skipped").asInt()).isEqualTo(3);
        Map<String, JsonNode> entries = new HashMap<>();
        report.get("features").forEach(e -> entries.put(e.get("feature").asText(), e));
        assertThat(entries.keySet()).containsExactlyInAnyOrder("feature 4", "feature 5", "feature 6", "feature 7");
        assertThat(entries.get("feature 4").get("outcome").asText()).isEqualTo("skipped");
        assertThat(entries.get("feature 4").get("reason").asText()).startsWith("is a point");
        assertThat(entries.get("feature 4").get("id").asText()).isEqualTo("7a1f6a52-3b0e-4c1d-9e3f-5b8c2d7e9a05");
        assertThat(entries.get("feature 5").get("reason").asText()).startsWith("is a line");
        assertThat(entries.get("feature 7").get("reason").asText()).isEqualTo("has no geometry");
        assertThat(entries.get("feature 6").get("outcome").asText()).isEqualTo("imported");
        assertThat(entries.get("feature 6").get("notes").get(0).asText()).startsWith("repaired the polygon: shell intersects itself");

        List<JsonNode> human = regions(slice, "human");
        assertThat(human).hasSize(3);
        JsonNode front = named(human, "Invasive front");
        assertThat(front.at("/properties/classification/name").asText()).isEqualTo("Tumor");
        assertThat(front.at("/properties/measurements/Mean DAB").asText()).isEqualTo("NaN");
        assertThat(front.at("/properties/measurements/Area µm^2").asDouble()).isEqualTo(9600.5);
        assertThat(front.at("/properties/isLocked").asBoolean()).isTrue();
        assertThat(front.at("/properties/metadata/reviewer").asText()).isEqualTo("AB");
        assertThat(front.at("/properties/color").toString()).isEqualTo("[255,200,0]");
        JsonNode bowTie = human.stream().filter(f -> "Stroma".equals(f.at("/properties/classification/name").asText())).findFirst().orElseThrow();
        assertThat(bowTie.at("/geometry/type").asText()).as("the figure of eight became its two triangles").isEqualTo("MultiPolygon");
        assertThat(bowTie.at("/geometry/coordinates")).hasSize(2);
        JsonNode derived = human.stream().filter(f -> f.at("/geometry/type").asText().equals("MultiPolygon")
                && f.at("/properties/classification/name").asText().equals("Tumor: Positive")).findFirst().orElseThrow();
        assertThat(derived.at("/geometry/coordinates")).as("a MultiPolygon stays one region").hasSize(2);

        List<JsonNode> detections = regions(slice, "detections");
        assertThat(detections).hasSize(2);
        JsonNode cell = detections.stream().filter(f -> f.at("/properties/objectType").asText().equals("cell")).findFirst().orElseThrow();
        assertThat(cell.at("/properties/nucleusGeometry/type").asText()).isEqualTo("Polygon");
        assertThat(cell.at("/properties/measurements/Cell: DAB OD mean").asDouble()).isEqualTo(0.42);
        JsonNode layers = owner.get("/api/v1/slices/" + slice + "/layers").json();
        assertThat(layers.toString()).as("the detections layer is listed for viewers").contains("\"name\":\"detections\"").contains("\"count\":2");

        JsonNode ontology = owner.get("/api/v1/projects/" + project + "/ontology").json();
        Map<String, JsonNode> classes = new HashMap<>();
        ontology.forEach(c -> classes.put(c.get("name").asText(), c));
        assertThat(classes.get("Tumor: Positive").get("parent").asText()).isEqualTo("Tumor");
        assertThat(classes.get("Tumor: Positive").get("color").asText()).isEqualTo("#e00030");
        assertThat(classes.get("Tumor").get("color").asText()).as("kept").isEqualTo("#c80000");
        assertThat(classes).containsKeys("Positive", "Stroma");
    }

    @Test
    void importingTheSameObjectsAgainUpdatesThemInsteadOfAddingCopies() throws IOException {
        long slice = newSlice();
        assertThat(importInto(slice, export).status()).isEqualTo(200);
        long frontId = named(regions(slice, "human"), "Invasive front").get("id").asLong();

        JsonNode again = importInto(slice, export).json();
        assertThat(again.get("created").asInt()).isZero();
        assertThat(again.get("updated").asInt()).isZero();
        assertThat(again.get("unchanged").asInt()).isEqualTo(5);
        assertThat(regions(slice, "human")).hasSize(3);
        assertThat(regions(slice, "detections")).hasSize(2);

        String moved = export.replace("[[10, 10], [110, 10], [110, 110], [10, 110], [10, 10]]", "[[10, 10], [120, 10], [120, 110], [10, 110], [10, 10]]");
        JsonNode changed = importInto(slice, moved).json();
        assertThat(changed.get("updated").asInt()).isEqualTo(1);
        assertThat(changed.get("unchanged").asInt()).isEqualTo(4);
        JsonNode front = named(regions(slice, "human"), "Invasive front");
        assertThat(front.get("id").asLong()).isEqualTo(frontId);
        assertThat(front.at("/properties/version").asInt()).isEqualTo(2);
        assertThat(owner.get("/api/v1/slices/" + slice + "/history").json().toString()).contains("\"op\":\"update\"");
    }

    @Test
    void exportGivesBackWhatCameInAndEveryClassAColour() throws IOException {
        long slice = newSlice();
        assertThat(importInto(slice, export).status()).isEqualTo(200);
        Map<String, Object> mystery = Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(0, 0), List.of(5, 0), List.of(5, 5), List.of(0, 0)))),
                "properties", Map.of("classification", Map.of("name", "Mystery")));
        long drawn = owner.send("POST", "/api/v1/slices/" + slice + "/regions", mystery).json().get("id").asLong();

        Client.Response r = owner.get("/api/v1/slices/" + slice + "/export");
        assertThat(r.status()).isEqualTo(200);
        Map<String, JsonNode> byId = new HashMap<>();
        r.json().get("features").forEach(f -> byId.put(f.get("id").asText(), f));
        assertThat(byId).hasSize(6);
        JsonNode front = byId.get("7a1f6a52-3b0e-4c1d-9e3f-5b8c2d7e9a01");
        assertThat(front.at("/properties/objectType").asText()).isEqualTo("annotation");
        assertThat(front.at("/properties/name").asText()).isEqualTo("Invasive front");
        assertThat(front.at("/properties/classification").toString()).isEqualTo("{\"name\":\"Tumor\",\"color\":[200,0,0]}");
        assertThat(front.at("/properties/measurements").toString())
                .isEqualTo("{\"Area µm^2\":9600.5,\"Num Detections\":1.0,\"Mean DAB\":\"NaN\"}");
        assertThat(front.at("/properties/isLocked").asBoolean()).isTrue();
        assertThat(front.at("/properties/metadata/reviewer").asText()).isEqualTo("AB");
        assertThat(front.at("/properties/color").toString()).isEqualTo("[255,200,0]");
        assertThat(front.at("/geometry/coordinates/1")).as("the hole").hasSize(5);
        JsonNode derived = byId.get("7a1f6a52-3b0e-4c1d-9e3f-5b8c2d7e9a02");
        assertThat(derived.at("/properties/classification").toString()).isEqualTo("{\"names\":[\"Tumor\",\"Positive\"],\"color\":[224,0,48]}");
        JsonNode cell = byId.get("7a1f6a52-3b0e-4c1d-9e3f-5b8c2d7e9a03");
        assertThat(cell.at("/properties/objectType").asText()).isEqualTo("cell");
        assertThat(cell.at("/nucleusGeometry/coordinates/0")).hasSize(5);
        assertThat(cell.at("/properties/nucleusGeometry").isMissingNode()).isTrue();
        assertThat(cell.at("/properties/layer").asText()).isEqualTo("detections");
        JsonNode ours = byId.get(String.format("%s%012x", OURS, drawn));
        assertThat(ours).as("a region drawn here gets a UUID QuPath keeps").isNotNull();
        assertThat(ours.at("/properties/classification/color")).as("a class missing from the ontology still has a colour").hasSize(3);
        for (JsonNode f : byId.values()) {
            if (f.at("/properties/classification").isObject()) {
                assertThat(f.at("/properties/classification/color")).as(f.get("id").asText()).hasSize(3);
            }
        }
        assertThat(owner.get("/api/v1/slices/" + slice + "/export").text()).as("the same export twice").isEqualTo(r.text());
    }

    @Test
    void aFileThatWentThroughQuPathComesBackToTheRegionsItCameFrom() throws IOException {
        long slice = newSlice();
        Map<String, Object> square = Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(1, 1), List.of(9, 1), List.of(9, 9), List.of(1, 9), List.of(1, 1)))),
                "properties", Map.of("classification", Map.of("name", "Tumor")));
        long drawn = owner.send("POST", "/api/v1/slices/" + slice + "/regions", square).json().get("id").asLong();
        String exported = owner.get("/api/v1/slices/" + slice + "/export").text();
        // QuPath keeps the id, geometry, class and colour, and drops what it does not know ("layer")
        String fromQuPath = exported.replace(",\"layer\":\"human\"", "").replace("[9,9]", "[9,12]");
        JsonNode report = importInto(slice, fromQuPath).json();
        assertThat(report.get("created").asInt()).isZero();
        assertThat(report.get("updated").asInt()).isEqualTo(1);
        List<JsonNode> human = regions(slice, "human");
        assertThat(human).hasSize(1);
        assertThat(human.get(0).get("id").asLong()).isEqualTo(drawn);
        assertThat(human.get(0).at("/properties/version").asInt()).isEqualTo(2);
    }

    @Test
    void qupathsOwnSerialisedRoiComesInAsOneUnclassifiedRegion() throws IOException {
        Path file = Path.of("../engine/src/test/resources/org/histodraw/engine/geojson/qupath/polygon.geojson");
        long slice = newSlice();
        JsonNode report = importInto(slice, Files.readString(file)).json();
        assertThat(report.get("imported").asInt()).isEqualTo(1);
        assertThat(report.at("/features/0/notes/0").asText()).isEqualTo("a bare geometry (no properties): read as an unclassified annotation");
        JsonNode region = regions(slice, "human").get(0);
        assertThat(region.at("/geometry/type").asText()).isEqualTo("MultiPolygon");
        assertThat(region.at("/geometry/coordinates")).hasSize(3);
        assertThat(region.at("/properties/classification").isMissingNode()).isTrue();
        assertThat(region.at("/geometry/coordinates/0/0/0/0").asDouble()).isEqualTo(7053.47);
    }
}
