package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Overlay tiles of a layer (issue 7) and hit-testing, which keeps a layer drawn as pictures selectable. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverlayTilesTest {
    HistoDrawServer server;
    Client c;
    long slice;
    String base;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        server = TestServer.start(dir);
        c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        long project = c.send("POST", "/api/v1/projects", Map.of("name", "Overlay")).json().get("id").asLong();
        c.send("PUT", "/api/v1/projects/" + project + "/ontology", List.of(Map.of("name", "Nucleus", "color", "#0000ff")));
        long series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        // 2000 x 1500 px, 254 px tiles (1 px overlap for the slide, none for overlays): level 11 is
        // full resolution, level 8 fits in one tile.
        slice = server.backend().slides().addSlice(series, "s", null, new PyramidLayout(2000, 1500, 254, 1, TileFormat.JPEG),
                null, "none").id();
        base = "/slides/" + slice + "/layers/cells/";
        List<Object> features = new ArrayList<>();
        features.add(RegionsApiTest.box(100, 100, 60, 40, "Nucleus"));   // inside tile 11/0_0
        for (int i = 0; i < 40; i++) {
            features.add(RegionsApiTest.box(1000 + (i % 8) * 30, 1000 + (i / 8) * 30, 12, 12, "Nucleus"));
        }
        put(features, "job-1");
    }

    void put(List<Object> features, String job) {
        put("cells", features, job);
    }

    void put(String layer, List<Object> features, String job) {
        Client.Response r = c.send("PUT", "/api/v1/slices/" + slice + "/layers/" + layer, Map.of("type", "FeatureCollection",
                "features", features, "provenance", Map.of("service", "test", "model", "m", "job", job)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    static BufferedImage png(Client.Response r) throws IOException {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("image/png");
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void theDescriptorMatchesTheSlidePyramidInPng() {
        Client.Response r = c.get(base + "overlay.dzi");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("Format=\"png\"", "TileSize=\"254\"", "Overlap=\"0\"", "Width=\"2000\"", "Height=\"1500\"");
        assertThat(c.get("/slides/" + slice + "/layers/nothing/overlay.dzi").status()).isEqualTo(404);
        assertThat(c.get("/slides/" + slice + "/layers/bad%20name/overlay.dzi").status()).isEqualTo(400);
        assertThat(c.get(base + "overlay_files/11/0_0.jpg").status()).isEqualTo(400);
        assertThat(c.get(base + "overlay_files/11/99_0.png").status()).isEqualTo(404);
    }

    @Test
    void polygonsAreFilledInTheirClassColourOnATransparentTile() throws IOException {
        BufferedImage tile = png(c.get(base + "overlay_files/11/0_0.png"));
        assertThat(tile.getWidth()).as("no overlap: transparent tiles are drawn straight onto the canvas").isEqualTo(254);
        int inside = tile.getRGB(130, 120);
        assertThat(inside >>> 24).as("alpha inside").isBetween(40, 200);
        assertThat(inside & 0xFF).as("blue, the ontology's colour").isGreaterThan(200);
        assertThat((inside >> 16) & 0xFF).as("no red").isLessThan(30);
        assertThat(tile.getRGB(100, 120) >>> 24).as("outline").isGreaterThan(150);
        assertThat(tile.getRGB(20, 20) >>> 24).as("outside: transparent").isZero();
    }

    /**
     * Outlines drawn by the server have the viewer's contrasting halo: light around a dark class
     * (the ontology's blue), dark around a light one (an unclassified region's yellow), so a layer
     * drawn as tiles reads like one the viewer draws itself.
     */
    @Test
    void outlinesHaveAHaloOfTheOppositeLightnessAsTheViewerDrawsThem() throws IOException {
        Map<String, Object> unclassified = Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(100, 200), List.of(160, 200), List.of(160, 240), List.of(100, 240), List.of(100, 200)))),
                "properties", Map.of());
        put("halos", List.of(RegionsApiTest.box(100, 100, 60, 40, "Nucleus"), unclassified), "job-halo");
        BufferedImage tile = png(c.get("/slides/" + slice + "/layers/halos/overlay_files/11/0_0.png"));
        int blueHalo = tile.getRGB(98, 120);
        assertThat(blueHalo >>> 24).as("a halo just outside the blue outline").isGreaterThan(100);
        assertThat(Math.min((blueHalo >> 16) & 0xFF, (blueHalo >> 8) & 0xFF)).as("light, around a dark class").isGreaterThan(180);
        int yellowHalo = tile.getRGB(98, 220);
        assertThat(yellowHalo >>> 24).as("a halo just outside the yellow outline").isGreaterThan(100);
        assertThat(Math.max((yellowHalo >> 16) & 0xFF, (yellowHalo >> 8) & 0xFF)).as("dark, around a light class").isLessThan(80);
        int outline = tile.getRGB(100, 120);
        assertThat(outline & 0xFF).as("the outline itself stays in the class colour, over its halo").isGreaterThan(150);
        assertThat(tile.getRGB(95, 120) >>> 24).as("and the halo is thin").isZero();
    }

    @Test
    void zoomedOutTilesDrawSmallRegionsAsDots() throws IOException {
        // Level 8: the whole slide at 1/8 in one tile; the 12 px nuclei are 1.5 px dots at (125.., 125..).
        BufferedImage tile = png(c.get(base + "overlay_files/8/0_0.png"));
        assertThat(tile.getWidth()).isEqualTo(250);
        int dots = 0;
        for (int y = 120; y < 160; y++) {
            for (int x = 120; x < 160; x++) {
                dots += (tile.getRGB(x, y) >>> 24) > 0 ? 1 : 0;
            }
        }
        assertThat(dots).isGreaterThan(40);
        assertThat(tile.getRGB(60, 180) >>> 24).isZero();

        // Level 5 (1/64) is level 8's tile scaled down: the nuclei's patch is still there.
        BufferedImage small = png(c.get(base + "overlay_files/5/0_0.png"));
        assertThat(small.getWidth()).isEqualTo(32);
        int seen = 0;
        for (int y = 14; y < 21; y++) {
            for (int x = 14; x < 21; x++) {
                seen += (small.getRGB(x, y) >>> 24) > 0 ? 1 : 0;
            }
        }
        assertThat(seen).isGreaterThan(5);
        assertThat(small.getRGB(3, 22) >>> 24).isZero();
    }

    @Test
    void tilesAreCachedPerLayerChangeWithAnETag() throws IOException {
        String base = "/slides/" + slice + "/layers/moving/";
        put("moving", List.of(RegionsApiTest.box(100, 100, 60, 40, "Nucleus")), "job-1");
        Client.Response first = c.get(base + "overlay_files/11/0_0.png");
        String etag = first.header("ETag");
        long seq = Long.parseLong(first.header("X-Layer-Seq"));
        assertThat(first.header("Cache-Control")).contains("no-cache");
        Client.Response again = c.send(c.request(base + "overlay_files/11/0_0.png").header("If-None-Match", etag).GET());
        assertThat(again.status()).isEqualTo(304);
        Client.Response pinned = c.get(base + "overlay_files/11/0_0.png?seq=" + seq);
        assertThat(pinned.header("Cache-Control")).contains("immutable");

        // A new version of the layer moves the region: new ETag, new picture.
        put("moving", List.of(RegionsApiTest.box(10, 10, 30, 30, "Nucleus")), "job-2");
        Client.Response changed = c.get(base + "overlay_files/11/0_0.png");
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        BufferedImage tile = png(changed);
        assertThat(tile.getRGB(130, 120) >>> 24).isZero();
        assertThat(tile.getRGB(25, 25) >>> 24).isGreaterThan(0);
        assertThat(c.send(c.request(base + "overlay_files/11/0_0.png").header("If-None-Match", etag).GET()).status()).isEqualTo(200);
    }

    @Test
    void hitTestingFindsTheRegionsUnderAPointSmallestFirst() {
        long hit = c.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(1200, 1200, 400, 200, "Tumor"))
                .json().get("id").asLong();
        long inner = c.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(1250, 1250, 50, 50, "Necrosis"))
                .json().get("id").asLong();
        JsonNode at = c.get("/api/v1/slices/" + slice + "/regions/at?x=1260&y=1260").json();
        List<Long> ids = new ArrayList<>();
        at.get("features").forEach(f -> ids.add(f.get("id").asLong()));
        assertThat(ids).containsExactly(inner, hit);
        assertThat(at.get("features").get(0).get("geometry").get("type").asText()).isEqualTo("Polygon");
        assertThat(c.get("/api/v1/slices/" + slice + "/regions/at?x=1260&y=1260&layer=cells").json().get("features")).isEmpty();
        assertThat(c.get("/api/v1/slices/" + slice + "/regions/at?x=1190&y=1260").json().get("features")).isEmpty();
        assertThat(c.get("/api/v1/slices/" + slice + "/regions/at?x=1190&y=1260&tolerance=15").json().get("features")).hasSize(1);
        Client.Response bad = c.get("/api/v1/slices/" + slice + "/regions/at?x=abc&y=1");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("x must be a number");
        assertThat(c.get("/api/v1/slices/" + slice + "/regions/at?x=1").json().get("error").asText()).contains("?y=");
    }
}
