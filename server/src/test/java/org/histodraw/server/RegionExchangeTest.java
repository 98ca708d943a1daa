package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** QuPath GeoJSON and MicroDraw JSON in and out, per slice and per series. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionExchangeTest {
    HistoDrawServer server;
    Client owner;
    long project;
    long series;
    long first;
    long second;

    /** A QuPath export: an annotation with a hole, classes with colours, one class unknown to the project. */
    static final String QUPATH = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "a1", "geometry": {"type": "Polygon", "coordinates": [
                 [[10, 10], [110, 10], [110, 110], [10, 110], [10, 10]],
                 [[40, 40], [60, 40], [60, 60], [40, 60], [40, 40]]]},
               "properties": {"objectType": "annotation", "classification": {"name": "Tumor", "color": [200, 0, 0]}}},
              {"type": "Feature", "id": "a2", "geometry": {"type": "Polygon", "coordinates": [
                 [[150, 150], [190, 150], [190, 190], [150, 150]]]},
               "properties": {"objectType": "annotation", "classification": {"name": "Necrosis", "color": [20, 30, 40]}}}
            ]}""";

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        project = owner.send("POST", "/api/v1/projects", Map.of("name", "Exchange")).json().get("id").asLong();
        owner.send("PUT", "/api/v1/projects/" + project + "/ontology", List.of(Map.of("name", "Tumor", "color", "#c80000")));
        series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        first = slice("brain-01.png");
        second = slice("brain-02.png");
    }

    long slice(String name) throws IOException {
        String job = owner.upload("/api/v1/series/" + series + "/slices", name, AccessMatrixTest.tinyPng(), Map.of()).json().get("jobId").asText();
        return owner.awaitJob(job).get("sliceId").asLong();
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    Client.Response post(String path, byte[] body, String type) {
        return owner.send(owner.request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    JsonNode regions(long slice) {
        return owner.get("/api/v1/slices/" + slice + "/regions").json().get("features");
    }

    void clear(long slice) {
        for (JsonNode f : regions(slice)) {
            owner.send("DELETE", "/api/v1/regions/" + f.get("id").asLong() + "?version=" + f.at("/properties/version").asInt(), null);
        }
    }

    static double area(JsonNode geometry) {
        double total = 0;
        JsonNode polygons = geometry.get("type").asText().equals("Polygon")
                ? Client.JSON.createArrayNode().add(geometry.get("coordinates")) : geometry.get("coordinates");
        for (JsonNode polygon : polygons) {
            for (int r = 0; r < polygon.size(); r++) {
                JsonNode ring = polygon.get(r);
                double a = 0;
                for (int i = 0; i + 1 < ring.size(); i++) {
                    a += ring.get(i).get(0).asDouble() * ring.get(i + 1).get(1).asDouble() - ring.get(i + 1).get(0).asDouble() * ring.get(i).get(1).asDouble();
                }
                total += (r == 0 ? 1 : -1) * Math.abs(a / 2);
            }
        }
        return total;
    }

    @Test
    void qupathGeoJsonImportsIntoTheHumanLayerAndAddsUnknownClasses() {
        clear(first);
        Client.Response r = post("/api/v1/slices/" + first + "/import", QUPATH.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("imported").asInt()).isEqualTo(2);
        assertThat(r.json().get("classesAdded").toString()).isEqualTo("[\"Necrosis\"]");
        JsonNode ontology = owner.get("/api/v1/projects/" + project + "/ontology").json();
        assertThat(ontology.toString()).contains("\"Necrosis\"").contains("#141e28");
        JsonNode features = regions(first);
        assertThat(features).hasSize(2);
        assertThat(features.get(0).at("/properties/layer").asText()).isEqualTo("human");
        assertThat(area(features.get(0).get("geometry"))).isEqualTo(100 * 100 - 20 * 20);
        assertThat(features.get(0).at("/properties/provenance/imported").asBoolean()).isTrue();
    }

    @Test
    void exportIsWhatQupathReadsAndMicroDrawRoundTrips() {
        clear(first);
        post("/api/v1/slices/" + first + "/import", QUPATH.getBytes(StandardCharsets.UTF_8), "application/json");
        Client.Response geo = owner.get("/api/v1/slices/" + first + "/export?format=geojson");
        assertThat(geo.status()).isEqualTo(200);
        assertThat(geo.header("Content-Disposition")).contains("brain-01.geojson");
        JsonNode f = geo.json().get("features").get(0);
        assertThat(f.at("/properties/objectType").asText()).isEqualTo("annotation");
        assertThat(f.at("/properties/classification/color").toString()).isEqualTo("[200,0,0]");

        Client.Response md = owner.get("/api/v1/slices/" + first + "/export?format=microdraw");
        assertThat(md.status()).isEqualTo(200);
        assertThat(md.json().isArray()).isTrue();
        assertThat(md.json().get(0).at("/annotation/name").asText()).isEqualTo("Tumor");

        clear(first);
        Client.Response back = post("/api/v1/slices/" + first + "/import?format=auto", md.body(), "application/json");
        assertThat(back.status()).as(back.toString()).isEqualTo(200);
        JsonNode features = regions(first);
        assertThat(features).hasSize(2);
        double total = 0;
        for (JsonNode g : features) {
            total += area(g.get("geometry"));
        }
        assertThat(total).isCloseTo(100 * 100 - 20 * 20 + 40 * 40 / 2.0, within(1.0));
    }

    @Test
    void badFilesAreRefusedWithTheReasonAndStoreNothing() {
        clear(second);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("not json at all", "is not JSON");
        bad.put("{\"type\": \"Topology\"}", "neither GeoJSON");
        bad.put("", "empty");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Client.Response r = post("/api/v1/slices/" + second + "/import", b.getKey().getBytes(StandardCharsets.UTF_8), "application/json");
            assertThat(r.status()).as(b.getKey()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(b.getKey()).contains(b.getValue());
        }
        assertThat(regions(second)).as("nothing half-imported").isEmpty();
        assertThat(owner.get("/api/v1/slices/" + second + "/export?format=svg").status()).isEqualTo(400);
    }

    @Test
    void aSeriesTravelsAsAZipOfFilesNamedAfterTheSlices() throws IOException {
        clear(first);
        clear(second);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("export/brain-02.geojson"));
            zip.write(QUPATH.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("export/other-slide.geojson"));
            zip.write(QUPATH.getBytes(StandardCharsets.UTF_8));
        }
        Client.Response r = post("/api/v1/series/" + series + "/import", zipped.toByteArray(), "application/zip");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().at("/slices/0/slice").asLong()).isEqualTo(second);
        assertThat(r.json().at("/slices/0/imported").asInt()).isEqualTo(2);
        assertThat(r.json().get("unmatched").toString()).isEqualTo("[\"other-slide.geojson\"]");
        assertThat(regions(first)).isEmpty();
        assertThat(regions(second)).hasSize(2);

        Client.Response out = owner.get("/api/v1/series/" + series + "/export?format=geojson");
        assertThat(out.status()).isEqualTo(200);
        Map<String, JsonNode> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.body()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                files.put(e.getName(), Client.JSON.readTree(zip.readAllBytes()));
            }
        }
        assertThat(files.keySet()).containsExactly("brain-01.geojson", "brain-02.geojson");
        assertThat(files.get("brain-02.geojson").get("features")).hasSize(2);
        assertThat(post("/api/v1/series/" + series + "/import", "no zip".getBytes(StandardCharsets.UTF_8), "application/zip").status()).isEqualTo(400);
    }
}
