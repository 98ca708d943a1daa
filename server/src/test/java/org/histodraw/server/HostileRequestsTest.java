package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.histodraw.server.auth.RateLimits;
import org.histodraw.server.store.IngestJobStore;
import org.histodraw.server.store.UploadQuota;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests a careless or hostile client sends: restore to a commit that does not exist, a viewport
 * of infinities, a layer that is a number, cursors of NaN and cursors by the thousand, URIs Jetty
 * refuses before any route sees them, and a history that must be paged through a commit larger
 * than a page. Each gets a JSON error (or, for history, every event exactly once).
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {
    HistoDrawServer server;
    Client owner;
    long project;
    long slice;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir.resolve("data"));
        owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        long series = owner.newSeries("Hostile requests", "S");
        project = owner.get("/api/v1/series/" + series).json().get("projectId").asLong();
        Path png = dir.resolve("tiny.png");
        Files.write(png, AccessMatrixTest.tinyPng());
        slice = server.ingest(series, png, "s.png", 0.0).id();
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    private int regionCount() {
        return owner.get("/api/v1/slices/" + slice + "/regions").json().get("features").size();
    }

    // ---- issue 15.16

    @Test
    void restoreRefusesCommitsThatDoNotExist() {
        owner.send("POST", "/api/v1/slices/" + slice + "/regions", AccessMatrixTest.square(2));
        int before = regionCount();
        long seq = owner.get("/api/v1/slices/" + slice + "/history").json().get("seq").asLong();
        for (long target : new long[] {-1, seq + 1, Long.MAX_VALUE}) {
            Client.Response r = owner.send("POST", "/api/v1/slices/" + slice + "/restore", Map.of("seq", target));
            assertThat(r.status()).as("seq " + target + ": " + r).isEqualTo(400);
            assertThat(r.json().get("error").asText()).contains("seq");
        }
        assertThat(owner.send("POST", "/api/v1/slices/" + slice + "/restore", Map.of("seq", "3")).status()).isEqualTo(400);
        assertThat(owner.send("POST", "/api/v1/slices/" + slice + "/restore", Map.of("eventId", 99_999_999)).status()).isEqualTo(404);
        assertThat(regionCount()).isEqualTo(before);
        assertThat(owner.send("POST", "/api/v1/slices/" + slice + "/restore", Map.of("seq", seq)).status()).isEqualTo(200);
    }

    @Test
    void aViewportOfInfinitiesOrNotANumberIsRefused() {
        for (String bbox : List.of("0,0,Infinity,Infinity", "NaN,0,10,10", "0,0,1e400,10", "-Infinity,0,0,0", "0,0,10")) {
            Client.Response r = owner.get("/api/v1/slices/" + slice + "/regions?bbox=" + bbox);
            assertThat(r.status()).as(bbox).isEqualTo(400);
            assertThat(r.json().get("error").asText()).contains("bbox");
        }
    }

    @Test
    void aLayerMustBeANameNotANumber() {
        Map<String, Object> feature = Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(1, 1), List.of(5, 1), List.of(5, 5), List.of(1, 1)))), "properties", Map.of("layer", 7));
        Client.Response r = owner.send("POST", "/api/v1/slices/" + slice + "/regions", feature);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("layer");
        assertThat(owner.get("/api/v1/slices/" + slice + "/regions?layer=../x").status()).isEqualTo(400);
    }

    // ---- issue 15.11

    @Test
    void historyIsPagedThroughACommitLargerThanAPage() {
        long series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "big commit")).json().get("id").asLong();
        long big = server.ingest(series, pngOf(), "big.png", 0.0).id();
        StringBuilder fc = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < 1500; i++) {
            fc.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[")
                    .append(i).append(",0],[").append(i + 1).append(",0],[").append(i + 1).append(",1],[").append(i).append(",0]]]},\"properties\":{}}");
        }
        Client.Response imported = owner.send("POST", "/api/v1/slices/" + big + "/import?format=geojson", fc.append("]}").toString());
        assertThat(imported.json().get("imported").asInt()).isEqualTo(1500);
        owner.send("POST", "/api/v1/slices/" + big + "/regions", AccessMatrixTest.square(3)); // one more commit on top
        Set<Long> seen = new HashSet<>();
        List<Integer> pages = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = owner.get("/api/v1/slices/" + big + "/history?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            pages.add(page.get("events").size());
            page.get("events").forEach(e -> assertThat(seen.add(e.get("eventId").asLong())).as("an event twice").isTrue());
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(pages).containsExactly(1000, 501);
        assertThat(seen).hasSize(1501);
        assertThat(owner.get("/api/v1/slices/" + big + "/history?cursor=../1").status()).isEqualTo(400);
    }

    private Path pngOf() {
        try {
            Path png = Files.createTempFile("tiny", ".png");
            Files.write(png, AccessMatrixTest.tinyPng());
            return png;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- issues 15.12 and 15.13 (cursors)

    @Test
    void cursorsThatAreNotFiniteNumbersAreRefusedAndNeverRelayed() throws Exception {
        LiveSocket watcher = LiveSocket.connect(owner, slice, null);
        LiveSocket sender = LiveSocket.connect(Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD), slice, null);
        watcher.next("snapshot");
        sender.next("snapshot");
        for (String bad : List.of("{\"type\":\"cursor\",\"x\":\"NaN\",\"y\":1}", "{\"type\":\"cursor\",\"x\":\"Infinity\",\"y\":1}",
                "{\"type\":\"cursor\",\"x\":1e400,\"y\":1}", "{\"type\":\"cursor\",\"x\":NaN,\"y\":1}", "{\"type\":\"cursor\",\"y\":1}")) {
            sender.send(bad);
            assertThat(sender.next("error").get("status").asInt()).as(bad).isEqualTo(400);
        }
        sender.send("{\"type\":\"cursor\",\"x\":12.5,\"y\":7}");
        JsonNode relayed = watcher.next("cursor"); // parsed as JSON: a bare NaN would fail here
        assertThat(relayed.get("x").asDouble()).isEqualTo(12.5);
        assertThat(watcher.received).noneMatch(m -> m.contains("NaN") || m.contains("Infinity"));
        watcher.close();
        sender.close();
    }

    @Test
    void cursorMessagesAreLimitedPerConnection() throws Exception {
        LiveSocket watcher = LiveSocket.connect(owner, slice, null);
        LiveSocket flood = LiveSocket.connect(Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD), slice, null);
        watcher.next("snapshot");
        flood.next("snapshot");
        long start = System.currentTimeMillis();
        for (int i = 0; i < 500; i++) {
            flood.send("{\"type\":\"cursor\",\"x\":" + i + ",\"y\":1}");
        }
        long seconds = Math.max(1, (System.currentTimeMillis() - start + 999) / 1000);
        JsonNode refused = flood.next("error");
        assertThat(refused.get("status").asInt()).isEqualTo(429);
        Thread.sleep(500);
        long relayed = watcher.received.stream().filter(m -> m.contains("\"cursor\"")).count();
        assertThat(relayed).as("relayed in " + seconds + " s").isLessThanOrEqualTo(30 * (seconds + 1)).isGreaterThan(0);
        watcher.close();
        flood.close();
    }

    // ---- uploads waiting per user

    @Test
    void aUserWithTheirShareOfUploadsWaitingMustWait() throws Exception {
        long series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "uploads")).json().get("id").asLong();
        IngestJobStore store = new IngestJobStore(server.backend().db());
        UploadQuota quota = new UploadQuota(server.backend().db());
        long admin = owner.get("/api/v1/me").json().at("/user/id").asLong();
        for (int i = 0; i < RateLimits.DEFAULT.uploadsPerUser(); i++) {
            String id = "waiting-" + i;
            store.create(id, series, project, "waiting.png", "key-" + i, null); // an upload still being ingested
            quota.owner(id, admin);
        }
        Client.Response r = owner.upload("/api/v1/series/" + series + "/slices", "one-more.png", AccessMatrixTest.tinyPng(), Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.json().get("error").asText()).contains("uploads waiting");
        assertThat(owner.get("/api/v1/series/" + series).json().get("slices")).isEmpty();
    }

    // ---- issue 15.15: errors raised before routing

    @Test
    void requestsJettyRefusesBeforeRoutingGetJsonErrors() throws Exception {
        for (String target : List.of("/api/v1/%00", "/api/v1/..;/projects", "/slides/1/slide_files/0/%2e%2e/x", "/%", "/api/v1/projects/%zz")) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String head = response.substring(0, response.indexOf("\r\n\r\n"));
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(head).as(target).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
            assertThat(head.toLowerCase()).as(target).contains("content-type: application/json");
            assertThat(Client.JSON.readTree(body.contains("{") ? body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1) : body)
                    .get("error").asText()).as(target).isNotBlank();
        }
    }

    /** Sends raw bytes (java.net.http would refuse to send such URIs) and reads the whole answer. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
