package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Issue 7's first view: the coarse overlay tiles of a large layer are drawn ahead, in the
 * background, when the layer changes and at start, and kept on disk per layer version.
 */
class OverlayDrawnAheadTest {
    /** 4000 x 4000 px with 254 px tiles: level 9 (1/8, 500 px) is the finest coarse level. */
    static final int SIDE = 4000;

    static List<Object> nuclei(int n, double offset) {
        List<Object> features = new ArrayList<>(n);
        int perRow = (int) Math.ceil(Math.sqrt(n));
        double step = (SIDE - 100) / (double) perRow;
        for (int i = 0; i < n; i++) {
            features.add(RegionsApiTest.box(50 + offset + step * (i % perRow), 50 + step * (i / perRow), 12, 12, "Nucleus"));
        }
        return features;
    }

    static Path waitForDirectory(Path dir) throws InterruptedException {
        for (int i = 0; i < 400 && !Files.isDirectory(dir); i++) {
            Thread.sleep(50);
        }
        return dir;
    }

    @Test
    void aLargeLayersCoarseTilesAreDrawnAheadKeptPerVersionAndRedrawnAtStartWhenMissing(@TempDir Path dir) throws Exception {
        long slice;
        Path layerDir;
        long seq;
        try (HistoDrawServer server = TestServer.start(dir)) {
            Client c = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = c.newSeries("Ahead", "S");
            slice = server.backend().slides().addSlice(series, "s", null, new PyramidLayout(SIDE, SIDE, 254, 1, TileFormat.JPEG),
                    null, "none").id();
            put(c, slice, nuclei(2500, 0), "job-1");
            seq = server.backend().regions().queries().layerSeq(slice, "cells");
            layerDir = dir.toAbsolutePath().resolve("overlays").resolve(Long.toString(slice)).resolve("layer-cells");

            // Drawn without anyone asking: every coarse level, every tile.
            Path version = waitForDirectory(layerDir.resolve(Long.toString(seq)));
            assertThat(version).isDirectory();
            assertThat(version.resolve("9")).isDirectory();
            assertThat(version.resolve("9").toFile().list()).hasSize(4);
            assertThat(version.resolve("0/0_0.png")).exists();
            assertThat(version.resolve("10")).doesNotExist();

            // What is served is what was drawn ahead; the nuclei show as dots.
            Client.Response served = c.get("/slides/" + slice + "/layers/cells/overlay_files/9/0_0.png");
            assertThat(served.body()).isEqualTo(Files.readAllBytes(version.resolve("9/0_0.png")));
            BufferedImage tile = OverlayTilesTest.png(served);
            assertThat(opaque(tile)).isGreaterThan(500);

            // A new version of the layer replaces the old one on disk.
            put(c, slice, nuclei(2500, 20), "job-2");
            long next = server.backend().regions().queries().layerSeq(slice, "cells");
            assertThat(waitForDirectory(layerDir.resolve(Long.toString(next)))).isDirectory();
            for (int i = 0; i < 100 && Files.exists(layerDir.resolve(Long.toString(seq))); i++) {
                Thread.sleep(50);
            }
            assertThat(layerDir.resolve(Long.toString(seq))).doesNotExist();
            seq = next;

            // A small layer is drawn on demand only.
            put(c, slice, nuclei(10, 0), "job-3", "few");
            Thread.sleep(300);
            assertThat(layerDir.resolveSibling("layer-few")).doesNotExist();
            assertThat(OverlayTilesTest.png(c.get("/slides/" + slice + "/layers/few/overlay_files/9/0_0.png")).getWidth()).isEqualTo(254);
        }

        // Lost tiles (a new disk, a crash while writing) are drawn again at start.
        deleteTree(layerDir);
        try (HistoDrawServer server = TestServer.start(dir)) {
            assertThat(waitForDirectory(layerDir.resolve(Long.toString(seq)).resolve("9"))).isDirectory();
        }
    }

    static void put(Client c, long slice, List<Object> features, String job) {
        put(c, slice, features, job, "cells");
    }

    static void put(Client c, long slice, List<Object> features, String job, String layer) {
        Client.Response r = c.send("PUT", "/api/v1/slices/" + slice + "/layers/" + layer, Map.of("type", "FeatureCollection",
                "features", features, "provenance", Map.of("service", "test", "model", "m", "job", job)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    static int opaque(BufferedImage tile) {
        int n = 0;
        for (int y = 0; y < tile.getHeight(); y++) {
            for (int x = 0; x < tile.getWidth(); x++) {
                n += (tile.getRGB(x, y) >>> 24) > 0 ? 1 : 0;
            }
        }
        return n;
    }

    static void deleteTree(Path p) throws IOException {
        try (var all = Files.walk(p)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
