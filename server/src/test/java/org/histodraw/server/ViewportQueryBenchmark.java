package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.histodraw.server.overlay.OverlayTiles;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;


/**
 * Issue 7's server benchmark, run by {@code bench/viewport-query.sh}: a 100,000 x 100,000 px slide
 * with N generated polygons of 30 vertices (nuclei of 10-30 px) put as one layer in one request,
 * plus 300 human regions; then viewport queries at several zooms of a 1600 x 1000 screen (p50 and
 * p95 of 20 places each, with and without level of detail), overlay tile renders, and a human edit
 * beside the big layer. Off unless {@code -Dhistodraw.bench=true}; {@code -Dhistodraw.bench.regions=N},
 * {@code -Dhistodraw.bench.pg=true} for PostgreSQL.
 */
@EnabledIfSystemProperty(named = "histodraw.bench", matches = "true")
class ViewportQueryBenchmark {
    static final int SIDE = 100_000;
    static final int SCREEN_W = 1600;
    static final int SCREEN_H = 1000;

    @Test
    void largeLayer(@TempDir Path dir) throws Exception {
        int n = Integer.getInteger("histodraw.bench.regions", 100_000);
        boolean pg = Boolean.getBoolean("histodraw.bench.pg");
        ServerConfig config = TestServer.config(dir);
        if (pg) {
            config = config.withDatabase(PostgresCluster.shared().newDatabase(), "histodraw", "");
        }
        String db = pg ? "PostgreSQL" : "H2";
        try (HistoDrawServer server = HistoDrawServer.start(config)) {
            Client c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long project = c.send("POST", "/api/v1/projects", Map.of("name", "Scale")).json().get("id").asLong();
            long series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
            // A slide without pixels: only its size matters to queries and overlay tiles.
            Slice slice = server.backend().slides().addSlice(series, "big", null, new PyramidLayout(SIDE, SIDE, 254, 1, TileFormat.JPEG),
                    null, "none");
            String sliceUrl = "/api/v1/slices/" + slice.id();
            Random random = new Random(1);
            StringBuilder body = new StringBuilder(n * 720);
            body.append("{\"type\":\"FeatureCollection\",\"provenance\":{\"service\":\"bench\",\"model\":\"m\",\"job\":\"1\"},\"features\":[");
            for (int i = 0; i < n; i++) {
                double cx = random.nextDouble() * (SIDE - 100) + 50, cy = random.nextDouble() * (SIDE - 100) + 50;
                double r = 5 + random.nextDouble() * 10;
                body.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"properties\":{\"classification\":{\"name\":\"Nucleus\",")
                        .append("\"color\":[30,60,220]}},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
                for (int k = 0; k <= 30; k++) {
                    double a = 2 * Math.PI * (k % 30) / 30;
                    body.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.1f,%.1f]", cx + r * Math.cos(a), cy + r * Math.sin(a)));
                }
                body.append("]]}}");
            }
            body.append("]}");
            long t0 = System.nanoTime();
            Client.Response put = c.send(c.request(sliceUrl + "/layers/generated").timeout(Duration.ofMinutes(30))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
            double putSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            System.out.printf(Locale.ROOT, "%s: bulk layer replace, %d polygons x 30 vertices (%.0f MB): %.1f s, %.0f polygons/s%n",
                    db, n, body.length() / 1e6, putSeconds, n / putSeconds);
            body.setLength(0);

            long h0 = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                double x = random.nextDouble() * (SIDE - 3000), y = random.nextDouble() * (SIDE - 3000);
                double w = 200 + random.nextDouble() * 2500, h = 200 + random.nextDouble() * 2500;
                assertThat(c.send("POST", sliceUrl + "/regions", RegionsApiTest.box(x, y, w, h, "Tumor")).status()).isEqualTo(201);
            }
            System.out.printf(Locale.ROOT, "  300 human regions drawn one by one: %.1f ms each%n", (System.nanoTime() - h0) / 1e6 / 300);

            System.out.printf(Locale.ROOT, "  viewport queries, %d x %d screen, 20 places each (p50 / p95 ms, regions sent, omitted, index rows read)%n",
                    SCREEN_W, SCREEN_H);
            for (double scale : new double[] {1, 0.25, 1.0 / 16, 0.016}) {
                for (boolean lod : new boolean[] {false, true}) {
                    query(c, server, slice, scale, lod);
                }
            }

            OverlayTiles overlay = server.backend().overlayTiles();
            PyramidLayout layout = slice.layout();
            System.out.println("  overlay tiles of the generated layer, rendered uncached (p50 / p95 ms over 10 tiles)");
            for (int down = 0; down <= 9; down += 3) {
                int level = layout.maxLevel() - down;
                double[] ms = new double[10];
                int bytes = 0;
                for (int i = 0; i < ms.length; i++) {
                    int col = random.nextInt(layout.columns(level)), row = random.nextInt(layout.rows(level));
                    long r0 = System.nanoTime();
                    bytes += overlay.render(slice, "generated", level, col, row).length;
                    ms[i] = (System.nanoTime() - r0) / 1e6;
                }
                System.out.printf(Locale.ROOT, "    level %d (1/%d): %.1f / %.1f ms, %.0f KB per tile%n", level, 1 << down,
                        pct(ms, 50), pct(ms, 95), bytes / 10.0 / 1024);
            }
            String tile = "/slides/" + slice.id() + "/layers/generated/overlay_files/" + (layout.maxLevel() - 3) + "/10_10.png";
            long f0 = System.nanoTime();
            c.get(tile);
            double first = (System.nanoTime() - f0) / 1e6;
            double[] cached = new double[20];
            for (int i = 0; i < cached.length; i++) {
                long g0 = System.nanoTime();
                assertThat(c.get(tile).status()).isEqualTo(200);
                cached[i] = (System.nanoTime() - g0) / 1e6;
            }
            System.out.printf(Locale.ROOT, "    over HTTP: first %.1f ms, cached p50 %.1f ms%n", first, pct(cached, 50));

            double[] edit = new double[20];
            long id = c.send("POST", sliceUrl + "/regions", RegionsApiTest.box(5000, 5000, 300, 300, "Tumor")).json().get("id").asLong();
            for (int i = 0; i < edit.length; i++) {
                long e0 = System.nanoTime();
                Client.Response u = c.send("PUT", "/api/v1/regions/" + id, RegionsApiTest.withVersion(
                        RegionsApiTest.box(5000 + i, 5000, 300, 300, "Tumor"), i + 1));
                edit[i] = (System.nanoTime() - e0) / 1e6;
                assertThat(u.status()).isEqualTo(200);
            }
            System.out.printf(Locale.ROOT, "  editing a human region beside the layer: p50 %.1f ms, p95 %.1f ms%n", pct(edit, 50), pct(edit, 95));
        }
    }

    private static void query(Client c, HistoDrawServer server, Slice slice, double scale, boolean lod) {
        Random random = new Random(7);
        double w = SCREEN_W / scale, h = SCREEN_H / scale;
        // The whole layer without level of detail is ~70 MB a time: three times is enough.
        double[] ms = new double[w >= SIDE && !lod ? 3 : 20];
        long features = 0, omitted = 0, bytes = 0, rows = 0;
        for (int i = 0; i < ms.length; i++) {
            double x = w >= SIDE ? 0 : random.nextDouble() * (SIDE - w), y = h >= SIDE ? 0 : random.nextDouble() * (SIDE - h);
            String bbox = String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", x, y, x + w, y + h);
            long q0 = System.nanoTime();
            Client.Response r = c.get("/api/v1/slices/" + slice.id() + "/regions?bbox=" + bbox + (lod ? "&scale=" + scale : ""));
            ms[i] = (System.nanoTime() - q0) / 1e6;
            assertThat(r.status()).isEqualTo(200);
            String text = r.text();
            features += text.split("\\{\"type\":\"Feature\",", -1).length - 1;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"omitted\":(\\d+)").matcher(text.substring(Math.max(0, text.length() - 200)));
            omitted += m.find() ? Long.parseLong(m.group(1)) : 0;
            bytes += r.body().length;
            rows += server.backend().regions().queries().candidates(new RegionQueries.Query(slice.id(), null, null,
                    new double[] {x, y, x + w, y + h}, 0, 0, lod ? 1 / scale : 0), slice.width(), slice.height());
        }
        System.out.printf(Locale.ROOT, "    scale %-6s %-9s %7.1f / %7.1f ms  %7d regions  %7d omitted  %7d rows read  %6.2f MB%n",
                scale >= 0.05 ? String.valueOf(scale) : "1/" + Math.round(1 / scale), lod ? "with LOD" : "plain", pct(ms, 50), pct(ms, 95),
                features / ms.length, omitted / ms.length, rows / ms.length, bytes / 1e6 / ms.length);
    }

    static double pct(double[] values, int p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

}
