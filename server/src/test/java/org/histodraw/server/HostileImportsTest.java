package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.histodraw.server.exchange.ImportLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Region imports built to hurt: a zip bomb, a file past each import limit, a series whose second
 * file is bad, slices named to escape the export archive. Each is refused with a JSON error that
 * names the problem (413 naming the limit), stores nothing (regions and ontology as before), and
 * leaves the server answering. One server runs with the default limits (the real 500 KB bomb),
 * one with small limits so that each limit is crossed by a small file.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileImportsTest {
    static final ImportLimits SMALL = new ImportLimits(40_000, 60_000, 6, 8_000, 40, 60, 2, 3);
    HistoDrawServer server;
    HistoDrawServer small;
    Client owner;
    Client smallOwner;
    Slices normal;
    Slices tight;

    /** A project with one series of two slices, named brain-01 and brain-02. */
    record Slices(long project, long series, long first, long second) {
    }

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir.resolve("default"));
        small = HistoDrawServer.start(TestServer.config(dir.resolve("small")).withImportLimits(SMALL));
        owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        smallOwner = Client.login(small.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        normal = slices(server, owner, dir.resolve("default-inputs"));
        tight = slices(small, smallOwner, dir.resolve("small-inputs"));
    }

    private static Slices slices(HistoDrawServer server, Client owner, Path dir) throws IOException {
        long series = owner.newSeries("Hostile imports", "S");
        long project = owner.get("/api/v1/series/" + series).json().get("projectId").asLong();
        owner.send("PUT", "/api/v1/projects/" + project + "/ontology", List.of(Map.of("name", "Tumor", "color", "#c80000")));
        Files.createDirectories(dir);
        Path png = dir.resolve("tiny.png");
        Files.write(png, AccessMatrixTest.tinyPng());
        long first = server.ingest(series, png, "brain-01.png", 0.0).id();
        long second = server.ingest(series, png, "brain-02.png", 1.0).id();
        return new Slices(project, series, first, second);
    }

    @AfterAll
    void tearDown() {
        server.close();
        small.close();
    }

    // ---- what must not change

    /** The regions of both slices and the ontology, as text: equal before and after means nothing was stored. */
    private static String state(Client c, Slices s) {
        return c.get("/api/v1/slices/" + s.first() + "/regions").json().get("features") + " "
                + c.get("/api/v1/slices/" + s.second() + "/regions").json().get("features") + " "
                + c.get("/api/v1/projects/" + s.project() + "/ontology").text();
    }

    private static Client.Response post(Client c, String path, byte[] body, String type) {
        return c.send(c.request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Posts a series zip; checks the answer is {@code status} JSON with an error (and the limit's name), and that nothing changed. */
    private static JsonNode refusedSeries(Client c, Slices s, byte[] zip, int status, String limit) {
        String before = state(c, s);
        Client.Response r = post(c, "/api/v1/series/" + s.series() + "/import?format=geojson", zip, "application/zip");
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        JsonNode error = r.json();
        assertThat(error.get("error").asText()).isNotBlank();
        if (limit != null) {
            assertThat(error.get("limit").asText()).as(r.toString()).isEqualTo(limit);
        }
        assertThat(state(c, s)).as("regions and ontology after a refused import").isEqualTo(before);
        return error;
    }

    private static JsonNode refusedSlice(Client c, Slices s, String geojson, int status, String limit) {
        String before = state(c, s);
        Client.Response r = post(c, "/api/v1/slices/" + s.first() + "/import?format=geojson", geojson.getBytes(StandardCharsets.UTF_8),
                "application/geo+json");
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        if (limit != null) {
            assertThat(r.json().get("limit").asText()).as(r.toString()).isEqualTo(limit);
        }
        assertThat(state(c, s)).as("regions and ontology after a refused import").isEqualTo(before);
        return r.json();
    }

    // ---- building hostile files

    /** A zip whose entries are written by the given writers (streamed: nothing large is held in memory). */
    interface Content {
        void write(OutputStream out) throws IOException;
    }

    static byte[] zip(Map<String, Content> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (Map.Entry<String, Content> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                e.getValue().write(zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Content text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} bytes of the same character, written a megabyte at a time. */
    static void repeat(OutputStream out, char c, long n) throws IOException {
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) c);
        for (long left = n; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

    static String square(int at, String className) {
        return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" + at + "," + at + "],[" + (at + 5) + ","
                + at + "],[" + (at + 5) + "," + (at + 5) + "],[" + at + "," + (at + 5) + "]]]},\"properties\":{\"classification\":"
                + "{\"name\":\"" + className + "\",\"color\":[1,2,3]}}}";
    }

    static String collection(int regions, String className) {
        List<String> features = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            features.add(square(i % 20, className));
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
    }

    // ---- issue 15.1: the zip bomb

    /**
     * Two GeoJSON entries of 250 MB each (one region whose properties are a 250 MB text, one whose
     * ring has 40 million points) in a zip of about 500 KB: refused at the first limit crossed, the
     * database open, the server answering logins, nothing stored.
     */
    @Test
    void aLayerStagedInPartsStopsAtTheRegionsAJobMayStage() {
        String path = "/api/v1/slices/" + tight.first() + "/layers/generated?stage=parts-1";
        Map<String, Object> provenance = Map.of("service", "test", "model", "m1", "job", "parts-1");
        Client.Response first = smallOwner.send("PUT", path, Map.of("type", "FeatureCollection", "provenance", provenance,
                "features", List.of(AccessMatrixTest.square(1), AccessMatrixTest.square(3))));
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        Client.Response third = smallOwner.send("PUT", path + "&append=true", Map.of("type", "FeatureCollection",
                "provenance", provenance, "features", List.of(AccessMatrixTest.square(5))));
        assertThat(third.status()).as(third.text()).isEqualTo(202);
        assertThat(third.json().get("regions").asInt()).isEqualTo(3);

        Client.Response fourth = smallOwner.send("PUT", path + "&append=true", Map.of("type", "FeatureCollection",
                "provenance", provenance, "features", List.of(AccessMatrixTest.square(7))));
        assertThat(fourth.status()).isEqualTo(413);
        assertThat(fourth.json().get("error").asText()).contains("would hold 4 regions").contains("at most 3 per slice");
        Client.Response whole = smallOwner.send("PUT", path, Map.of("type", "FeatureCollection", "provenance", provenance,
                "features", List.of(AccessMatrixTest.square(1), AccessMatrixTest.square(3), AccessMatrixTest.square(5),
                        AccessMatrixTest.square(7))));
        assertThat(whole.status()).as("one request past the limit too").isEqualTo(413);
        assertThat(smallOwner.send("DELETE", "/api/v1/staged/parts-1", null).status()).isEqualTo(204);
    }

    @Test
    void aZipBombIsRefusedAtItsFirstLimitAndTheServerGoesOn() {
        long size = 250L << 20;
        byte[] bomb = zip(Map.of(
                "brain-01.geojson", out -> {
                    out.write("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\","
                            .getBytes(StandardCharsets.UTF_8));
                    out.write("\"coordinates\":[[[0,0],[9,0],[9,9],[0,0]]]},\"properties\":{\"note\":\"".getBytes(StandardCharsets.UTF_8));
                    repeat(out, 'A', size);
                    out.write("\"}}]}".getBytes(StandardCharsets.UTF_8));
                },
                "brain-02.geojson", out -> {
                    out.write("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[["
                            .getBytes(StandardCharsets.UTF_8));
                    byte[] point = "[1,1],".getBytes(StandardCharsets.UTF_8);
                    for (long i = 0; i < size / point.length; i++) {
                        out.write(point);
                    }
                    out.write("[1,1]]]},\"properties\":{}}]}".getBytes(StandardCharsets.UTF_8));
                }));
        assertThat(bomb.length).as("compressed size").isLessThan(1 << 20);
        JsonNode error = refusedSeries(owner, normal, bomb, 413, null);
        assertThat(error.get("limit").asText()).isIn("maxRegionBytes", "maxEntryBytes", "maxVertices");
        assertThat(error.get("error").asText()).contains("brain-0");
        // The database is open and the server answers as before.
        assertThat(Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD).get("/api/v1/me").status()).isEqualTo(200);
        assertThat(owner.get("/api/v1/slices/" + normal.first() + "/regions").json().get("features")).isEmpty();
        assertThat(owner.send("POST", "/api/v1/slices/" + normal.first() + "/regions", AccessMatrixTest.square(3)).status()).isEqualTo(201);
        owner.get("/api/v1/slices/" + normal.first() + "/regions").json().get("features").forEach(f -> owner.send("DELETE",
                "/api/v1/regions/" + f.get("id").asLong() + "?version=" + f.at("/properties/version").asInt(), null));
    }

    // ---- issue 15.1: every limit, crossed by a small file

    @Test
    void anEntryLargerThanTheEntryLimitIsRefused() {
        refusedSeries(smallOwner, tight, zip(Map.of("brain-01.geojson", out -> {
            out.write("{\"type\":\"FeatureCollection\",\"features\":[".getBytes(StandardCharsets.UTF_8));
            repeat(out, ' ', SMALL.maxEntryBytes());
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        })), 413, "maxEntryBytes");
    }

    @Test
    void entriesTogetherLargerThanTheImportLimitAreRefused() {
        Content padded = out -> {
            out.write(collection(2, "Tumor").getBytes(StandardCharsets.UTF_8));
            repeat(out, ' ', 35_000);
        };
        refusedSeries(smallOwner, tight, zip(Map.of("brain-01.geojson", padded, "brain-02.geojson", padded)), 413, "maxImportBytes");
    }

    @Test
    void unmatchedEntriesCountTowardsTheImportLimitToo() {
        Content padding = out -> repeat(out, ' ', 35_000);
        refusedSeries(smallOwner, tight, zip(Map.of("brain-01.geojson", text(collection(1, "Tumor")), "notes-1.txt", padding,
                "notes-2.txt", padding)), 413, "maxImportBytes");
    }

    @Test
    void aZipWithTooManyEntriesIsRefused() {
        Map<String, Content> entries = new LinkedHashMap<>();
        entries.put("brain-01.geojson", text(collection(1, "Tumor")));
        for (int i = 0; i < SMALL.maxEntries(); i++) {
            entries.put("readme-" + i + ".txt", text("x"));
        }
        refusedSeries(smallOwner, tight, zip(entries), 413, "maxEntries");
    }

    @Test
    void aRegionLargerThanTheRegionLimitIsRefused() {
        String note = "x".repeat((int) SMALL.maxRegionBytes());
        refusedSlice(smallOwner, tight, "{\"type\":\"FeatureCollection\",\"features\":[" + square(1, "Tumor").replace("\"classification\"",
                "\"note\":\"" + note + "\",\"classification\"") + "]}", 413, "maxRegionBytes");
    }

    @Test
    void moreRegionsThanASliceMayHoldAreRefused() {
        refusedSlice(smallOwner, tight, collection(SMALL.maxRegionsPerSlice() + 1, "Tumor"), 413, "maxRegionsPerSlice");
    }

    @Test
    void moreRegionsThanAnImportMayHoldAreRefused() {
        String half = collection(SMALL.maxRegionsPerImport() / 2 + 1, "Tumor");
        refusedSeries(smallOwner, tight, zip(Map.of("brain-01.geojson", text(half), "brain-02.geojson", text(half))), 413,
                "maxRegionsPerImport");
    }

    @Test
    void aRegionWithMoreVerticesThanAllowedIsRefused() {
        StringBuilder ring = new StringBuilder("[");
        for (int i = 0; i <= 200_000; i++) {
            double angle = 2 * Math.PI * i / 200_001;
            ring.append(i == 0 ? "" : ",").append('[').append(Math.round(1e6 + 1e5 * Math.cos(angle))).append(',')
                    .append(Math.round(1e6 + 1e5 * Math.sin(angle))).append(']');
        }
        String feature = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]]},\"properties\":{}}";
        refusedSlice(owner, normal, feature, 413, "maxVertices");
        assertThat(owner.send("POST", "/api/v1/slices/" + normal.first() + "/regions", feature).json().get("limit").asText())
                .isEqualTo("maxVertices");
    }

    @Test
    void propertiesLargerThanAllowedAreRefused() {
        String note = "y".repeat(70_000);
        String feature = square(1, "Tumor").replace("\"classification\"", "\"note\":\"" + note + "\",\"classification\"");
        refusedSlice(owner, normal, feature, 413, "maxPropertiesChars");
    }

    @Test
    void aBezierThatWouldFlattenIntoMillionsOfPointsIsRefusedUnread() {
        // One MicroDraw path of 40 curves with handles 10^12 units long: flattened to a quarter
        // pixel, each would make 65,536 points (the flattening's own cap): 2.6 million in all.
        StringBuilder segments = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            double a = 2 * Math.PI * i / 40;
            segments.append(i == 0 ? "" : ",").append("[[").append(Math.round(500 + 400 * Math.cos(a))).append(',')
                    .append(Math.round(500 + 400 * Math.sin(a))).append("],[-1e12,1e12],[1e12,-1e12]]");
        }
        String microdraw = "[{\"annotation\":{\"name\":\"Tumor\",\"path\":[\"Path\",{\"applyMatrix\":true,\"segments\":["
                + segments + "],\"closed\":true}]}}]";
        String before = state(owner, normal);
        Client.Response r = post(owner, "/api/v1/slices/" + normal.first() + "/import?format=microdraw",
                microdraw.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.json().get("limit").asText()).isEqualTo("maxVertices");
        assertThat(state(owner, normal)).isEqualTo(before);
    }

    // ---- issue 15.6: all or nothing

    @Test
    void aSeriesImportWhoseSecondFileFailsStoresNothingNotEvenItsClasses() {
        String good = collection(3, "Gland");
        // Its first feature is fine; then the file breaks off (a feature that merely cannot become a
        // region is reported and left out, but a file that is not JSON is refused whole).
        String bad = "{\"type\":\"FeatureCollection\",\"features\":[" + square(1, "Gland") + ",{\"type\":\"Feature\",\"geometry\":";
        Map<String, Content> entries = new LinkedHashMap<>();
        entries.put("brain-01.geojson", text(good));
        entries.put("brain-02.geojson", text(bad));
        JsonNode error = refusedSeries(owner, normal, zip(entries), 400, null);
        assertThat(error.get("error").asText()).contains("brain-02.geojson").contains("not JSON");
        assertThat(owner.get("/api/v1/projects/" + normal.project() + "/ontology").text()).doesNotContain("Gland");
    }

    @Test
    void aSeriesImportThatSucceedsStoresEverySliceAndItsClassesTogether() {
        Map<String, Content> entries = new LinkedHashMap<>();
        entries.put("brain-01.geojson", text(collection(2, "Stroma")));
        entries.put("brain-02.geojson", text(collection(3, "Stroma")));
        Client.Response r = post(owner, "/api/v1/series/" + normal.series() + "/import?format=geojson", zip(entries), "application/zip");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("classesAdded").toString()).contains("Stroma");
        assertThat(owner.get("/api/v1/slices/" + normal.first() + "/regions").json().get("features")).hasSize(2);
        assertThat(owner.get("/api/v1/slices/" + normal.second() + "/regions").json().get("features")).hasSize(3);
        for (long slice : new long[] {normal.first(), normal.second()}) {
            owner.get("/api/v1/slices/" + slice + "/regions").json().get("features").forEach(f -> owner.send("DELETE",
                    "/api/v1/regions/" + f.get("id").asLong() + "?version=" + f.at("/properties/version").asInt(), null));
        }
    }

    // ---- issue 15.10: export names

    @Test
    void seriesExportNamesStaySafeWhenSlicesShareAHostileName(@TempDir Path dir) throws IOException {
        long series = owner.send("POST", "/api/v1/projects/" + normal.project() + "/series", Map.of("name", "../../evil"))
                .json().get("id").asLong();
        Path png = dir.resolve("tiny.png");
        Files.write(png, AccessMatrixTest.tinyPng());
        String hostile = "../../../../home/victim/.bashrc.png";
        for (int i = 0; i < 3; i++) {
            server.ingest(series, png, hostile, (double) i);
        }
        server.ingest(series, png, ".hidden", 3.0);
        Client.Response r = owner.get("/api/v1/series/" + series + "/export?format=geojson");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Disposition")).doesNotContain("/");
        Set<String> names = new HashSet<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertThat(names).hasSize(4).allSatisfy(n -> {
            assertThat(n).matches("[\\p{L}\\p{N}._ -]+").doesNotStartWith(".").doesNotContain("/", "\\");
        });
    }
}
