package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job stages its layers slice by slice; nothing is visible until it commits them all at once,
 * and a discarded (or abandoned) job leaves no trace. Only the job's own user, with edit rights,
 * can publish or drop it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StagedLayersApiTest {
    HistoDrawServer server;
    int port;
    long project;
    long sliceA;
    long sliceB;
    Client owner;
    Client editor;
    Client viewer;
    Client writeToken;
    Client readToken;

    HistoDrawServer start(Path dir) {
        return TestServer.start(dir);
    }

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = start(dir);
        port = server.port();
        Client admin = Client.login(port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        for (String u : List.of("olga", "edith", "victor")) {
            admin.send("POST", "/api/v1/users", Map.of("username", u, "password", u + "-password"));
        }
        owner = Client.login(port, "olga", "olga-password");
        project = owner.send("POST", "/api/v1/projects", Map.of("name", "Staging")).json().get("id").asLong();
        owner.send("PUT", "/api/v1/projects/" + project + "/members/edith", Map.of("role", "editor"));
        owner.send("PUT", "/api/v1/projects/" + project + "/members/victor", Map.of("role", "viewer"));
        long series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        sliceA = upload(series);
        sliceB = upload(series);
        owner.send("POST", "/api/v1/slices/" + sliceA + "/regions", AccessMatrixTest.square(1));
        writeToken = Client.withToken(port, token(List.of("read", "write")));
        readToken = Client.withToken(port, token(List.of("read")));
        editor = Client.login(port, "edith", "edith-password");
        viewer = Client.login(port, "victor", "victor-password");
    }

    private long upload(long series) throws IOException {
        Client.Response up = owner.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of());
        return owner.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
    }

    private String token(List<String> scopes) {
        return owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "t" + scopes.size(), "scopes", scopes))
                .json().get("token").asText();
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    static Map<String, Object> layer(String job, int at) {
        return Map.of("type", "FeatureCollection", "features", List.of(AccessMatrixTest.square(at)),
                "provenance", Map.of("service", "test", "model", "m1", "job", job));
    }

    private int generatedCount(long slice) {
        return owner.get("/api/v1/slices/" + slice + "/regions?layer=generated").json().get("features").size();
    }

    @Test
    void stagedLayersStayInvisibleUntilTheJobCommitsThemAllAtOnce() {
        assertThat(writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/generated?stage=job-1", layer("job-1", 2)).status())
                .isEqualTo(202);
        assertThat(writeToken.send("PUT", "/api/v1/slices/" + sliceB + "/layers/generated?stage=job-1", layer("job-1", 4)).status())
                .isEqualTo(202);
        // staged again: replaces the staged copy, still one layer per slice
        writeToken.send("PUT", "/api/v1/slices/" + sliceB + "/layers/generated?stage=job-1", layer("job-1", 6));

        assertThat(generatedCount(sliceA)).isZero();
        assertThat(generatedCount(sliceB)).isZero();
        assertThat(owner.get("/api/v1/slices/" + sliceA + "/layers").text()).doesNotContain("generated");
        JsonNode listed = writeToken.get("/api/v1/staged/job-1").json();
        assertThat(listed.get("layers")).hasSize(2);

        Client.Response commit = writeToken.send("POST", "/api/v1/staged/job-1/commit", null);
        assertThat(commit.status()).isEqualTo(200);
        assertThat(commit.json().get("layers")).hasSize(2);
        assertThat(generatedCount(sliceA)).isEqualTo(1);
        JsonNode b = owner.get("/api/v1/slices/" + sliceB + "/regions?layer=generated").json().get("features").get(0);
        assertThat(b.get("geometry").get("coordinates").get(0).get(0).get(0).asInt()).isEqualTo(6);
        assertThat(b.get("properties").get("provenance").get("job").asText()).isEqualTo("job-1");
        // the human region is untouched
        assertThat(owner.get("/api/v1/slices/" + sliceA + "/regions?layer=human").json().get("features")).hasSize(1);
        // the staging is gone
        assertThat(writeToken.send("POST", "/api/v1/staged/job-1/commit", null).status()).isEqualTo(404);
        assertThat(writeToken.get("/api/v1/staged/job-1").status()).isEqualTo(404);
    }

    @Test
    void aLayerStagedInPartsIsPublishedWholeInTheOrderOfItsParts() {
        String path = "/api/v1/slices/" + sliceA + "/layers/parts?stage=job-p";
        assertThat(writeToken.send("PUT", path + "&append=true", layer("job-p", 2)).json().get("error").asText())
                .contains("nothing is staged for layer parts").contains("without append");
        assertThat(writeToken.send("PUT", path, layer("job-p", 2)).status()).isEqualTo(202);
        assertThat(writeToken.send("PUT", path + "&append=true", layer("job-p", 4)).status()).isEqualTo(202);
        Client.Response third = writeToken.send("PUT", path + "&append=true", layer("job-p", 6));
        assertThat(third.status()).isEqualTo(202);
        assertThat(third.json().get("regions").asInt()).isEqualTo(3);
        Client.Response other = writeToken.send("PUT", path + "&append=true", layer("job-q", 8));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().get("error").asText()).contains("provenance of its first part");
        assertThat(writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/parts?append=true", layer("job-p", 8))
                .json().get("error").asText()).contains("goes with stage=JOB");
        assertThat(writeToken.send("PUT", path + "&append=maybe", layer("job-p", 8)).status()).isEqualTo(400);

        assertThat(writeToken.send("POST", "/api/v1/staged/job-p/commit", null).status()).isEqualTo(200);
        JsonNode published = owner.get("/api/v1/slices/" + sliceA + "/regions?layer=parts").json().get("features");
        assertThat(published).hasSize(3);
        List<Integer> corners = new java.util.ArrayList<>();
        published.forEach(f -> corners.add(f.get("geometry").get("coordinates").get(0).get(0).get(0).asInt()));
        assertThat(corners).containsExactlyInAnyOrder(2, 4, 6);
    }

    @Test
    void aLayerPublishedFromItsStagingIsTheLayerPutDirectly() {
        // squares along the 40 x 30 slice's diagonal, and one as large as it, so the spatial keys differ in level
        List<Object> features = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            features.add(AccessMatrixTest.square(i * 2));
        }
        features.add(Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(0, 0), List.of(40, 0), List.of(40, 30), List.of(0, 30), List.of(0, 0)))),
                "properties", Map.of("classification", Map.of("name", "Stroma"), "score", 0.5)));
        Map<String, Object> provenance = Map.of("service", "test", "model", "m1", "job", "job-same");
        String path = "/api/v1/slices/" + sliceB + "/layers/same";
        writeToken.send("PUT", path + "?stage=job-same", Map.of("type", "FeatureCollection", "features", features.subList(0, 5),
                "provenance", provenance));
        writeToken.send("PUT", path + "?stage=job-same&append=true", Map.of("type", "FeatureCollection",
                "features", features.subList(5, features.size()), "provenance", provenance));
        assertThat(writeToken.send("POST", "/api/v1/staged/job-same/commit", null).status()).isEqualTo(200);
        JsonNode staged = owner.get("/api/v1/slices/" + sliceB + "/regions?layer=same").json().get("features");

        // the same content put directly is recognised as what is there (the same content hash)
        JsonNode again = writeToken.send("PUT", path, Map.of("type", "FeatureCollection", "features", features,
                "provenance", provenance)).json();
        assertThat(again.get("unchanged").asBoolean()).isTrue();
        // and in the staged order, with the same geometries and properties
        assertThat(staged).hasSize(13);
        for (int i = 0; i < 12; i++) {
            assertThat(staged.get(i).at("/geometry/coordinates/0/0/0").asInt()).isEqualTo(i * 2);
        }
        assertThat(staged.get(12).at("/properties/score").asDouble()).isEqualTo(0.5);
        // found where they lie: their spatial keys and bounds were computed at staging
        JsonNode corner = owner.get("/api/v1/slices/" + sliceB + "/regions?layer=same&bbox=26,26,26.5,26.5").json().get("features");
        assertThat(corner).hasSize(2); // the last square (22-27) and the large one
        JsonNode right = owner.get("/api/v1/slices/" + sliceB + "/regions?layer=same&bbox=38,1,39,2").json().get("features");
        assertThat(right).hasSize(1);
        assertThat(right.get(0).at("/properties/classification/name").asText()).isEqualTo("Stroma");
    }

    @Test
    void aDiscardedJobLeavesNothingAndCanBeDiscardedTwice() {
        writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/other?stage=job-2", layer("job-2", 3));
        assertThat(writeToken.send("DELETE", "/api/v1/staged/job-2", null).status()).isEqualTo(204);
        assertThat(writeToken.send("DELETE", "/api/v1/staged/job-2", null).status()).isEqualTo(204);
        assertThat(owner.get("/api/v1/slices/" + sliceA + "/regions?layer=other").json().get("features")).isEmpty();
        assertThat(writeToken.send("POST", "/api/v1/staged/job-2/commit", null).status()).isEqualTo(404);
    }

    @Test
    void onlyTheJobsOwnUserWithEditRightsCanStagePublishOrDropIt() {
        assertThat(writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/mine?stage=job-3", layer("job-3", 2)).status())
                .isEqualTo(202);
        // read-only callers cannot stage at all
        assertThat(readToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/mine?stage=job-4", layer("job-4", 2)).status())
                .isEqualTo(403);
        assertThat(viewer.send("PUT", "/api/v1/slices/" + sliceA + "/layers/mine?stage=job-4", layer("job-4", 2)).status())
                .isEqualTo(403);
        // another editor can neither add to, publish, drop nor read someone else's job
        assertThat(editor.send("PUT", "/api/v1/slices/" + sliceB + "/layers/mine?stage=job-3", layer("job-3", 2)).status())
                .isEqualTo(403);
        assertThat(editor.send("POST", "/api/v1/staged/job-3/commit", null).status()).isEqualTo(403);
        assertThat(editor.send("DELETE", "/api/v1/staged/job-3", null).status()).isEqualTo(403);
        assertThat(editor.get("/api/v1/staged/job-3").status()).isEqualTo(403);
        assertThat(new Client(port).send("POST", "/api/v1/staged/job-3/commit", null).status()).isEqualTo(401);
        // the token acts for the owner who made it: the owner's session sees the same job
        assertThat(owner.get("/api/v1/staged/job-3").status()).isEqualTo(200);
        assertThat(owner.send("POST", "/api/v1/staged/job-3/commit", null).status()).isEqualTo(200);
        assertThat(owner.get("/api/v1/slices/" + sliceA + "/regions?layer=mine").json().get("features")).hasSize(1);
    }

    @Test
    void badJobIdsAndTheHumanLayerAreRefusedWithAMessage() {
        Client.Response human = writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/human?stage=job-5", layer("job-5", 2));
        assertThat(human.status()).isEqualTo(400);
        assertThat(human.json().get("error").asText()).contains("human layer");
        Client.Response bad = writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/generated?stage=no%20spaces", layer("x", 2));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("job id");
        assertThat(writeToken.send("POST", "/api/v1/staged/" + "x".repeat(101) + "/commit", null).status()).isEqualTo(400);
    }

    @Test
    void stagingNobodyCommitsIsDroppedOnceAbandoned() {
        writeToken.send("PUT", "/api/v1/slices/" + sliceA + "/layers/late?stage=job-6", layer("job-6", 2));
        org.histodraw.server.store.StagedLayers store = new org.histodraw.server.store.StagedLayers(server.backend().db(),
                server.backend().regions(), org.histodraw.server.exchange.ImportLimits.DEFAULT.maxStagedRegions());
        assertThat(store.purgeOlderThan(60_000)).isZero(); // a minute old at most: kept
        assertThat(store.purgeOlderThan(-1_000)).isPositive();
        assertThat(writeToken.get("/api/v1/staged/job-6").status()).isEqualTo(404);
        assertThat(owner.get("/api/v1/slices/" + sliceA + "/regions?layer=late").json().get("features")).isEmpty();
    }
}
