package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * MicroDraw's client and scripts against the compatibility API, with the request shapes of
 * MicroDraw's own code (github.com/neuroanatomy/microdraw): the client's {@code microdrawDBLoad}
 * ({@code $.getJSON('/api', {action: "load_last", source, slice, project})}) and
 * {@code tools/save.js} ({@code fetch('/api', {method: "POST", headers: {'Content-Type':
 * 'application/json'}, body: JSON.stringify({action: 'save', source, slice, project, Hash,
 * annotation: JSON.stringify({Regions, RegionsToRemove, Hash})})})}), its server's
 * {@code saveFromAPI} upload ({@code POST /api/upload?action=save&source=&slice=&project=&Hash=}
 * with the file in the multipart field {@code data}) and its README's {@code ?token=}. Only the
 * server's address changes: {@code /api} becomes {@code /microdraw/api}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroDrawCompatibilityTest {
    HistoDrawServer server;
    Client owner;
    long project;
    long series;
    List<Long> slices = new ArrayList<>();
    String writeToken;
    String readToken;
    String source;

    /** Paper.js exportJSON() of a triangle, as in MicroDraw's own api.spec.js (units: 1/1000 of the image width). */
    static final String TRIANGLE = "[\"Path\",{\"applyMatrix\":true,\"segments\":[[345,157],[386,159],[385,199]],\"closed\":true,"
            + "\"fillColor\":[0.1,0.7,0.6,0.5],\"strokeColor\":[0,0,0],\"strokeScaling\":false}]";
    /** A square drawn with MicroDraw's polygon tool. */
    static final String SQUARE = "[\"Path\",{\"applyMatrix\":true,\"segments\":[[100,100],[400,100],[400,400],[100,400]],\"closed\":true,"
            + "\"fillColor\":[0.8,0.2,0.2,0.5],\"strokeColor\":[0,0,0],\"strokeScaling\":false}]";
    /** A bézier circle (segments with handles), as the draw tool leaves after smoothing. */
    static final String CIRCLE = "[\"Path\",{\"applyMatrix\":true,\"segments\":[[[600,500],[0,-55.2285],[0,55.2285]],"
            + "[[500,600],[55.2285,0],[-55.2285,0]],[[400,500],[0,55.2285],[0,-55.2285]],[[500,400],[-55.2285,0],[55.2285,0]]],"
            + "\"closed\":true,\"fillColor\":[0.2,0.2,0.8,0.5],\"strokeColor\":[0,0,0],\"strokeScaling\":false}]";
    /** The text tool's PointText and the line tool's open path. */
    static final String TEXT = "[\"PointText\",{\"applyMatrix\":false,\"matrix\":[1,0,0,1,50,60],\"content\":\"lesion\","
            + "\"fillColor\":[0,0,0],\"fontFamily\":\"sans-serif\",\"fontWeight\":\"normal\",\"fontSize\":12}]";
    static final String LINE = "[\"Path\",{\"applyMatrix\":true,\"segments\":[[10,10],[90,10]],\"strokeColor\":[0,0,0]}]";

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        project = owner.send("POST", "/api/v1/projects", Map.of("name", "Brains")).json().get("id").asLong();
        series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "Brain 12")).json().get("id").asLong();
        for (String name : List.of("section-01.png", "section-02.png", "section-03.png")) {
            String job = owner.upload("/api/v1/series/" + series + "/slices", name, AccessMatrixTest.tinyPng(), Map.of())
                    .json().get("jobId").asText();
            slices.add(owner.awaitJob(job).get("sliceId").asLong());
        }
        writeToken = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "script", "scopes", List.of("read", "write")))
                .json().get("token").asText();
        readToken = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "reader", "scopes", List.of("read")))
                .json().get("token").asText();
        source = "http://127.0.0.1:" + server.port() + "/microdraw/source/" + series + ".json";
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    // ---- MicroDraw's requests ----

    /** A browser logged into HistoDraw: its session cookie, and no CSRF header (MicroDraw's client sends none). */
    HttpClient browser() throws IOException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).build();
        HttpResponse<String> login = send(http, HttpRequest.newBuilder(uri("/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"admin-password\"}")));
        assertThat(login.statusCode()).isEqualTo(200);
        return http;
    }

    /** microdrawDBLoad: $.getJSON('/api', query) with query {action: "load_last", source, slice[, project]}. */
    JsonNode load(HttpClient http, String slice, String extra) throws IOException {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(uri("/microdraw/api?" + form(Map.of("action", "load_last",
                "source", source, "slice", slice)) + extra)).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Client.JSON.readTree(r.body());
    }

    /** tools/save.js: the section's value {Regions, RegionsToRemove, Hash} as JSON text inside a JSON body. */
    HttpResponse<String> save(HttpClient http, String slice, List<Map<String, Object>> regions, List<String> remove, String auth)
            throws IOException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("Regions", regions);
        value.put("RegionsToRemove", remove);
        value.put("Hash", "-1f2e3d");
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("action", "save");
        query.put("source", source);
        query.put("slice", slice);
        query.put("Hash", "-1f2e3d");
        query.put("annotation", Client.JSON.writeValueAsString(value));
        return send(http, HttpRequest.newBuilder(uri("/microdraw/api" + auth)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Client.JSON.writeValueAsString(query))));
    }

    static Map<String, Object> region(String name, String uid, String paperJson) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", Client.JSON.readTree(paperJson));
        r.put("name", name);
        r.put("uid", uid);
        return r;
    }

    /** saveFromAPI: curl -XPOST "/api/upload?action=save&source=...&slice=...&token=..." -F "data=@file.json" */
    HttpResponse<String> upload(String query, String file) throws IOException {
        String boundary = "----microdraw-script";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"regions.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + file + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri("/microdraw/api/upload?" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    static JsonNode byUid(JsonNode docs, String uid) {
        for (JsonNode d : docs) {
            if (uid.equals(d.at("/annotation/uid").asText()) && !d.has("backup")) {
                return d;
            }
        }
        throw new AssertionError("no document with uid " + uid + " in " + docs);
    }

    // ---- the tests ----

    @Test
    void microDrawsClientOpensTheSeriesLoadsAndSavesWithItsOwnRequests() throws IOException {
        HttpClient browser = browser();
        // the viewer opens the source description, then each slice's Deep Zoom image
        HttpResponse<String> description = send(browser, HttpRequest.newBuilder(URI.create(source)).GET());
        JsonNode sources = Client.JSON.readTree(description.body());
        assertThat(sources.get("tileSources")).hasSize(3);
        assertThat(sources.at("/tileSources/0").asText()).isEqualTo("/slides/" + slices.get(0) + "/slide.dzi");
        assertThat(send(browser, HttpRequest.newBuilder(uri(sources.at("/tileSources/0").asText())).GET()).statusCode()).isEqualTo(200);
        assertThat(load(browser, "0", "").isEmpty()).as("a slice without annotations").isTrue();

        HttpResponse<String> saved = save(browser, "0", List.of(region("Cortex", "a1b2c3", SQUARE), region("Ventricle", "d4e5f6", CIRCLE),
                region("textAnnotation", "77aa", TEXT), region("Cortex", "88bb", LINE)), List.of(), "");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(Client.JSON.readTree(saved.body()).get("success").asBoolean()).isTrue();

        JsonNode docs = load(browser, "0", "");
        assertThat(docs).hasSize(4);
        // _addRegions reads the slice back from fileID with /slice=(.+)/
        assertThat(docs.get(0).get("fileID").asText()).isEqualTo(source + "&slice=0");
        assertThat(docs.get(0).get("user").asText()).isEqualTo("admin");
        JsonNode square = byUid(docs, "a1b2c3").get("annotation");
        assertThat(square.get("name").asText()).isEqualTo("Cortex");
        assertThat(square.at("/path/0").asText()).isEqualTo("Path");
        assertThat(square.at("/path/1/segments").toString()).isEqualTo("[[100,100],[400,100],[400,400],[100,400]]");
        JsonNode circle = byUid(docs, "d4e5f6").at("/annotation/path/1/segments");
        assertThat(circle.size()).as("the circle, flattened into straight segments (4 px radius here)").isGreaterThanOrEqualTo(12);
        assertThat(circle.get(0).get(0).isNumber()).as("a point, no handles").isTrue();
        assertThat(byUid(docs, "77aa").at("/annotation/path").toString()).as("the text comes back as it went").isEqualTo(TEXT);
        assertThat(byUid(docs, "88bb").at("/annotation/path").toString()).as("the line comes back as it went").isEqualTo(LINE);

        // in HistoDraw the two regions are regions of the human layer, in pixels (the slice is 40 px wide)
        JsonNode features = owner.get("/api/v1/slices/" + slices.get(0) + "/regions").json().get("features");
        assertThat(features).hasSize(2);
        JsonNode cortex = features.get(0).at("/properties/classification/name").asText().equals("Cortex") ? features.get(0) : features.get(1);
        assertThat(cortex.at("/geometry/coordinates/0").toString()).isEqualTo("[[4,4],[16,4],[16,16],[4,16],[4,4]]");
        assertThat(owner.get("/api/v1/projects/" + project + "/ontology").json().toString()).contains("Cortex").contains("Ventricle");

        // the client saves again: the square moved, the circle removed, the same text and line
        HttpResponse<String> again = save(browser, "0", List.of(region("Cortex", "a1b2c3", SQUARE.replace("[400,400]", "[500,500]")),
                region("textAnnotation", "77aa", TEXT), region("Cortex", "88bb", LINE)), List.of("d4e5f6"), "");
        JsonNode result = Client.JSON.readTree(again.body());
        assertThat(result.get("updated").asInt()).isEqualTo(1);
        assertThat(result.get("deleted").asInt()).isEqualTo(1);
        JsonNode moved = owner.get("/api/v1/regions/" + cortex.get("id").asLong()).json();
        assertThat(moved.at("/properties/version").asInt()).as("the same region, a new version").isEqualTo(2);

        JsonNode now = load(browser, "0", "");
        assertThat(now).hasSize(3);
        JsonNode withBackups = load(browser, "0", "&backup");
        List<String> backups = new ArrayList<>();
        withBackups.forEach(d -> {
            if (d.path("backup").asBoolean()) {
                backups.add(d.at("/annotation/uid").asText());
            }
        });
        assertThat(backups).as("MicroDraw's backups are HistoDraw's earlier versions").containsExactlyInAnyOrder("a1b2c3", "d4e5f6");

        // saving what was loaded changes nothing
        List<Map<String, Object>> same = new ArrayList<>();
        for (JsonNode d : now) {
            same.add(region(d.at("/annotation/name").asText(), d.at("/annotation/uid").asText(), d.at("/annotation/path").toString()));
        }
        JsonNode unchanged = Client.JSON.readTree(save(browser, "0", same, List.of(), "").body());
        assertThat(unchanged.get("unchanged").asInt()).isEqualTo(1);
        assertThat(unchanged.get("updated").asInt()).isZero();
        assertThat(owner.get("/api/v1/regions/" + cortex.get("id").asLong()).json().at("/properties/version").asInt()).isEqualTo(2);
    }

    @Test
    void microDrawsScriptsUploadWithATokenInTheUrl() throws IOException {
        String file = "[{\"annotation\":{\"path\":" + TRIANGLE + ",\"name\":\"Contour 1\"}},"
                + "{\"annotation\":{\"path\":" + SQUARE + ",\"name\":\"Contour 2\"}}]";
        String query = form(Map.of("action", "save", "source", source, "slice", "1", "project", "brains", "Hash", "hello world"));
        HttpResponse<String> r = upload(query + "&token=" + writeToken, file);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Client.JSON.readTree(r.body()).get("msg").asText()).isEqualTo("Annotation successfully saved");
        JsonNode docs = Client.JSON.readTree(send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri("/microdraw/api?"
                + form(Map.of("source", source, "slice", "1")) + "&token=" + readToken)).GET()).body());
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).at("/annotation/uid").asText()).as("the server gives uids, as MicroDraw's does").isNotBlank();
        assertThat(upload(query.replace("action=save", "action=append") + "&token=" + writeToken, file).statusCode()).isEqualTo(200);
        assertThat(owner.get("/api/v1/slices/" + slices.get(1) + "/regions").json().get("features")).hasSize(4);

        HttpResponse<String> anonymous = upload(query, file);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Client.JSON.readTree(anonymous.body()).get("msg").asText()).startsWith("Invalid user");
        assertThat(upload(query + "&token=" + readToken, file).statusCode()).as("a read token cannot write").isEqualTo(403);
        HttpResponse<String> bad = upload(query + "&token=" + writeToken, "{\"hello\":\"world\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Client.JSON.readTree(bad.body()).get("msg").asText()).startsWith("Invalid annotation file");
    }

    @Test
    void writesThroughACookieMustComeAsJsonOrCarryTheCsrfHeader() throws IOException {
        HttpClient browser = browser();
        String body = form(Map.of("action", "save", "source", source, "slice", "2", "annotation", "{\"Regions\":[],\"RegionsToRemove\":[]}"));
        HttpResponse<String> asForm = send(browser, HttpRequest.newBuilder(uri("/microdraw/api"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(asForm.statusCode()).as("a form another site could post").isEqualTo(403);
        HttpResponse<String> withToken = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri("/microdraw/api?token=" + writeToken))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
    }

    @Test
    void hostileSavesAreRefusedInJsonAndStoreNothing() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "?token=" + writeToken;
        // curves that would flatten into millions of points: that region is refused, the save goes on
        StringBuilder loops = new StringBuilder("[\"Path\",{\"segments\":[");
        for (int i = 0; i < 20; i++) {
            loops.append(i == 0 ? "" : ",").append("[[").append(i * 10).append(",0],[-1e12,1e12],[1e12,1e12]]");
        }
        loops.append("],\"closed\":true}]");
        HttpResponse<String> bomb = save(http, "2", List.of(region("Cortex", "bomb", loops.toString()), region("Cortex", "ok", SQUARE)),
                List.of(), auth);
        assertThat(bomb.statusCode()).as(bomb.body()).isEqualTo(200);
        JsonNode result = Client.JSON.readTree(bomb.body());
        assertThat(result.get("created").asInt()).isEqualTo(1);
        assertThat(result.get("skipped").get(0).asText()).contains("flatten into more than 1000000 points");
        // more annotations than a slice may take
        List<Map<String, Object>> many = new ArrayList<>();
        Map<String, Object> tiny = region("Cortex", "t", TRIANGLE);
        for (int i = 0; i <= 200_000; i++) {
            many.add(tiny);
        }
        long before = owner.get("/api/v1/slices/" + slices.get(2) + "/regions").json().get("features").size();
        HttpResponse<String> tooMany = save(http, "2", many, List.of(), auth);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(Client.JSON.readTree(tooMany.body()).get("msg").asText()).contains("at most 200000 annotations");
        // a file larger than a request body may be
        byte[] big = new byte[(64 << 20) + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        HttpResponse<String> huge = upload(form(Map.of("action", "save", "source", source, "slice", "2")) + "&token=" + writeToken,
                new String(big, StandardCharsets.US_ASCII));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(Client.JSON.readTree(huge.body()).get("error").asText()).contains("larger than 64 MB");
        assertThat(owner.get("/api/v1/slices/" + slices.get(2) + "/regions").json().get("features")).hasSize((int) before);
    }

    @Test
    void unknownSourcesAndSlicesAnswerInJson() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = send(http, HttpRequest.newBuilder(uri("/microdraw/api?source=/nowhere.json&slice=0&token=" + readToken)).GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode error = Client.JSON.readTree(unknown.body());
        assertThat(error.get("error").asText()).contains("/nowhere.json");
        assertThat(error.get("msg").asText()).isEqualTo(error.get("error").asText());
        HttpResponse<String> noSlice = send(http, HttpRequest.newBuilder(uri("/microdraw/api?" + form(Map.of("source", source, "slice", "9"))
                + "&token=" + readToken)).GET());
        assertThat(noSlice.statusCode()).isEqualTo(404);
        assertThat(Client.JSON.readTree(noSlice.body()).get("error").asText()).contains("has no slice 9");
        HttpResponse<String> anonymous = send(http, HttpRequest.newBuilder(uri("/microdraw/api?" + form(Map.of("source", source, "slice", "0")))).GET());
        assertThat(anonymous.statusCode()).as("a private project").isIn(401, 403);
        ObjectNode notSave = Client.JSON.createObjectNode().put("action", "load").put("source", source).put("slice", "0");
        HttpResponse<String> other = send(http, HttpRequest.newBuilder(uri("/microdraw/api?token=" + writeToken))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notSave.toString())));
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(Client.JSON.readTree(other.body()).get("error").asText()).contains("actions other than save");
    }
}
