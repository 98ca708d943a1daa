package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionsApiTest {
    HistoDrawServer server;
    Client editor;
    long series;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        server = start(dir);
        editor = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        long project = editor.send("POST", "/api/v1/projects", Map.of("name", "Regions")).json().get("id").asLong();
        series = editor.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
    }

    /** The server under test; PostgresRegionsApiTest runs the same tests on PostgreSQL. */
    HistoDrawServer start(Path dir) {
        return TestServer.start(dir);
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    long newSlice() throws Exception {
        Client.Response up = editor.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of());
        return editor.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
    }

    static Map<String, Object> box(double x, double y, double w, double h, String cls) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("classification", Map.of("name", cls, "color", List.of(255, 0, 0)));
        props.put("note", "drawn at " + x + "," + y);
        return Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(x, y), List.of(x + w, y), List.of(x + w, y + h), List.of(x, y + h), List.of(x, y)))),
                "properties", props);
    }

    static Map<String, Object> withVersion(Map<String, Object> feature, int version) {
        Map<String, Object> m = new LinkedHashMap<>(feature);
        m.put("version", version);
        return m;
    }

    List<Long> ids(JsonNode collection) {
        List<Long> out = new ArrayList<>();
        collection.get("features").forEach(f -> out.add(f.get("id").asLong()));
        return out;
    }

    /**
     * PUT replaces the region: outline and properties as sent. A client that edits a QuPath object
     * sends back what GET gave (name, measurements, metadata), changing what it changes; a property
     * left out is removed, which is how a client removes one.
     */
    @Test
    void putReplacesTheRegionSoAnEditSendsBackTheImportedNameAndMeasurements() throws Exception {
        long slice = newSlice();
        String qupath = """
                {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "3f1b1a5e-8c9d-4e0f-9a41-0a6c2b1d7e11",
                 "geometry": {"type": "Polygon", "coordinates": [[[2, 2], [20, 2], [20, 20], [2, 20], [2, 2]]]},
                 "properties": {"objectType": "annotation", "name": "Gland 7", "classification": {"name": "Tumor", "color": [200, 0, 0]},
                  "measurements": {"Area µm^2": 81.0, "Num Detections": 12}, "metadata": {"scanner": "GT450"}}}]}""";
        assertThat(editor.send("POST", "/api/v1/slices/" + slice + "/import?format=geojson", qupath).status()).isEqualTo(200);
        JsonNode got = editor.get("/api/v1/slices/" + slice + "/regions").json().get("features").get(0);
        long id = got.at("/properties/id").asLong();

        // The viewer's edit: a new outline and class, every other property sent back as it came.
        com.fasterxml.jackson.databind.node.ObjectNode edit = got.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) edit.get("properties")).set("classification",
                Client.JSON.valueToTree(Map.of("name", "Stroma")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) edit).set("geometry", Client.JSON.valueToTree(box(2, 2, 30, 30, "x").get("geometry")));
        JsonNode edited = editor.send("PUT", "/api/v1/regions/" + id, edit).json();
        assertThat(edited.at("/properties/version").asInt()).isEqualTo(2);
        assertThat(edited.at("/properties/classification/name").asText()).isEqualTo("Stroma");
        assertThat(edited.at("/properties/name").asText()).isEqualTo("Gland 7");
        assertThat(edited.at("/properties/measurements/Num Detections").asInt()).isEqualTo(12);
        assertThat(edited.at("/properties/metadata/scanner").asText()).isEqualTo("GT450");
        JsonNode exported = editor.get("/api/v1/slices/" + slice + "/export?format=geojson").json().get("features").get(0);
        assertThat(exported.get("id").asText()).as("QuPath finds its object again").isEqualTo("3f1b1a5e-8c9d-4e0f-9a41-0a6c2b1d7e11");
        assertThat(exported.at("/properties/name").asText()).isEqualTo("Gland 7");

        // What PUT means: the properties sent, no others.
        JsonNode bare = editor.send("PUT", "/api/v1/regions/" + id, withVersion(box(2, 2, 30, 30, "Stroma"), 2)).json();
        assertThat(bare.at("/properties/name").isMissingNode()).isTrue();
        assertThat(bare.at("/properties/measurements").isMissingNode()).isTrue();
        assertThat(bare.at("/properties/note").asText()).isEqualTo("drawn at 2.0,2.0");
    }

    @Test
    void createUpdateDeleteWithVersionsAndStaleUpdatesRefused() throws Exception {
        long slice = newSlice();
        Client.Response created = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(10, 10, 20, 20, "Tumor"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode f = created.json();
        long id = f.get("id").asLong();
        assertThat(f.get("properties").get("version").asInt()).isEqualTo(1);
        assertThat(f.get("properties").get("layer").asText()).isEqualTo("human");
        assertThat(f.get("properties").get("classification").get("name").asText()).isEqualTo("Tumor");
        assertThat(f.get("properties").get("provenance").get("user").asText()).isEqualTo("admin");
        assertThat(f.get("geometry").get("type").asText()).isEqualTo("Polygon");

        Client.Response updated = editor.send("PUT", "/api/v1/regions/" + id, withVersion(box(12, 12, 20, 20, "Necrosis"), 1));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("properties").get("version").asInt()).isEqualTo(2);

        Client.Response stale = editor.send("PUT", "/api/v1/regions/" + id, withVersion(box(14, 14, 20, 20, "Tumor"), 1));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("currentVersion").asInt()).isEqualTo(2);
        assertThat(stale.json().get("error").asText()).contains("version 2");

        assertThat(editor.send("DELETE", "/api/v1/regions/" + id + "?version=1", null).status()).isEqualTo(409);
        assertThat(editor.send("DELETE", "/api/v1/regions/" + id + "?version=2", null).status()).isEqualTo(204);
        Client.Response afterDelete = editor.send("PUT", "/api/v1/regions/" + id, withVersion(box(1, 1, 2, 2, "Tumor"), 2));
        assertThat(afterDelete.status()).isEqualTo(409);
        assertThat(afterDelete.json().get("deleted").asBoolean()).isTrue();
        assertThat(editor.get("/api/v1/regions/999999").status()).isEqualTo(404);
        assertThat(ids(editor.get("/api/v1/slices/" + slice + "/regions").json())).isEmpty();
    }

    @Test
    void invalidGeometryIsRefusedWithAMessageAndNothingStored() throws Exception {
        long slice = newSlice();
        Map<String, Object> bowtie = Map.of("type", "Feature", "properties", Map.of(), "geometry", Map.of("type", "Polygon",
                "coordinates", List.of(List.of(List.of(0, 0), List.of(10, 10), List.of(10, 0), List.of(0, 10), List.of(0, 0)))));
        Client.Response r = editor.send("POST", "/api/v1/slices/" + slice + "/regions", bowtie);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("Self-intersection").contains("(5, 5)");
        Client.Response line = editor.send("POST", "/api/v1/slices/" + slice + "/regions",
                Map.of("type", "Feature", "geometry", Map.of("type", "LineString", "coordinates", List.of(List.of(0, 0), List.of(1, 1)))));
        assertThat(line.json().get("error").asText()).contains("Polygon or MultiPolygon");
        assertThat(editor.send("POST", "/api/v1/slices/" + slice + "/regions", "{not json").json().get("error").asText()).contains("malformed JSON");
        assertThat(editor.get("/api/v1/slices/" + slice + "/history").json().get("events")).isEmpty();
    }

    @Test
    void bboxQueryReturnsOnlyIntersectingRegionsAndPagesByCursor() throws Exception {
        long slice = newSlice();
        Set<Long> inside = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 10; j++) {
                double x = i * 300, y = j * 300;
                long id = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(x, y, 100, 100, j % 2 == 0 ? "A" : "B"))
                        .json().get("id").asLong();
                if (x + 100 >= 1000 && x <= 2000 && y + 100 >= 500 && y <= 1200) {
                    inside.add(id);
                }
            }
        }
        // One huge region that covers everything.
        long huge = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(-50, -50, 20000, 5000, "A")).json().get("id").asLong();
        inside.add(huge);
        JsonNode hit = editor.get("/api/v1/slices/" + slice + "/regions?bbox=1000,500,2000,1200").json();
        assertThat(new HashSet<>(ids(hit))).isEqualTo(inside);
        assertThat(hit.get("seq").asLong()).isEqualTo(401);
        JsonNode onlyA = editor.get("/api/v1/slices/" + slice + "/regions?bbox=1000,500,2000,1200&class=A").json();
        onlyA.get("features").forEach(f -> assertThat(f.get("properties").get("classification").get("name").asText()).isEqualTo("A"));

        List<Long> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = editor.get("/api/v1/slices/" + slice + "/regions?limit=150" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            paged.addAll(ids(page));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(paged).hasSize(401).doesNotHaveDuplicates().isSorted();
        assertThat(pages).isEqualTo(3);
        assertThat(editor.get("/api/v1/slices/" + slice + "/regions?bbox=1,2,3").status()).isEqualTo(400);
    }

    @Test
    void layerReplaceIsAtomicIdempotentAndLeavesHumanRegionsAlone() throws Exception {
        long slice = newSlice();
        long human = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(5, 5, 10, 10, "Tumor")).json().get("id").asLong();
        List<Object> features = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            features.add(box(i * 20, 0, 10, 10, "Nucleus"));
        }
        Map<String, Object> layer = Map.of("type", "FeatureCollection", "features", features,
                "provenance", Map.of("service", "histodraw-segment", "model", "forest-7", "job", "job-1"));
        JsonNode first = editor.send("PUT", "/api/v1/slices/" + slice + "/layers/generated", layer).json();
        assertThat(first.get("created").asInt()).isEqualTo(50);
        assertThat(first.get("unchanged").asBoolean()).isFalse();
        JsonNode again = editor.send("PUT", "/api/v1/slices/" + slice + "/layers/generated", layer).json();
        assertThat(again.get("unchanged").asBoolean()).isTrue();
        assertThat(again.get("seq").asLong()).isEqualTo(first.get("seq").asLong());

        JsonNode generated = editor.get("/api/v1/slices/" + slice + "/regions?layer=generated").json();
        assertThat(generated.get("features")).hasSize(50);
        assertThat(generated.get("features").get(0).get("properties").get("provenance").get("model").asText()).isEqualTo("forest-7");

        Map<String, Object> smaller = Map.of("type", "FeatureCollection", "features", features.subList(0, 10),
                "provenance", Map.of("service", "histodraw-segment", "model", "forest-8", "job", "job-2"));
        JsonNode second = editor.send("PUT", "/api/v1/slices/" + slice + "/layers/generated", smaller).json();
        assertThat(second.get("deleted").asInt()).isEqualTo(50);
        assertThat(second.get("created").asInt()).isEqualTo(10);
        assertThat(editor.get("/api/v1/slices/" + slice + "/regions?layer=generated").json().get("features")).hasSize(10);
        assertThat(ids(editor.get("/api/v1/slices/" + slice + "/regions?layer=human").json())).containsExactly(human);

        // A bad feature anywhere refuses the whole layer: the previous one stays.
        List<Object> broken = new ArrayList<>(features.subList(0, 5));
        broken.add(Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(0, 0), List.of(1, 1))))));
        Client.Response refused = editor.send("PUT", "/api/v1/slices/" + slice + "/layers/generated",
                Map.of("type", "FeatureCollection", "features", broken, "provenance", Map.of("service", "s", "model", "m")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).startsWith("feature 5:");
        assertThat(editor.get("/api/v1/slices/" + slice + "/regions?layer=generated").json().get("features")).hasSize(10);
        assertThat(editor.send("PUT", "/api/v1/slices/" + slice + "/layers/human", smaller).status()).isEqualTo(400);
        Client.Response noProvenance = editor.send("PUT", "/api/v1/slices/" + slice + "/layers/other",
                Map.of("type", "FeatureCollection", "features", features));
        assertThat(noProvenance.json().get("error").asText()).contains("provenance");
    }

    @Test
    void historyListsEveryChangeAndRestoreBringsBackAnEarlierState() throws Exception {
        long slice = newSlice();
        long a = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(0, 0, 10, 10, "A")).json().get("id").asLong();
        long b = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(20, 0, 10, 10, "B")).json().get("id").asLong();
        JsonNode history = editor.get("/api/v1/slices/" + slice + "/history").json();
        long checkpoint = history.get("events").get(0).get("eventId").asLong();
        editor.send("PUT", "/api/v1/regions/" + a, withVersion(box(0, 0, 50, 50, "A"), 1));
        editor.send("DELETE", "/api/v1/regions/" + b + "?version=1", null);
        long c = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(40, 40, 10, 10, "C")).json().get("id").asLong();

        JsonNode events = editor.get("/api/v1/slices/" + slice + "/history").json().get("events");
        assertThat(events).hasSize(5);
        assertThat(events.get(0).get("op").asText()).isEqualTo("create");
        assertThat(events.get(1).get("op").asText()).isEqualTo("delete");
        assertThat(events.get(2).get("op").asText()).isEqualTo("update");
        assertThat(events.get(0).get("user").asText()).isEqualTo("admin");

        JsonNode restored = editor.send("POST", "/api/v1/slices/" + slice + "/restore", Map.of("eventId", checkpoint)).json();
        assertThat(restored.get("changed").asInt()).isEqualTo(3);
        JsonNode now = editor.get("/api/v1/slices/" + slice + "/regions").json();
        assertThat(ids(now)).containsExactly(a, b);
        JsonNode ra = now.get("features").get(0);
        assertThat(ra.get("geometry").get("coordinates").get(0).get(2).toString()).isEqualTo("[10,10]");
        assertThat(ra.get("properties").get("version").asInt()).isEqualTo(3);
        assertThat(now.get("features").get(1).get("properties").get("version").asInt()).isEqualTo(3);
        assertThat(editor.get("/api/v1/regions/" + c).status()).isEqualTo(404);
        // Restoring is itself a change: restoring to just before it undoes it.
        long beforeRestore = restored.get("seq").asLong() - 1;
        editor.send("POST", "/api/v1/slices/" + slice + "/restore", Map.of("seq", beforeRestore));
        assertThat(ids(editor.get("/api/v1/slices/" + slice + "/regions").json())).containsExactly(a, c);
    }

    @Test
    void concurrentEditorsNeverLoseAnEdit() throws Exception {
        long slice = newSlice();
        int clients = 6, edits = 15;
        List<Client> users = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            users.add(Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD));
        }
        long shared = editor.send("POST", "/api/v1/slices/" + slice + "/regions", box(0, 0, 5, 5, "Shared")).json().get("id").asLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Client c = users.get(i);
                int who = i;
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int m = 0; m < edits; m++) {
                        JsonNode f = c.send("POST", "/api/v1/slices/" + slice + "/regions", box(who * 100, m * 10, 8, 8, "C" + who)).json();
                        long id = f.get("id").asLong();
                        Client.Response u = c.send("PUT", "/api/v1/regions/" + id, withVersion(box(who * 100, m * 10, 9, 9, "C" + who), 1));
                        if (u.status() != 200) {
                            throw new AssertionError(u.toString());
                        }
                        mine.add(id);
                        // Everyone also edits one shared region, retrying on conflicts as a client would.
                        while (true) {
                            int v = c.get("/api/v1/regions/" + shared).json().get("properties").get("version").asInt();
                            Client.Response s = c.send("PUT", "/api/v1/regions/" + shared, withVersion(box(0, 0, 5 + v, 5, "Shared"), v));
                            if (s.status() == 200) {
                                break;
                            }
                            if (s.status() != 409) {
                                throw new AssertionError(s.toString());
                            }
                        }
                    }
                    return mine;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            JsonNode regions = editor.get("/api/v1/slices/" + slice + "/regions").json();
            assertThat(regions.get("features")).hasSize(clients * edits + 1);
            Set<Long> stored = new HashSet<>(ids(regions));
            assertThat(stored).containsAll(all);
            regions.get("features").forEach(f -> {
                int expected = f.get("id").asLong() == shared ? clients * edits + 1 : 2;
                assertThat(f.get("properties").get("version").asInt()).as("region %s", f.get("id")).isEqualTo(expected);
            });
            // One commit per successful write, numbered without gaps.
            long commits = 1 + 2L * clients * edits + (long) clients * edits;
            assertThat(regions.get("seq").asLong()).isEqualTo(commits);
            JsonNode changes = editor.get("/api/v1/slices/" + slice + "/changes?since=0&limit=10000").json();
            List<Long> seqs = new ArrayList<>();
            changes.get("changes").forEach(ch -> seqs.add(ch.get("seq").asLong()));
            assertThat(seqs).hasSize((int) commits).isSorted().doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
