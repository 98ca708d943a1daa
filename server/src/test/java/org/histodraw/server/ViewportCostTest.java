package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.histodraw.server.store.Actor;
import org.histodraw.server.store.RegionGeometry;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Issue 7: a viewport query costs what it returns, not what the layer holds. The cost is counted,
 * not timed: the index entries its key ranges cover. Growing the layer elsewhere must not change
 * it, and it stays within a small factor of the result.
 */
class ViewportCostTest {
    static final int SIDE = 40_000;

    HistoDrawServer start(Path dir) {
        return TestServer.start(dir);
    }

    /** Nuclei of 10-30 px, 30 vertices, spread over {@code [x0, x0 + w) x [0, SIDE)}. */
    static List<RegionInput> nuclei(int n, double x0, double w, long seed) {
        Random random = new Random(seed);
        List<RegionInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double cx = x0 + 20 + random.nextDouble() * (w - 40), cy = 20 + random.nextDouble() * (SIDE - 40);
            double r = 5 + random.nextDouble() * 10;
            List<List<Double>> ring = new ArrayList<>();
            for (int k = 0; k <= 30; k++) {
                double a = 2 * Math.PI * (k % 30) / 30;
                ring.add(List.of(cx + r * Math.cos(a), cy + r * Math.sin(a)));
            }
            JsonNode g = Client.JSON.valueToTree(Map.of("type", "Polygon", "coordinates", List.of(ring)));
            out.add(new RegionInput("cells", "Nucleus", RegionGeometry.parse(g), "{}", null));
        }
        return out;
    }

    @Test
    void aViewportQueryReadsInProportionToItsResultWhateverTheLayerSize(@TempDir Path dir) {
        try (HistoDrawServer server = start(dir)) {
            Client c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long project = c.send("POST", "/api/v1/projects", Map.of("name", "Cost")).json().get("id").asLong();
            long series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
            long slice = server.backend().slides().addSlice(series, "big", null,
                    new PyramidLayout(SIDE, SIDE, 254, 1, TileFormat.JPEG), null, "none").id();
            Regions regions = server.backend().regions();
            Actor actor = new Actor(null, null, "test");
            double[] view = {4_000, 9_000, 5_500, 10_000};
            RegionQueries.Query q = new RegionQueries.Query(slice, "cells", null, view, 0, 0);

            // 8,000 nuclei on the left quarter of the slide (where the viewport is).
            List<RegionInput> left = nuclei(8_000, 0, SIDE / 4.0, 1);
            regions.replaceLayer(slice, "cells", left, "{\"service\":\"t\",\"model\":\"m\"}", actor);
            int result = regions.queries().query(q, SIDE, SIDE, r -> { });
            long cost = regions.queries().candidates(q, SIDE, SIDE);

            // Four times as many, the same ones plus 24,000 on the rest of the slide.
            List<RegionInput> all = new ArrayList<>(left);
            all.addAll(nuclei(24_000, SIDE / 4.0, SIDE * 0.75, 2));
            regions.replaceLayer(slice, "cells", all, "{\"service\":\"t\",\"model\":\"m\"}", actor);
            int resultAfter = regions.queries().query(q, SIDE, SIDE, r -> { });
            long costAfter = regions.queries().candidates(q, SIDE, SIDE);

            assertThat(result).isGreaterThan(10);
            assertThat(resultAfter).isEqualTo(result);
            assertThat(costAfter).as("index entries read after the layer grew 4x elsewhere").isEqualTo(cost);
            assertThat(cost).as("index entries read for %d results", result).isLessThan(3L * result + 20);

            // Zoomed out to a 16,000 x 10,000 px view (a 1600 px screen at 1/10): still in proportion.
            RegionQueries.Query wide = new RegionQueries.Query(slice, "cells", null, new double[] {1_000, 12_000, 17_000, 22_000}, 0, 0);
            int wideResult = regions.queries().query(wide, SIDE, SIDE, r -> { });
            assertThat(wideResult).isGreaterThan(1000);
            assertThat(regions.queries().candidates(wide, SIDE, SIDE)).as("index entries read for %d results", wideResult)
                    .isLessThan(3L * wideResult);
        }
    }

    @Test
    void levelOfDetailSkipsRegionsSmallerThanAPixelAndCountsThem(@TempDir Path dir) {
        try (HistoDrawServer server = start(dir)) {
            Client c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long project = c.send("POST", "/api/v1/projects", Map.of("name", "Lod")).json().get("id").asLong();
            long series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
            long slice = server.backend().slides().addSlice(series, "big", null,
                    new PyramidLayout(SIDE, SIDE, 254, 1, TileFormat.JPEG), null, "none").id();
            Regions regions = server.backend().regions();
            regions.replaceLayer(slice, "cells", nuclei(5_000, 0, SIDE, 5), "{\"service\":\"t\",\"model\":\"m\"}", new Actor(null, null, "t"));
            c.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(1000, 1000, 8000, 6000, "Tumor"));

            // The whole slide on a 1000 px screen: 40 slide px per screen pixel, nuclei are dots.
            JsonNode whole = c.get("/api/v1/slices/" + slice + "/regions?bbox=0,0," + SIDE + "," + SIDE + "&simplify=40").json();
            assertThat(whole.get("features")).hasSize(1);
            assertThat(whole.get("omitted").asLong()).isEqualTo(5_000);
            assertThat(whole.get("simplified").asDouble()).isEqualTo(40);
            JsonNode tumour = whole.get("features").get(0).get("geometry");
            assertThat(tumour.get("coordinates").get(0).get(0).get(0).isIntegralNumber()).isTrue();
            long cost = regions.queries().candidates(new RegionQueries.Query(slice, null, null, new double[] {0, 0, SIDE, SIDE}, 0, 0, 40), SIDE, SIDE);
            assertThat(cost).as("nuclei bands are skipped, not read").isEqualTo(1);

            // Zoomed in (scale 1 = one screen pixel per slide pixel): every nucleus there, simplified a little.
            JsonNode near = c.get("/api/v1/slices/" + slice + "/regions?layer=cells&bbox=0,0,4000,4000&scale=1").json();
            assertThat(near.get("omitted").asLong()).isZero();
            JsonNode plain = c.get("/api/v1/slices/" + slice + "/regions?layer=cells&bbox=0,0,4000,4000").json();
            assertThat(near.get("features").size()).isEqualTo(plain.get("features").size()).isGreaterThan(20);
            int simplifiedVertices = near.get("features").get(0).get("geometry").get("coordinates").get(0).size();
            assertThat(simplifiedVertices).isBetween(4, 30);

            // In between: 20 px per screen pixel drops the nuclei under 20 px, keeps the larger ones.
            JsonNode mid = c.get("/api/v1/slices/" + slice + "/regions?layer=cells&bbox=0,0," + SIDE + "," + SIDE + "&simplify=20").json();
            assertThat(mid.get("features").size() + mid.get("omitted").asLong()).isEqualTo(5_000);
            assertThat(mid.get("features").size()).isBetween(1000, 4000);
            mid.get("features").forEach(f -> assertThat(f.get("geometry").get("coordinates").get(0).size()).isGreaterThanOrEqualTo(4));

            assertThat(c.get("/api/v1/slices/" + slice + "/regions?simplify=4").status()).isEqualTo(400);
            assertThat(c.get("/api/v1/slices/" + slice + "/regions?bbox=0,0,1,1&scale=0").json().get("error").asText()).contains("scale");
        }
    }
}
