package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Estimate from this slide": a slice's stain vectors measured from its pixels through the API, on
 * the IHC image (hematoxylin and DAB) and the GBM series (hematoxylin and eosin), stable on the
 * same tissue rescaled and across slides of one series; stored as the project's own, reset, and
 * forgotten when the project's stain changes; bad vectors, a blank slide and an RGB project refused
 * with the reason.
 */
class StainVectorsApiTest {
    @TempDir
    Path dir;

    private long ingest(HistoDrawServer server, long series, BufferedImage image, String name) throws IOException {
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return server.ingest(series, file, name, null, null).id();
    }

    private static BufferedImage read(String relative) throws IOException {
        return ImageIO.read(SlideFiles.shared(relative).toFile());
    }

    private static BufferedImage scaled(BufferedImage image, double factor) {
        int w = (int) Math.round(image.getWidth() * factor), h = (int) Math.round(image.getHeight() * factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static StainVectors vectors(JsonNode answer, StainVectors names) {
        return StainVectors.parse(answer.get("vectors").asText(), names);
    }

    @Test
    void theIhcSlidesHematoxylinAndDabAreEstimatedStablyAndBecomeTheProjectsOwn() throws IOException {
        try (HistoDrawServer server = TestServer.start(dir.resolve("data"))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("IHC", "Sections");
            long project = owner.get("/api/v1/series/" + series).json().get("projectId").asLong();
            assertThat(owner.send("PUT", "/api/v1/projects/" + project, Map.of("stain", "hdab")).status()).isEqualTo(200);
            BufferedImage ihc = read("ihc/ihc.png");
            long slice = ingest(server, series, ihc, "ihc.png");
            long smaller = ingest(server, series, scaled(ihc, 0.75), "ihc-75.png");

            JsonNode estimate = owner.send("POST", "/api/v1/slices/" + slice + "/estimate-stains", null).json();
            assertThat(estimate.get("stain").asText()).isEqualTo("hdab");
            StainVectors found = vectors(estimate, StainVectors.HEMATOXYLIN_DAB);
            assertThat(found.first().angleTo(StainVector.HEMATOXYLIN)).as("hematoxylin near the preset").isLessThan(10);
            assertThat(found.second().angleTo(StainVector.DAB)).as("DAB near the preset").isLessThan(10);
            assertThat(estimate.at("/stains/1/name").asText()).isEqualTo("DAB");
            assertThat(estimate.get("degreesFromPreset").asDouble()).isEqualTo(Math.round(found.angleTo(StainVectors.HEMATOXYLIN_DAB) * 10) / 10.0);
            // Stable: the same answer again, and the same tissue rescaled (data not seen) within 3 degrees.
            assertThat(owner.send("POST", "/api/v1/slices/" + slice + "/estimate-stains", null).json().get("vectors"))
                    .isEqualTo(estimate.get("vectors"));
            StainVectors rescaled = vectors(owner.send("POST", "/api/v1/slices/" + smaller + "/estimate-stains", null).json(),
                    StainVectors.HEMATOXYLIN_DAB);
            assertThat(rescaled.angleTo(found)).as("rescaled to 75 %").isLessThan(3);

            // The preset until the owner keeps the estimate.
            JsonNode before = owner.get("/api/v1/projects/" + project).json().get("stainVectors");
            assertThat(before.get("custom").asBoolean()).isFalse();
            assertThat(before.get("vectors").asText()).isEqualTo(StainVectors.HEMATOXYLIN_DAB.toText());
            Map<String, Object> keep = new HashMap<>();
            keep.put("vectors", estimate.get("vectors").asText());
            keep.put("estimatedFrom", slice);
            JsonNode kept = owner.send("PUT", "/api/v1/projects/" + project + "/stain-vectors", keep).json();
            assertThat(kept.get("custom").asBoolean()).isTrue();
            assertThat(kept.get("estimatedFrom").asLong()).isEqualTo(slice);
            JsonNode shown = owner.get("/api/v1/projects/" + project).json().get("stainVectors");
            assertThat(shown.get("vectors").asText()).isEqualTo(estimate.get("vectors").asText());
            assertThat(vectors(shown, StainVectors.HEMATOXYLIN_DAB)).isEqualTo(found);

            // Reset, and kept again: a new stain forgets them (they were hematoxylin and DAB).
            JsonNode reset = owner.send("DELETE", "/api/v1/projects/" + project + "/stain-vectors", null).json();
            assertThat(reset.get("custom").asBoolean()).isFalse();
            assertThat(reset.get("estimatedFrom").isNull()).isTrue();
            owner.send("PUT", "/api/v1/projects/" + project + "/stain-vectors", keep);
            assertThat(owner.send("PUT", "/api/v1/projects/" + project, Map.of("stain", "hdab")).json()
                    .at("/stainVectors/custom").asBoolean()).as("the same stain again keeps them").isTrue();
            JsonNode he = owner.send("PUT", "/api/v1/projects/" + project, Map.of("stain", "he")).json().get("stainVectors");
            assertThat(he.get("custom").asBoolean()).isFalse();
            assertThat(he.get("vectors").asText()).isEqualTo(StainVectors.HEMATOXYLIN_EOSIN.toText());
            assertThat(he.at("/stains/1/name").asText()).isEqualTo("Eosin");
        }
    }

    @Test
    void theGbmSeriesHematoxylinAndEosinAgreeAcrossSlides() throws IOException {
        try (HistoDrawServer server = TestServer.start(dir.resolve("data"))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("GBM", "Nuclei");
            StainVectors first = null;
            for (String n : List.of("01", "05", "12")) {
                long slice = ingest(server, series, read("gbm-nuclei/" + n + ".png"), n + ".png");
                JsonNode estimate = owner.send("POST", "/api/v1/slices/" + slice + "/estimate-stains", null).json();
                assertThat(estimate.get("stain").asText()).as("a project's stain is H&E unless chosen").isEqualTo("he");
                StainVectors found = vectors(estimate, StainVectors.HEMATOXYLIN_EOSIN);
                assertThat(found.first().angleTo(StainVector.HEMATOXYLIN)).as("slide %s hematoxylin", n).isLessThan(8);
                assertThat(found.second().angleTo(StainVector.EOSIN)).as("slide %s eosin", n).isLessThan(30);
                if (first == null) {
                    first = found;
                }
                assertThat(found.angleTo(first)).as("slide %s against slide 01", n).isLessThan(10);
            }
        }
    }

    @Test
    void badVectorsABlankSlideAnRgbProjectAndOtherRolesAreRefusedWithTheReason() throws IOException {
        try (HistoDrawServer server = TestServer.start(dir.resolve("data"))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Blank", "S");
            long project = owner.get("/api/v1/series/" + series).json().get("projectId").asLong();
            BufferedImage glass = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = glass.createGraphics();
            g.setColor(new Color(246, 245, 243));
            g.fillRect(0, 0, 300, 200);
            g.dispose();
            long blank = ingest(server, series, glass, "glass.png");
            String stains = "/api/v1/projects/" + project + "/stain-vectors";

            Client.Response empty = owner.send("POST", "/api/v1/slices/" + blank + "/estimate-stains", null);
            assertThat(empty.status()).isEqualTo(422);
            assertThat(empty.json().get("error").asText()).contains("too few stained pixels");
            for (Object[] bad : new Object[][] {
                {Map.of("vectors", "0.65,0.70,0.29"), "expected two stains"},
                {Map.of("vectors", "0.65,0.70,x/0.07,0.99,0.11"), "not a number"},
                {Map.of("vectors", "0.65,0.70,-0.29/0.07,0.99,0.11"), "not negative"},
                {Map.of("vectors", "NaN,0.70,0.29/0.07,0.99,0.11"), "not negative"},
                {Map.of("vectors", "0.65,0.70,0.29/1.3,1.4,0.58"), "same colour"},
                {Map.of("vectors", "0,0,0/0.07,0.99,0.11"), "must not be zero"},
                {Map.of("vectors", "0.65,0.70,0.29/0.07,0.99,0.11", "estimatedFrom", 999_999), "no slice of this project"},
                {Map.of("stains", "0.65,0.70,0.29/0.07,0.99,0.11"), "missing field \"vectors\""},
            }) {
                Client.Response r = owner.send("PUT", stains, bad[0]);
                assertThat(r.status()).as("%s", bad[0]).isEqualTo(400);
                assertThat(r.json().get("error").asText()).as("%s", bad[0]).contains((String) bad[1]);
            }
            assertThat(owner.send("POST", "/api/v1/slices/" + blank + "/estimate-stains", Map.of("stain", "gfp")).json()
                    .get("error").asText()).contains("stain must be he or hdab: gfp");

            owner.send("POST", "/api/v1/users", Map.of("username", "victor", "password", "victor-password"));
            owner.send("PUT", "/api/v1/projects/" + project + "/members/victor", Map.of("role", "viewer"));
            Client viewer = Client.login(server.port(), "victor", "victor-password");
            assertThat(viewer.send("PUT", stains, Map.of("vectors", "0.65,0.70,0.29/0.07,0.99,0.11")).status()).isEqualTo(403);
            assertThat(viewer.send("DELETE", stains, null).status()).isEqualTo(403);
            assertThat(new Client(server.port()).send("POST", "/api/v1/slices/" + blank + "/estimate-stains", null).status()).isEqualTo(401);

            owner.send("PUT", "/api/v1/projects/" + project, Map.of("stain", "rgb"));
            assertThat(owner.get("/api/v1/projects/" + project).json().get("stainVectors").isNull()).isTrue();
            Client.Response rgb = owner.send("PUT", stains, Map.of("vectors", "0.65,0.70,0.29/0.07,0.99,0.11"));
            assertThat(rgb.status()).isEqualTo(400);
            assertThat(rgb.json().get("error").asText()).contains("stain is rgb");
            assertThat(owner.send("POST", "/api/v1/slices/" + blank + "/estimate-stains", null).json().get("error").asText())
                    .contains("stain is rgb");
        }
    }
}
