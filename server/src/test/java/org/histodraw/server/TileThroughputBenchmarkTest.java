package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rough tile throughput from Java clients in the same JVM (wrk against nginx is the real
 * benchmark, issue 3): a public slice, 8 client threads for 5 seconds over all full-resolution tiles.
 * Run with {@code -Dhistodraw.bench=true}.
 */
@EnabledIfSystemProperty(named = "histodraw.bench", matches = "true")
class TileThroughputBenchmarkTest {
    @Test
    void tilesPerSecond(@TempDir Path dir) throws Exception {
        try (HistoDrawServer server = TestServer.start(dir)) {
            Client c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long project = c.send("POST", "/api/v1/projects", Map.of("name", "Public", "publicRead", true)).json().get("id").asLong();
            long series = c.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
            BufferedImage img = new BufferedImage(2048, 2048, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 2048; y++) {
                for (int x = 0; x < 2048; x++) {
                    img.setRGB(x, y, TileServingTest.pixel(x, y));
                }
            }
            Client.Response up = c.upload("/api/v1/series/" + series + "/slices", "b.png", TileServingTest.png(img), Map.of());
            long slice = c.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
            List<URI> tiles = new ArrayList<>();
            for (int col = 0; col < 9; col++) {
                for (int row = 0; row < 9; row++) {
                    tiles.add(URI.create(c.base + "/slides/" + slice + "/slide_files/11/" + col + "_" + row + ".jpg"));
                }
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            AtomicLong done = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long end = System.nanoTime() + 5_000_000_000L;
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    int i = offset;
                    while (System.nanoTime() < end) {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(tiles.get(i++ % tiles.size())).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new AssertionError("status " + r.statusCode());
                        }
                        done.incrementAndGet();
                        bytes.addAndGet(r.body().length);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "tiles: %.0f per second (%d in %.1f s, mean %.1f kB) from %d Java client threads, anonymous on a public slice%n",
                    done.get() / seconds, done.get(), seconds, bytes.get() / 1e3 / done.get(), threads);
            assertThat(done.get()).isPositive();
        }
    }
}
