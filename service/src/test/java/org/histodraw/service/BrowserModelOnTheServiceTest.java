package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.enginejs.BrowserSegmentation;
import org.histodraw.enginejs.BrowserSegmenter;
import org.histodraw.enginejs.ViewFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained in the viewer ("segment here", the engine compiled for the browser; its
 * WebAssembly build computes what this JVM run computes, byte for byte, see the web module's
 * SegmentHereInTheBrowserTest) is uploaded to the service as the viewer does it (from the
 * annotation server's origin), predicts on the service the class map the browser showed, pixel
 * for pixel, and is applied to the whole series.
 */
class BrowserModelOnTheServiceTest extends AgainstAServer {
    static final int SIDE = 512;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        List<SyntheticSeries.Slide> slides = SyntheticSeries.make(3, SIDE, 5);
        start(dir, "Browser model", slides.stream().map(SyntheticSeries.Slide::png).toList(), 1);
        server.draw(server.slices.get(0), slides.get(0).regions());
    }

    @Test
    void aModelTrainedInTheBrowserPredictsTheSameClassMapOnTheServiceAndIsAppliedToTheSeries() throws Exception {
        long slice = server.slices.get(0);
        // What the viewer does at full resolution: the view's pixels from IIIF (PNG), the human
        // regions of the slice, "segment here" with the default features and seed 42.
        byte[] png = server.owner.get("/iiif/3/" + slice + "/0,0," + SIDE + "," + SIDE + "/" + SIDE + "," + SIDE + "/0/default.png").body();
        String regions = server.owner.get("/api/v1/slices/" + slice + "/regions?layer=human").ok().toString();
        BrowserSegmentation browser = BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(rgba(png), SIDE, SIDE),
                ViewFrame.identity(), regions, "", 42);

        // The viewer's "Save model": a page of the annotation server's origin posts the .hdm file.
        HttpResponse<String> preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base + "/api/models/import"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", server.url)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type, authorization").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(server.url);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization");
        // The viewer sends its user's service token.
        String token = server.owner.send("POST", "/api/v1/auth/service-token", Map.of("project", server.project)).ok().get("token").asText();
        String body = TestApi.JSON.writeValueAsString(Map.of("name", "browser-nuclei",
                "file", Base64.getEncoder().encodeToString(browser.modelFile()), "trainingSlices", List.of(slice)));
        HttpResponse<String> saved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base + "/api/models/import"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Origin", server.url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        assertThat(saved.headers().firstValue("Access-Control-Allow-Origin")).contains(server.url);
        JsonNode savedModel = TestApi.JSON.readTree(saved.body());
        assertThat(savedModel.get("modelId").asText()).isEqualTo(browser.model().id());
        assertThat(savedModel.get("version").asInt()).isEqualTo(1);

        // On the service: the saved model's prediction of the slide at full resolution.
        api.send("POST", "/api/models/browser-nuclei/0/use", null).ok();
        int level = 32 - Integer.numberOfLeadingZeros(SIDE - 1);
        List<ImageClass> classes = browser.model().classes().classes();
        int differing = 0;
        for (int row = 0; row < SIDE / 256; row++) {
            for (int column = 0; column < SIDE / 256; column++) {
                BufferedImage tile = ImageIO.read(new ByteArrayInputStream(
                        api.get("/preview/" + slice + "/slide_files/" + level + "/" + column + "_" + row + ".png").body()));
                for (int y = 0; y < 256; y++) {
                    for (int x = 0; x < 256; x++) {
                        int onService = classOfColour(classes, tile.getRGB(x, y));
                        differing += onService == browser.classes().get(256 * column + x, 256 * row + y) ? 0 : 1;
                    }
                }
            }
        }
        assertThat(differing).as("pixels the service classes otherwise than the browser").isZero();
        assertThat(browser.classes().data()).contains((byte) 1, (byte) 2);

        // "Apply to the series": a job with the saved model writes the layer generated on every slice.
        String job = api.send("POST", "/api/jobs", Map.of("series", server.series, "model", Map.of("name", "browser-nuclei")))
                .ok().get("id").asText();
        JsonNode done = api.await("/api/jobs/" + job, 120_000, "queued", "running", "publishing");
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        for (long s : server.slices) {
            JsonNode generated = server.owner.get("/api/v1/slices/" + s + "/regions?layer=generated").ok().get("features");
            assertThat(generated.size()).as("generated regions on slice %d", s).isPositive();
            assertThat(generated.get(0).get("properties").get("provenance").get("modelName").asText()).isEqualTo("browser-nuclei");
        }
    }

    @Test
    void anotherSiteGetsNoCorsAnswerTheServersPagesDoAndABrokenFileIsRefused() throws Exception {
        HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base + "/api/models"))
                .header("Origin", "https://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // The server's pages opened under another name of this machine (localhost for 127.0.0.1).
        String localhost = server.url.replace("127.0.0.1", "localhost");
        HttpResponse<String> sameServer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base + "/api/models"))
                .header("Origin", localhost).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sameServer.headers().firstValue("Access-Control-Allow-Origin")).contains(localhost);
        TestApi.Response broken = api.send("POST", "/api/models/import", Map.of("name", "broken",
                "file", Base64.getEncoder().encodeToString("not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("error").asText()).contains("not a model file");
        assertThat(api.send("POST", "/api/models/import", Map.of("name", "empty")).status()).isEqualTo(400);
    }

    private static int classOfColour(List<ImageClass> classes, int argb) {
        for (ImageClass c : classes) {
            if ((argb & 0xffffff) == c.rgb() && (argb >>> 24) == 0xff) {
                return c.index();
            }
        }
        return 0;
    }

    /** A PNG's pixels as RGBA bytes, as a canvas's getImageData gives them. */
    private static byte[] rgba(byte[] png) throws java.io.IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int w = image.getWidth(), h = image.getHeight();
        byte[] out = new byte[4 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y), i = 4 * (y * w + x);
                out[i] = (byte) (p >>> 16);
                out[i + 1] = (byte) (p >>> 8);
                out[i + 2] = (byte) p;
                out[i + 3] = (byte) 255;
            }
        }
        return out;
    }
}
