package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's results become annotations: accepted into the human layer (all, per class, or chosen
 * regions) with their provenance, given back by the undo; and the measurements of a slice and a series.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsAsAnnotationsTest {
    HistoDrawServer server;
    Client c;
    long series;
    long slice;
    long other;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        long project = c.send("POST", "/api/v1/projects", Map.of("name", "Results")).json().get("id").asLong();
        series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        slice = c.awaitJob(c.upload("/api/v1/series/" + series + "/slices", "a.png", RegionEditsTest.ringPng(),
                Map.of("micronsPerPixel", "0.5")).json().get("jobId").asText()).get("sliceId").asLong();
        other = c.awaitJob(c.upload("/api/v1/series/" + series + "/slices", "b.png", RegionEditsTest.ringPng(), Map.of())
                .json().get("jobId").asText()).get("sliceId").asLong();
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    static Map<String, Object> square(double x, double y, double side, String cls) {
        return Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(
                List.of(x, y), List.of(x + side, y), List.of(x + side, y + side), List.of(x, y + side), List.of(x, y)))),
                "properties", Map.of("classification", Map.of("name", cls)));
    }

    @BeforeEach
    void generatedLayer() {
        for (long s : List.of(slice, other)) {
            for (JsonNode f : c.get("/api/v1/slices/" + s + "/regions?layer=human").json().get("features")) {
                c.send("DELETE", "/api/v1/regions/" + f.get("id").asLong() + "?version=" + f.at("/properties/version").asInt(), null);
            }
        }
        Client.Response r = c.send("PUT", "/api/v1/slices/" + slice + "/layers/generated", Map.of("type", "FeatureCollection",
                "provenance", Map.of("service", "seg", "model", "m-123", "modelName", "glands", "job", "j" + System.nanoTime()),
                "features", List.of(square(10, 10, 20, "Epithelium"), square(50, 10, 10, "Epithelium"), square(10, 50, 30, "Stroma"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    JsonNode layer(String name) {
        return c.get("/api/v1/slices/" + slice + "/regions?layer=" + name).json().get("features");
    }

    @Test
    void acceptingAClassMovesItsRegionsIntoTheHumanLayerWithTheirProvenance() {
        Client.Response r = c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("layer", "generated", "classes", List.of("Epithelium")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        JsonNode human = layer("human");
        assertThat(human).hasSize(2);
        JsonNode provenance = human.get(0).at("/properties/provenance");
        assertThat(provenance.get("user").asText()).isEqualTo(TestServer.ADMIN);
        assertThat(provenance.at("/acceptedFrom/layer").asText()).isEqualTo("generated");
        assertThat(provenance.at("/acceptedFrom/provenance/model").asText()).isEqualTo("m-123");
        assertThat(provenance.at("/acceptedFrom/provenance/modelName").asText()).isEqualTo("glands");
        assertThat(layer("generated")).as("what is left of the model's layer").hasSize(1);
        // One change in the history: the two creates and the two deletes share a seq.
        JsonNode events = c.get("/api/v1/slices/" + slice + "/history?limit=10").json().get("events");
        assertThat(events.get(0).get("seq").asLong()).isEqualTo(events.get(3).get("seq").asLong());

        // Exported like any annotation.
        Client.Response exported = c.get("/api/v1/slices/" + slice + "/export?format=geojson");
        assertThat(exported.status()).as(exported.toString()).isEqualTo(200);
        assertThat(exported.text()).contains("Epithelium");

        // Now an annotation like any other: re-classed by an update.
        JsonNode first = human.get(0);
        Client.Response edit = c.send("PUT", "/api/v1/regions/" + first.get("id").asLong(), Map.of("type", "Feature",
                "geometry", first.get("geometry"), "properties", Map.of("classification", Map.of("name", "Stroma"),
                        "version", first.at("/properties/version").asInt())));
        assertThat(edit.status()).as(edit.toString()).isEqualTo(200);

        // Given back (the undo): in the generated layer again, with the model's own provenance.
        List<Long> ids = new ArrayList<>();
        for (JsonNode m : r.json().get("regions")) {
            ids.add(m.get("to").asLong());
        }
        Client.Response back = c.send("POST", "/api/v1/slices/" + slice + "/unaccept", Map.of("regions", ids));
        assertThat(back.status()).as(back.toString()).isEqualTo(200);
        assertThat(layer("human")).isEmpty();
        JsonNode generated = layer("generated");
        assertThat(generated).hasSize(3);
        for (JsonNode f : generated) {
            assertThat(f.at("/properties/provenance/model").asText()).isEqualTo("m-123");
            assertThat(f.at("/properties/provenance/acceptedFrom").isMissingNode()).isTrue();
        }
    }

    @Test
    void acceptingChosenRegionsOrAllAndTheMistakesOneCanMake() {
        JsonNode generated = layer("generated");
        long chosen = generated.get(2).get("id").asLong();
        Client.Response one = c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("regions", List.of(chosen)));
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(layer("human")).hasSize(1);
        assertThat(layer("human").get(0).at("/properties/classification/name").asText()).isEqualTo("Stroma");

        // A human region is not a result; a region of another slice is not this slice's.
        long human = layer("human").get(0).get("id").asLong();
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("regions", List.of(human))).json().get("error").asText())
                .contains("already in the human layer");
        assertThat(c.send("POST", "/api/v1/slices/" + other + "/accept", Map.of("regions", List.of(generated.get(0).get("id").asLong())))
                .json().get("error").asText()).contains("not on slice " + other);
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("layer", "human")).status()).isEqualTo(400);
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("regions", List.of("x"))).status()).isEqualTo(400);
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of()).status()).isEqualTo(400);
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/unaccept", Map.of("regions", List.of(generated.get(0).get("id").asLong())))
                .json().get("error").asText()).contains("not an accepted result");
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("regions", List.of(999_999))).status()).isEqualTo(404);

        Client.Response all = c.send("POST", "/api/v1/slices/" + slice + "/accept", Map.of("layer", "generated"));
        assertThat(all.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(layer("generated")).isEmpty();
        assertThat(layer("human")).hasSize(3);
    }

    @Test
    void measurementsOfASliceAndOfTheSeries() {
        c.send("POST", "/api/v1/slices/" + slice + "/regions", square(100, 100, 40, "Lumen"));
        JsonNode m = c.get("/api/v1/slices/" + slice + "/measurements").json();
        assertThat(m.get("micronsPerPixel").asDouble()).isEqualTo(0.5);
        JsonNode lumen = null;
        for (JsonNode r : m.get("regions")) {
            if ("Lumen".equals(r.path("className").asText())) {
                lumen = r;
            }
        }
        assertThat(lumen.get("areaPx").asDouble()).isCloseTo(1600, within(1e-9));
        assertThat(lumen.get("perimeterPx").asDouble()).isCloseTo(160, within(1e-9));
        assertThat(lumen.get("areaUm2").asDouble()).isCloseTo(400, within(1e-9));
        assertThat(lumen.get("perimeterUm").asDouble()).isCloseTo(80, within(1e-9));
        assertThat(lumen.get("layer").asText()).isEqualTo("human");
        assertThat(lumen.get("author").asText()).isEqualTo(TestServer.ADMIN);
        assertThat(m.get("regions")).hasSize(4);
        assertThat(c.get("/api/v1/slices/" + slice + "/measurements?layer=generated").json().get("regions")).hasSize(3);

        c.send("POST", "/api/v1/slices/" + other + "/regions", square(0, 0, 10, "Lumen"));
        JsonNode s = c.get("/api/v1/series/" + series + "/measurements?layer=human").json();
        assertThat(s.get("slices")).hasSize(2);
        assertThat(s.get("totals")).hasSize(2);
        for (JsonNode t : s.get("totals")) {
            assertThat(t.get("className").asText()).isEqualTo("Lumen");
            assertThat(t.get("count").asInt()).isEqualTo(1);
            if (t.get("slice").asLong() == other) {
                assertThat(t.get("areaPx").asDouble()).isEqualTo(100);
                assertThat(t.get("areaUm2").isNull()).as("no pixel size, no µm²").isTrue();
            }
        }
        assertThat(c.get("/api/v1/series/" + series + "/measurements?layer=../x").status()).isEqualTo(400);
    }
}
