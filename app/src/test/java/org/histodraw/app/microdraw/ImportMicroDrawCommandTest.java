package org.histodraw.app.microdraw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.histodraw.app.Main;
import org.histodraw.app.console.Terminal;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.histodraw.server.exchange.MicroDrawCompat;
import org.histodraw.server.store.Change;
import org.histodraw.server.store.MicroDrawStore;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code histodraw import-microdraw} on MicroDraw's example data (its {@code test_data/cat.json},
 * two Deep Zoom images, fetched as {@link MicroDrawExample} says) with annotation documents made
 * after MicroDraw's database layout ({@code cat-annotations.json}, a mongoexport: a save by alice on
 * the cat later backed up, bob's save that moved a region, removed another and added a text and a
 * line, alice's region with a hole on the doge, and a document of another source).
 */
class ImportMicroDrawCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    private Path dataWithAdmin() {
        Path data = dir.resolve("data");
        try (HistoDrawServer first = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0)
                .withAdmin("admin", "secret-password").withPasswordCost(4))) {
            assertThat(first.port()).isPositive();
        }
        return data;
    }

    private Path annotations() throws IOException {
        Path file = dir.resolve("cat-annotations.json");
        try (InputStream in = getClass().getResourceAsStream("cat-annotations.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aMicroDrawProjectBecomesASeriesWithItsRegionsUidsAuthorsAndBackupsAsHistory() throws IOException {
        Path root = MicroDrawExample.root();
        Path data = dataWithAdmin();
        int code = run("import-microdraw", "--data", data.toString(), "--project", "Pets", "--source",
                root.resolve("test_data/cat.json").toString(), "--annotations", annotations().toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("slice 0 (cat): 480 x 360 px from its Deep Zoom tiles")
                .contains("slice 1 (doge): 2048 x 1024 px from its Deep Zoom tiles")
                .contains("source /test_data/cat.json now names series cat")
                .contains("1 annotation documents of other sources left out")
                .contains("slice 0: 5 documents (2 backups) in 2 saves -> 2 commits; 1 regions, 2 lines and texts")
                .contains("slice 1: 1 documents (0 backups) in 1 saves -> 1 commits; 1 regions, 0 lines and texts");

        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            var b = server.backend();
            Series series = b.slides().seriesOf(b.projects().visibleTo(null, true).get(0).id()).get(0);
            List<Slice> slices = b.slides().slicesOf(series.id());
            assertThat(slices).extracting(Slice::name).containsExactly("cat", "doge");
            assertThat(slices.get(0).micronsPerPixel()).as("from pixelsPerMeter 10000").isEqualTo(100.0);
            Slice cat = slices.get(0);

            List<Regions.Stored> regions = new ArrayList<>();
            b.regions().queries().query(new RegionQueries.Query(cat.id(), "human", null, null, 0, 0), cat.width(), cat.height(), regions::add);
            assertThat(regions).hasSize(1);
            Regions.Stored cortex = regions.get(0);
            assertThat(cortex.className()).isEqualTo("Cortex");
            // MicroDraw's units are a thousandth of the width: 450 units of a 480 px image are 216 px
            assertThat(cortex.geometry()).isEqualTo("{\"type\":\"Polygon\",\"coordinates\":[[[48,48],[216,48],[216,192],[48,192],[48,48]]]}");
            assertThat(cortex.version()).as("bob's save is the second version of alice's region").isEqualTo(2);
            JsonNode provenance = JSON.readTree(cortex.provenance());
            assertThat(provenance.get("author").asText()).isEqualTo("bob");
            assertThat(provenance.get("savedAt").asText()).isEqualTo(java.time.Instant.ofEpochSecond(0x6553f200L).toString());
            assertThat(new RegionOrigins(b.db()).externalIds(cat.id())).containsEntry(cortex.id(), "r1");

            List<Change> history = b.regions().history().changesSince(cat.id(), 0, 100);
            assertThat(history).extracting(c -> c.op() + " " + c.className() + " " + c.version())
                    .as("two MicroDraw saves, two commits: the backups are the first").containsExactlyInAnyOrder(
                            "create Cortex 1", "create Ventricle 1", "update Cortex 2", "delete null 2");
            assertThat(history.stream().map(Change::seq).distinct()).hasSize(2);

            MicroDrawStore store = new MicroDrawStore(b.db());
            assertThat(store.items(cat.id())).extracting(MicroDrawStore.Item::uid).containsExactlyInAnyOrder("t1", "l1");
            assertThat(store.items(cat.id())).extracting(MicroDrawStore.Item::username).containsOnly("bob");

            Slice doge = slices.get(1);
            List<Regions.Stored> nose = new ArrayList<>();
            b.regions().queries().query(new RegionQueries.Query(doge.id(), "human", null, null, 0, 0), doge.width(), doge.height(), nose::add);
            assertThat(nose).hasSize(1);
            assertThat(JSON.readTree(nose.get(0).geometry()).get("coordinates")).as("a shell and its hole").hasSize(2);

            // MicroDraw's clients reach the slices by the old source URL
            MicroDrawCompat compat = new MicroDrawCompat(b.regions(), new RegionOrigins(b.db()), store, b.slides());
            assertThat(compat.target("/test_data/cat.json", "1", "").slice().id()).isEqualTo(doge.id());
            StringBuilder docs = new StringBuilder();
            compat.writeDocuments(compat.target("/test_data/cat.json", "0", ""), "/test_data/cat.json", "", true, docs);
            JsonNode all = JSON.readTree(docs.toString());
            List<String> current = new ArrayList<>();
            List<String> backups = new ArrayList<>();
            all.forEach(d -> (d.path("backup").asBoolean() ? backups : current).add(d.at("/annotation/uid").asText() + " " + d.get("user").asText()));
            assertThat(current).containsExactlyInAnyOrder("r1 bob", "t1 bob", "l1 bob");
            assertThat(backups).containsExactlyInAnyOrder("r1 alice", "r2 alice");
            assertThat(b.projects().ontology(series.projectId())).contains("Cortex").contains("Ventricle").contains("Nose");
        }
    }

    @Test
    void theOriginalImagesMayStandInForThePyramids() throws IOException {
        Path root = MicroDrawExample.root();
        Path data = dataWithAdmin();
        Path cat = dir.resolve("cat.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(480, 360, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", cat.toFile());
        int code = run("import-microdraw", "--data", data.toString(), "--project", "Pets", "--series", "Originals", "--source",
                root.resolve("test_data/cat.json").toString(), "--images", cat.toString(), root.resolve("test_data/doge/doge.jpg").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("slice 0 (cat.png): 480 x 360 px from cat.png", "slice 1 (doge.jpg): 2048 x 1024 px from doge.jpg");
    }

    @Test
    void whatCannotBeImportedIsNamedAndNothingIsMade() throws IOException {
        Path root = MicroDrawExample.root();
        Path data = dataWithAdmin();
        Path source = dir.resolve("brain.json");
        Files.writeString(source, JSON.writeValueAsString(Map.of("tileSources", List.of("/test_data/cat.dzi", "/missing/brain-02.dzi"))));
        assertThat(run("import-microdraw", "--data", data.toString(), "--project", "P", "--source", source.toString(),
                "--root", root.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("tile source 1 (/missing/brain-02.dzi): no file");
        Files.writeString(source, "{\"tileSources\": [{\"getTileUrl\": \"function(l, x, y) { return ''; }\", \"width\": 10, \"height\": 10}]}");
        assertThat(run("import-microdraw", "--data", data.toString(), "--project", "P", "--source", source.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("tile source 0 is an object").contains("--images");
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            var b = server.backend();
            for (var p : b.projects().visibleTo(null, true)) {
                for (var s : b.slides().seriesOf(p.id())) {
                    assertThat(b.slides().slicesOf(s.id())).as("no slice made").isEmpty();
                }
            }
        }
    }
}
