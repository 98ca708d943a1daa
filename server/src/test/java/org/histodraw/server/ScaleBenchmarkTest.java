package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's API side: a generated layer of N polygons (30 vertices each) on one slice, put in one
 * request, then viewport queries. Off by default; run with
 * {@code -Dhistodraw.bench=true [-Dhistodraw.bench.regions=100000] [-Dhistodraw.bench.pg=true]}.
 */
@EnabledIfSystemProperty(named = "histodraw.bench", matches = "true")
class ScaleBenchmarkTest {
    @Test
    void viewportQueriesOnALargeGeneratedLayer(@TempDir Path dir) throws Exception {
        int n = Integer.getInteger("histodraw.bench.regions", 100_000);
        boolean pg = Boolean.getBoolean("histodraw.bench.pg");
        ServerConfig config = TestServer.config(dir);
        if (pg) {
            config = config.withDatabase(PostgresCluster.shared().newDatabase(), "histodraw", "");
        }
        try (HistoDrawServer server = HistoDrawServer.start(config)) {
            Client c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long project = c.send("POST", "/api/v1/projects", Map.of("name", "Scale")).json().get("id").asLong();
            long series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
            // A 100k x 100k slide without pixels: only its size matters here.
            long slice = server.backend().slides().addSlice(series, "big", null,
                    new org.histodraw.slides.pyramid.PyramidLayout(100_000, 100_000, 254, 1, org.histodraw.slides.pyramid.TileFormat.JPEG),
                    null, "none").id();
            Random random = new Random(1);
            StringBuilder body = new StringBuilder(n * 700);
            body.append("{\"type\":\"FeatureCollection\",\"provenance\":{\"service\":\"bench\",\"model\":\"m\",\"job\":\"1\"},\"features\":[");
            for (int i = 0; i < n; i++) {
                double cx = random.nextDouble() * 99_900 + 50, cy = random.nextDouble() * 99_900 + 50, r = 5 + random.nextDouble() * 10;
                body.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"properties\":{\"classification\":{\"name\":\"Nucleus\"}},")
                        .append("\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
                for (int k = 0; k <= 30; k++) {
                    double a = 2 * Math.PI * (k % 30) / 30;
                    body.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.2f,%.2f]", cx + r * Math.cos(a), cy + r * Math.sin(a)));
                }
                body.append("]]}}");
            }
            body.append("]}");
            long t0 = System.nanoTime();
            Client.Response put = c.send(c.request("/api/v1/slices/" + slice + "/layers/generated").header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())));
            double putSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            System.out.printf(Locale.ROOT, "%s: PUT layer of %d polygons (%.1f MB): %.2f s%n", pg ? "PostgreSQL" : "H2", n,
                    body.length() / 1e6, putSeconds);
            for (int side : new int[] {1000, 2000, 5000, 20_000}) {
                int features = 0;
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 5; rep++) {
                    double x = 10_000 + rep * 7_000, y = 20_000 + rep * 5_000;
                    long q0 = System.nanoTime();
                    Client.Response r = c.get("/api/v1/slices/" + slice + "/regions?layer=generated&bbox=" + x + "," + y + "," + (x + side) + "," + (y + side));
                    best = Math.min(best, System.nanoTime() - q0);
                    JsonNode fc = Client.JSON.readTree(r.body());
                    features = fc.get("features").size();
                }
                System.out.printf(Locale.ROOT, "  viewport %d x %d px: ~%d regions, best of 5: %.1f ms%n", side, side, features, best / 1e6);
            }
            String plan = server.backend().db().read(conn -> {
                try (var rs = conn.createStatement().executeQuery("EXPLAIN SELECT id, slice_id, layer, class_name, version, geometry, "
                        + "properties, provenance FROM regions WHERE slice_id = " + slice + " AND layer = 'generated' ORDER BY id")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            System.out.println("  plan: " + plan.replaceAll("\\s+", " "));
            long t1 = System.nanoTime();
            int streamed = server.backend().regions().query(new org.histodraw.server.store.Regions.Query(slice, "generated", null, null, 0, 0),
                    100_000, 100_000, r -> { });
            System.out.printf(Locale.ROOT, "  store alone: %d regions in %.2f s%n", streamed, (System.nanoTime() - t1) / 1e9);
            long q0 = System.nanoTime();
            Client.Response all = c.get("/api/v1/slices/" + slice + "/regions?layer=generated");
            System.out.printf(Locale.ROOT, "  whole layer streamed: %.1f MB in %.2f s%n", all.body().length / 1e6, (System.nanoTime() - q0) / 1e9);
            long e0 = System.nanoTime();
            Client.Response human = c.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(500, 500, 50, 50, "Tumor"));
            System.out.printf(Locale.ROOT, "  one human region created beside them: %.1f ms%n", (System.nanoTime() - e0) / 1e6);
            assertThat(human.status()).isEqualTo(201);
            assertThat(new String(all.body(), 0, 40, StandardCharsets.UTF_8)).startsWith("{\"type\":\"FeatureCollection\"");
        }
    }
}
