package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;

/** Split, merge, fill holes and the magic wand: one atomic, versioned, recorded change each. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionEditsTest {
    HistoDrawServer server;
    Client c;
    long series;
    long slice;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = start(dir);
        c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        long project = c.send("POST", "/api/v1/projects", Map.of("name", "Edits")).json().get("id").asLong();
        series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        Client.Response up = c.upload("/api/v1/series/" + series + "/slices", "ring.png", ringPng(), Map.of());
        slice = c.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
    }

    HistoDrawServer start(Path dir) {
        return TestServer.start(dir);
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    /** White, with a red ring around (100, 100): outer radius 40, inner 10. */
    static byte[] ringPng() throws IOException {
        BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 200);
        g.setColor(new Color(200, 30, 40));
        g.fill(new Ellipse2D.Double(60, 60, 80, 80));
        g.setColor(Color.WHITE);
        g.fill(new Ellipse2D.Double(90, 90, 20, 20));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static Geometry geometry(JsonNode feature) {
        return org.histodraw.server.geometry.Outline.parse(feature.get("geometry").toString()).toJts();
    }

    long create(Map<String, Object> feature) {
        Client.Response r = c.send("POST", "/api/v1/slices/" + slice + "/regions", feature);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static Map<String, Object> line(double... xy) {
        List<List<Double>> points = new java.util.ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            points.add(List.of(xy[i], xy[i + 1]));
        }
        return Map.of("type", "LineString", "coordinates", points);
    }

    @Test
    void aLineAcrossARegionSplitsItIntoPartsInOneChange() {
        long id = create(RegionsApiTest.box(1000, 1000, 100, 100, "Tumor"));
        long before = c.get("/api/v1/slices/" + slice + "/history").json().get("seq").asLong();
        Client.Response r = c.send("POST", "/api/v1/regions/" + id + "/split", Map.of("version", 1, "line", line(1030, 990, 1030, 1110)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode parts = r.json().get("features");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(parts.get(0).get("properties").get("version").asInt()).isEqualTo(2);
        assertThat(geometry(parts.get(0)).getArea()).isEqualTo(7000.0);
        assertThat(geometry(parts.get(1)).getArea()).isEqualTo(3000.0);
        assertThat(parts.get(1).get("properties").get("classification").get("name").asText()).isEqualTo("Tumor");
        JsonNode changes = c.get("/api/v1/slices/" + slice + "/changes?since=" + before).json();
        assertThat(changes.get("changes")).hasSize(2);
        assertThat(changes.get("seq").asLong()).isEqualTo(before + 1);

        Client.Response stale = c.send("POST", "/api/v1/regions/" + id + "/split", Map.of("version", 1, "line", line(1000, 1050, 1200, 1050)));
        assertThat(stale.status()).isEqualTo(409);
        Client.Response inside = c.send("POST", "/api/v1/regions/" + id + "/split", Map.of("version", 2, "line", line(1005, 1005, 1020, 1020)));
        assertThat(inside.status()).isEqualTo(400);
        assertThat(inside.json().get("error").asText()).contains("does not cut the region");
        Client.Response notALine = c.send("POST", "/api/v1/regions/" + id + "/split", Map.of("version", 2, "line", Map.of("type", "Point")));
        assertThat(notALine.json().get("error").asText()).contains("LineString");
        assertThat(c.get("/api/v1/regions/" + id).json().get("properties").get("version").asInt()).isEqualTo(2);
    }

    @Test
    void mergedRegionsBecomeOneWithTheFirstOnesClass() {
        long a = create(RegionsApiTest.box(2000, 1000, 100, 100, "Tumor"));
        long b = create(RegionsApiTest.box(2050, 1000, 100, 100, "Stroma"));
        long far = create(RegionsApiTest.box(2500, 1000, 10, 10, "Stroma"));
        Client.Response stale = c.send("POST", "/api/v1/slices/" + slice + "/regions/merge", Map.of("ids", List.of(a, b), "versions", List.of(1, 7)));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(c.get("/api/v1/regions/" + b).status()).as("nothing changed").isEqualTo(200);

        Client.Response r = c.send("POST", "/api/v1/slices/" + slice + "/regions/merge", Map.of("ids", List.of(a, b, far), "versions", List.of(1, 1, 1)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode merged = r.json().get("features").get(0);
        assertThat(merged.get("id").asLong()).isEqualTo(a);
        assertThat(merged.get("properties").get("classification").get("name").asText()).isEqualTo("Tumor");
        assertThat(merged.get("geometry").get("type").asText()).isEqualTo("MultiPolygon");
        assertThat(geometry(merged).getArea()).isEqualTo(15000.0 + 100);
        assertThat(r.json().get("deleted").toString()).isEqualTo("[" + b + "," + far + "]");
        assertThat(c.get("/api/v1/regions/" + b).status()).isEqualTo(404);

        Client.Response other = c.upload("/api/v1/series/" + series + "/slices", "tiny.png", tinyPng(), Map.of());
        long otherSlice = c.awaitJob(other.json().get("jobId").asText()).get("sliceId").asLong();
        long elsewhere = c.send("POST", "/api/v1/slices/" + otherSlice + "/regions", RegionsApiTest.box(1, 1, 5, 5, "Tumor")).json().get("id").asLong();
        Client.Response mixed = c.send("POST", "/api/v1/slices/" + slice + "/regions/merge", Map.of("ids", List.of(a, elsewhere), "versions", List.of(2, 1)));
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.json().get("error").asText()).contains("is on slice " + otherSlice);
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/regions/merge", Map.of("ids", List.of(a), "versions", List.of(2))).status())
                .isEqualTo(400);
    }

    static byte[] tinyPng() {
        try {
            return AccessMatrixTest.tinyPng();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fillHolesKeepsOnlyTheOuterOutline() {
        Map<String, Object> donut = Map.of("type", "Feature", "properties", Map.of("classification", Map.of("name", "Gland")),
                "geometry", Map.of("type", "Polygon", "coordinates", List.of(
                        List.of(List.of(0, 1500), List.of(100, 1500), List.of(100, 1600), List.of(0, 1600), List.of(0, 1500)),
                        List.of(List.of(10, 1510), List.of(20, 1510), List.of(20, 1520), List.of(10, 1520), List.of(10, 1510)),
                        List.of(List.of(50, 1550), List.of(80, 1550), List.of(80, 1580), List.of(50, 1580), List.of(50, 1550)))));
        long id = create(donut);
        Client.Response small = c.send("POST", "/api/v1/regions/" + id + "/fill-holes", Map.of("version", 1, "maxArea", 500));
        assertThat(small.status()).as(small.toString()).isEqualTo(200);
        assertThat(geometry(small.json().get("features").get(0)).getArea()).isEqualTo(10000.0 - 900);
        Client.Response all = c.send("POST", "/api/v1/regions/" + id + "/fill-holes", Map.of("version", 2));
        assertThat(geometry(all.json().get("features").get(0)).getArea()).isEqualTo(10000.0);
        Client.Response none = c.send("POST", "/api/v1/regions/" + id + "/fill-holes", Map.of("version", 3));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("error").asText()).contains("has no holes");
        assertThat(c.send("POST", "/api/v1/regions/" + id + "/fill-holes", Map.of()).json().get("error").asText()).contains("version");
    }

    @Test
    void theMagicWandTurnsTheClickedColourIntoARegion() {
        long before = c.get("/api/v1/slices/" + slice + "/history").json().get("seq").asLong();
        Client.Response preview = c.send("POST", "/api/v1/slices/" + slice + "/magic-wand?preview=true",
                Map.of("x", 70, "y", 100, "tolerance", 40));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        Geometry ring = geometry(preview.json());
        assertThat(ring.getArea()).isCloseTo(Math.PI * (40 * 40 - 10 * 10), org.assertj.core.data.Percentage.withPercentage(8)); // JPEG tiles blur the edge
        assertThat(((org.locationtech.jts.geom.Polygon) ring).getNumInteriorRing()).isEqualTo(1);
        assertThat(preview.json().get("properties").get("truncated").asBoolean()).isFalse();
        assertThat(c.get("/api/v1/slices/" + slice + "/history").json().get("seq").asLong()).as("a preview stores nothing").isEqualTo(before);

        Client.Response made = c.send("POST", "/api/v1/slices/" + slice + "/magic-wand", Map.of("x", 70, "y", 100, "class", "Tumor"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.json().get("properties").get("classification").get("name").asText()).isEqualTo("Tumor");
        assertThat(made.json().get("properties").get("layer").asText()).isEqualTo("human");
        assertThat(geometry(made.json()).getArea()).isCloseTo(ring.getArea(), org.assertj.core.data.Percentage.withPercentage(3));

        // The white background reaches the window's edge: the answer says the outline was cut there.
        Client.Response background = c.send("POST", "/api/v1/slices/" + slice + "/magic-wand?preview=true", Map.of("x", 5, "y", 5));
        assertThat(background.json().get("properties").get("truncated").asBoolean()).isTrue();
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/magic-wand", Map.of("x", 500, "y", 5)).json().get("error").asText())
                .contains("outside the slide");
        assertThat(c.send("POST", "/api/v1/slices/" + slice + "/magic-wand", Map.of("x", 5, "y", 5, "tolerance", 500)).status()).isEqualTo(400);
    }
}
