package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.service.web.ServiceApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's API as its page uses it, against a real annotation server: the page itself,
 * preview tiles computed on demand, live retraining when someone edits the regions, saved models
 * reused on another series, and cancelling a job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceInteractionTest {
    AnnotationServer server;
    SegmentationService service;
    TestApi api;
    List<SyntheticSeries.Slide> slides;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        slides = SyntheticSeries.make(6, 512, 3);
        server = new AnnotationServer(dir.resolve("server")).project("Interaction",
                slides.stream().map(SyntheticSeries.Slide::png).toList());
        for (int i = 0; i < 2; i++) {
            server.draw(server.slices.get(i), slides.get(i).regions());
        }
        service = SegmentationService.start(ServiceConfig.of(URI.create(server.url), dir.resolve("service"))
                .withPort(0).withThreads(1).withDebounceMillis(300));
        api = TestApi.withToken("http://127.0.0.1:" + service.port(), server.token);
    }

    @AfterAll
    void tearDown() {
        service.close();
        server.close();
    }

    private JsonNode train(boolean live) {
        return api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, 2), "live", live)).ok();
    }

    @Test
    void theServicesOwnPageLinksToTheViewerAndTheApiSaysWhatThePanelNeeds() {
        // The work happens in the viewer's panel; the service's own page links there.
        assertThat(api.get("/").text()).contains("HistoDraw segmentation service").contains("open-viewer").contains("page.js");
        assertThat(api.get("/page.js").text()).contains("#/slices/").contains("panel=segmentation");
        JsonNode info = api.get("/api/info").ok();
        assertThat(info.get("server").asText()).isEqualTo(server.url);
        assertThat(info.get("uncertaintyRamp")).hasSize(5);
        assertThat(info.get("stains").toString()).contains("hdab");
        assertThat(api.get("/api/slices/" + server.slices.get(0) + "/classes").ok()).extracting(c -> c.get("name").asText())
                .containsExactly("Nucleus", "Background");
    }

    @Test
    void theProjectsStainDecidesTheChannelsAJobsCleaningIsTheEnginesAndBadValuesAreRefused() {
        JsonNode hdab = api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, 2), "live", false, "stain", "hdab")).ok();
        assertThat(hdab.at("/report/importances").toString()).contains("DAB").doesNotContain("Eosin");
        TestApi.Response badStain = api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, 2), "stain", "giemsa"));
        assertThat(badStain.status()).isEqualTo(400);
        assertThat(badStain.json().get("error").asText()).contains("stain must be he, hdab or rgb");
        // The project's own stain vectors (estimated from a slide): the model records them.
        String own = "0.62,0.72,0.31/0.29,0.55,0.78";
        JsonNode estimated = api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, 2), "live", false,
                "stain", "hdab", "stainVectors", own)).ok();
        assertThat(estimated.at("/model/features").asText()).contains("channels=hdab").contains(";stains=" + own)
                .as("the scales are still chosen from the regions").contains("levels=");
        assertThat(estimated.toString()).contains("the project's stain vectors");
        assertThat(hdab.at("/model/features").asText()).contains("channels=hdab").doesNotContain("stains=");
        assertThat(estimated.at("/model/id").asText()).isNotEqualTo(hdab.at("/model/id").asText());
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("stain", "rgb", "stainVectors", own),
                Map.of("stain", "hdab", "stainVectors", "0.6,0.7"), Map.of("stain", "he", "stainVectors", "0.6,0.7,0.3/1.2,1.4,0.6"))) {
            Map<String, Object> body = new HashMap<>(bad);
            body.put("slices", server.slices.subList(0, 2));
            body.put("live", false);
            TestApi.Response r = api.send("POST", "/api/train", body);
            assertThat(r.status()).as("%s", bad).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as("%s", bad).containsAnyOf("stain vectors need", "expected two stains", "same colour");
        }
        assertThat(ServiceApi.cleaning(TestApi.JSON.createObjectNode().put("minArea", 25).put("smoothing", 2)))
                .isEqualTo(PolygonCleaning.defaults().withMinRegionArea(25.0).withSmoothing(2));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("minArea", -1), Map.of("minHoleArea", "x"), Map.of("smoothing", 1.5),
                Map.of("simplify", -1))) {
            java.util.Map<String, Object> body = new java.util.HashMap<>(bad);
            body.put("series", 999_999);
            TestApi.Response r = api.send("POST", "/api/jobs", body);
            assertThat(r.status()).as("%s", bad).isEqualTo(400);
        }
    }

    @Test
    void changesWithoutJsonContentTypeAndBadInputGetAClearError() {
        TestApi.Response plain = api.get("/api/nothing");
        assertThat(plain.status()).isEqualTo(404);
        TestApi.Response noSlices = api.send("POST", "/api/train", Map.of("slices", List.of()));
        assertThat(noSlices.status()).isEqualTo(400);
        assertThat(noSlices.json().get("error").asText()).contains("at least one training slice");
        TestApi.Response oneClass = api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, 1),
                "classes", List.of("Nucleus"), "live", false));
        assertThat(oneClass.status()).isEqualTo(400);
        assertThat(oneClass.json().get("error").asText()).contains("at least two classes");
        TestApi.Response unknownSlice = api.send("POST", "/api/train", Map.of("slices", List.of(9999), "live", false));
        assertThat(unknownSlice.status()).isEqualTo(404);
        assertThat(api.send("POST", "/api/models", Map.of("name", "bad name!")).status()).isIn(400, 409);
    }

    @Test
    void previewTilesArePredictedOnDemandAtTheRequestedResolution() throws Exception {
        train(false);
        long slice = server.slices.get(3);
        assertThat(api.get("/preview/" + slice + "/slide.dzi").text()).contains("Width=\"512\"").contains("TileSize=\"256\"");
        BufferedImage full = png(api.get("/preview/" + slice + "/slide_files/9/1_1.png").body());
        assertThat(full.getWidth()).isEqualTo(256);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < 256; y += 3) {
            for (int x = 0; x < 256; x += 3) {
                colours.add(full.getRGB(x, y));
            }
        }
        assertThat(colours).hasSize(2); // background and nucleus, nothing else
        BufferedImage half = png(api.get("/preview/" + slice + "/slide_files/8/0_0.png").body());
        assertThat(half.getWidth()).isEqualTo(256);
        BufferedImage overview = png(api.get("/preview/" + slice + "/slide_files/5/0_0.png").body());
        assertThat(overview.getWidth()).isEqualTo(32); // 512 px at 1/16
        BufferedImage uncertainty = png(api.get("/preview/" + slice + "/slide_files/9/0_0.png?kind=uncertainty").body());
        assertThat(uncertainty.getColorModel().hasAlpha()).isTrue();
        assertThat(api.get("/preview/" + slice + "/slide_files/9/5_0.png").status()).as("no such tile").isEqualTo(404);
        assertThat(api.get("/preview/" + slice + "/slide_files/9/0_0.png?kind=colours").status()).isEqualTo(400);
    }

    private static BufferedImage png(byte[] bytes) throws java.io.IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a PNG").isNotNull();
        return image;
    }

    @Test
    void editingARegionOfATrainingSliceRetrainsTheModelByItself() throws Exception {
        int version = train(true).get("version").asInt();
        int before = api.get("/api/state").ok().get("retrainings").asInt();
        server.draw(server.slices.get(1), List.of(slides.get(1).regions().get(0)));
        long end = System.currentTimeMillis() + 30_000;
        JsonNode state = api.get("/api/state").ok();
        while (state.get("version").asInt() == version && System.currentTimeMillis() < end) {
            Thread.sleep(50);
            state = api.get("/api/state").ok();
        }
        assertThat(state.get("version").asInt()).isEqualTo(version + 1);
        assertThat(state.get("retrainings").asInt()).isEqualTo(before + 1);
        assertThat(state.get("live").asBoolean()).isTrue();
        train(false); // stops listening, so other tests' drawings do not retrain
    }

    @Test
    void aSavedModelIsListedWithItsVersionAndReusedOnAnotherSeries() throws Exception {
        train(false);
        assertThat(api.send("POST", "/api/models", Map.of("name", "nuclei")).ok().get("version").asInt()).isEqualTo(1);
        JsonNode second = api.send("POST", "/api/models", Map.of("name", "nuclei")).ok();
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(api.get("/api/models").ok()).extracting(m -> m.get("name").asText() + " v" + m.get("version").asInt())
                .contains("nuclei v1", "nuclei v2");

        long other = server.owner.send("POST", "/api/v1/projects/" + server.project + "/series", Map.of("name", "Other")).ok()
                .get("id").asLong();
        String ingest = server.owner.upload("/api/v1/series/" + other + "/slices", "other.png",
                SyntheticSeries.make(1, 256, 99).get(0).png()).ok().get("jobId").asText();
        long otherSlice = server.owner.await("/api/v1/jobs/" + ingest, 60_000, "running").get("sliceId").asLong();

        String job = api.send("POST", "/api/jobs", Map.of("series", other, "model", Map.of("name", "nuclei"))).ok().get("id").asText();
        JsonNode done = api.await("/api/jobs/" + job, 120_000, "queued", "running", "publishing");
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.get("modelName").asText()).isEqualTo("nuclei");
        assertThat(done.get("modelVersion").asInt()).isEqualTo(2);
        JsonNode provenance = server.owner.get("/api/v1/slices/" + otherSlice + "/regions?layer=generated").ok()
                .get("features").get(0).get("properties").get("provenance");
        assertThat(provenance.get("modelName").asText()).isEqualTo("nuclei");
        assertThat(provenance.get("modelVersion").asInt()).isEqualTo(2);
        assertThat(api.send("POST", "/api/jobs", Map.of("series", other, "model", Map.of("name", "unknown"))).status()).isEqualTo(404);
    }

    @Test
    void aCancelledJobPublishesNothing() throws Exception {
        train(false);
        String job = api.send("POST", "/api/jobs", Map.of("series", server.series)).ok().get("id").asText();
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            JsonNode j = api.get("/api/jobs/" + job).ok();
            if (j.get("slices").get(0).get("state").asText().equals("staged") || !j.get("state").asText().matches("queued|running")) {
                break;
            }
            Thread.sleep(10);
        }
        assertThat(api.send("POST", "/api/jobs/" + job + "/cancel", null).ok().get("cancelled").asBoolean()).isTrue();
        JsonNode done = api.await("/api/jobs/" + job, 60_000, "queued", "running", "publishing");
        assertThat(done.get("state").asText()).isEqualTo("cancelled");
        assertThat(done.get("message").asText()).contains("nothing was published");
        for (long slice : server.slices) {
            assertThat(server.signature(slice)).as("slice " + slice).isEmpty();
        }
        assertThat(server.owner.get("/api/v1/staged/" + job).status()).isEqualTo(404);
        assertThat(api.send("POST", "/api/jobs/" + job + "/cancel", null).ok().get("cancelled").asBoolean()).isFalse();
        assertThat(api.send("POST", "/api/jobs/no-such-job/cancel", null).status()).isEqualTo(404);
    }
}
