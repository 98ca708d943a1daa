package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.server.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of a private project x owner, editor, viewer, a logged-in stranger, anonymous, a
 * wrong token, a read-scope and a write-scope token: each gets exactly the status its role allows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {
    HistoDrawServer server;
    int port;
    long project;
    long series;
    long slice;
    long region;
    String jobId;
    final Map<String, Client> callers = new LinkedHashMap<>();
    /** The role each caller acts with; null = none. */
    final Map<String, Role> roles = new LinkedHashMap<>();

    record Endpoint(String method, String path, Object body, Role needed) {
    }

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        port = server.port();
        Client admin = Client.login(port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        for (String u : List.of("olga", "edith", "victor", "stranger")) {
            assertThat(admin.send("POST", "/api/v1/users", Map.of("username", u, "password", u + "-password")).status()).isEqualTo(201);
        }
        Client owner = Client.login(port, "olga", "olga-password");
        project = owner.send("POST", "/api/v1/projects", Map.of("name", "Private")).json().get("id").asLong();
        owner.send("PUT", "/api/v1/projects/" + project + "/members/edith", Map.of("role", "editor"));
        owner.send("PUT", "/api/v1/projects/" + project + "/members/victor", Map.of("role", "viewer"));
        series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        Client.Response up = owner.upload("/api/v1/series/" + series + "/slices", "tiny.png", tinyPng(), Map.of());
        jobId = up.json().get("jobId").asText();
        slice = owner.awaitJob(jobId).get("sliceId").asLong();
        region = owner.send("POST", "/api/v1/slices/" + slice + "/regions", square(1)).json().get("id").asLong();
        String read = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "r", "scopes", List.of("read")))
                .json().get("token").asText();
        String write = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "w", "scopes", List.of("read", "write")))
                .json().get("token").asText();

        add("owner", owner, Role.OWNER);
        add("editor", Client.login(port, "edith", "edith-password"), Role.EDITOR);
        add("viewer", Client.login(port, "victor", "victor-password"), Role.VIEWER);
        add("stranger", Client.login(port, "stranger", "stranger-password"), null);
        add("anonymous", new Client(port), null);
        add("wrong token", Client.withToken(port, "hdt_not-a-real-token"), null);
        add("read token", Client.withToken(port, read), Role.VIEWER);
        add("write token", Client.withToken(port, write), Role.EDITOR);
    }

    private void add(String name, Client c, Role role) {
        callers.put(name, c);
        roles.put(name, role);
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    static byte[] tinyPng() throws IOException {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static Map<String, Object> square(int at) {
        return Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(at, at), List.of(at + 5, at), List.of(at + 5, at + 5), List.of(at, at + 5), List.of(at, at)))),
                "properties", Map.of("classification", Map.of("name", "Tumor", "color", List.of(200, 0, 0))));
    }

    List<Endpoint> endpoints() {
        String p = "/api/v1/projects/" + project;
        Map<String, Object> layer = Map.of("type", "FeatureCollection", "features", List.of(square(3)),
                "provenance", Map.of("service", "test", "model", "m1", "job", "j1"));
        return List.of(
                new Endpoint("GET", p, null, Role.VIEWER),
                new Endpoint("PUT", p, Map.of("publicRead", false), Role.OWNER),
                new Endpoint("GET", p + "/members", null, Role.VIEWER),
                new Endpoint("PUT", p + "/members/victor", Map.of("role", "viewer"), Role.OWNER),
                new Endpoint("GET", p + "/tokens", null, Role.OWNER),
                new Endpoint("POST", p + "/tokens", Map.of("name", "x", "scopes", List.of("read")), Role.OWNER),
                new Endpoint("GET", p + "/ontology", null, Role.VIEWER),
                new Endpoint("PUT", p + "/ontology", List.of(Map.of("name", "Tumor", "color", "#c80000")), Role.OWNER),
                new Endpoint("GET", p + "/series", null, Role.VIEWER),
                new Endpoint("POST", p + "/series", Map.of("name", "more"), Role.EDITOR),
                new Endpoint("GET", "/api/v1/series/" + series, null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice, null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/jobs/" + jobId, null, Role.VIEWER),
                new Endpoint("GET", "/slides/" + slice + "/slide.dzi", null, Role.VIEWER),
                new Endpoint("GET", "/slides/" + slice + "/slide_files/0/0_0.jpg", null, Role.VIEWER),
                new Endpoint("HEAD", "/slides/" + slice + "/slide_files/0/0_0.jpg", null, Role.VIEWER),
                new Endpoint("HEAD", "/slides/" + slice + "/slide.dzi", null, Role.VIEWER),
                new Endpoint("GET", "/iiif/3/" + slice + "/info.json", null, Role.VIEWER),
                new Endpoint("GET", "/iiif/3/" + slice + "/full/max/0/default.jpg", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/regions", null, Role.VIEWER),
                new Endpoint("POST", "/api/v1/slices/" + slice + "/regions", square(20), Role.EDITOR),
                new Endpoint("PUT", "/api/v1/slices/" + slice + "/layers/generated", layer, Role.EDITOR),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/history", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/changes?since=0", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/export?format=geojson", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/export?format=microdraw", null, Role.VIEWER),
                new Endpoint("POST", "/api/v1/slices/" + slice + "/import", Map.of("type", "FeatureCollection", "features", List.of(square(30))), Role.EDITOR),
                new Endpoint("GET", "/api/v1/series/" + series + "/export", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/regions/at?x=2&y=2", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/regions?bbox=0,0,40,30&scale=0.5", null, Role.VIEWER),
                new Endpoint("GET", "/slides/" + slice + "/layers/human/overlay.dzi", null, Role.VIEWER),
                new Endpoint("GET", "/slides/" + slice + "/layers/human/overlay_files/6/0_0.png", null, Role.VIEWER),
                new Endpoint("POST", "/api/v1/slices/" + slice + "/magic-wand?preview=true", Map.of("x", 5, "y", 5), Role.EDITOR),
                new Endpoint("PUT", p, Map.of("stain", "hdab"), Role.OWNER),
                new Endpoint("POST", "/api/v1/slices/" + slice + "/accept", Map.of("layer", "generated", "classes", List.of("none")), Role.EDITOR),
                new Endpoint("GET", "/api/v1/slices/" + slice + "/measurements", null, Role.VIEWER),
                new Endpoint("GET", "/api/v1/series/" + series + "/measurements", null, Role.VIEWER));
    }

    @Test
    void everyEndpointAnswersEachCallerAsItsRoleAllows() {
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (Map.Entry<String, Client> caller : callers.entrySet()) {
                String name = caller.getKey();
                int expected = expected(name, e.needed());
                Client.Response r = caller.getValue().send(e.method(), e.path(), e.body());
                boolean ok = expected == 200 ? r.status() >= 200 && r.status() < 300 : r.status() == expected;
                if (!ok) {
                    wrong.add(e.method() + " " + e.path() + " as " + name + ": expected " + expected + ", got " + r);
                }
                if (r.status() >= 400 && !e.method().equals("HEAD")) { // HEAD answers carry no body
                    assertThat(r.json().get("error").asText()).as(e.method() + " " + e.path() + " as " + name).isNotBlank();
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private int expected(String caller, Role needed) {
        if (caller.equals("anonymous") || caller.equals("wrong token")) {
            return 401;
        }
        Role role = roles.get(caller);
        return role != null && role.atLeast(needed) ? 200 : 403;
    }

    @Test
    void regionUpdateAndDeleteFollowTheSameRules() {
        for (Map.Entry<String, Client> caller : callers.entrySet()) {
            Client c = caller.getValue();
            Role role = roles.get(caller.getKey());
            int expected = expected(caller.getKey(), Role.EDITOR);
            long id = region;
            if (expected == 200) {
                id = callers.get("owner").send("POST", "/api/v1/slices/" + slice + "/regions", square(7)).json().get("id").asLong();
            }
            Map<String, Object> update = new LinkedHashMap<>(square(9));
            update.put("version", 1);
            Client.Response put = c.send("PUT", "/api/v1/regions/" + id, update);
            Client.Response del = c.send("DELETE", "/api/v1/regions/" + id + "?version=2", null);
            if (expected == 200) {
                assertThat(put.status()).as(caller.getKey() + " " + put).isEqualTo(200);
                assertThat(del.status()).as(caller.getKey() + " " + del).isEqualTo(204);
            } else {
                assertThat(put.status()).as(caller.getKey() + " (" + role + ") " + put).isEqualTo(expected);
                assertThat(del.status()).as(caller.getKey() + " " + del).isEqualTo(expected);
            }
        }
    }

    @Test
    void shapeEditsFollowTheEditorRule() {
        Client owner = callers.get("owner");
        for (Map.Entry<String, Client> caller : callers.entrySet()) {
            Client c = caller.getValue();
            int expected = expected(caller.getKey(), Role.EDITOR);
            long a = region, b = region;
            if (expected == 200) {
                a = owner.send("POST", "/api/v1/slices/" + slice + "/regions", square(10)).json().get("id").asLong();
                b = owner.send("POST", "/api/v1/slices/" + slice + "/regions", square(12)).json().get("id").asLong();
            }
            Client.Response split = c.send("POST", "/api/v1/regions/" + a + "/split", Map.of("version", 1, "line",
                    Map.of("type", "LineString", "coordinates", List.of(List.of(12.5, 0), List.of(12.5, 20)))));
            Client.Response merge = c.send("POST", "/api/v1/slices/" + slice + "/regions/merge",
                    Map.of("ids", List.of(a, b), "versions", List.of(2, 1)));
            Client.Response fill = c.send("POST", "/api/v1/regions/" + a + "/fill-holes", Map.of("version", 3));
            if (expected == 200) {
                assertThat(split.status()).as(caller.getKey() + " " + split).isEqualTo(200);
                assertThat(merge.status()).as(caller.getKey() + " " + merge).isEqualTo(200);
                assertThat(fill.status()).as(caller.getKey() + " has no holes: " + fill).isEqualTo(400);
            } else {
                assertThat(List.of(split.status(), merge.status(), fill.status())).as(caller.getKey()).containsOnly(expected);
            }
        }
    }

    @Test
    void cookieSessionsMustSendTheCsrfToken() {
        Client owner = callers.get("owner");
        String csrf = owner.csrf;
        try {
            owner.csrf = null;
            Client.Response r = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "no csrf"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().get("error").asText()).contains("X-CSRF-Token");
            owner.csrf = "forged";
            assertThat(owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "forged")).status()).isEqualTo(403);
            assertThat(owner.get("/api/v1/projects/" + project).status()).as("reads need no token").isEqualTo(200);
        } finally {
            owner.csrf = csrf;
        }
    }

    @Test
    void publicProjectsAreReadableByAnyoneButWritableOnlyByMembers() {
        Client owner = callers.get("owner");
        long pub = owner.send("POST", "/api/v1/projects", Map.of("name", "Open atlas", "publicRead", true)).json().get("id").asLong();
        Client anonymous = callers.get("anonymous");
        assertThat(anonymous.get("/api/v1/projects/" + pub).status()).isEqualTo(200);
        assertThat(anonymous.get("/api/v1/projects").json().findValuesAsText("name")).contains("Open atlas").doesNotContain("Private");
        assertThat(anonymous.send("POST", "/api/v1/projects/" + pub + "/series", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(callers.get("stranger").send("POST", "/api/v1/projects/" + pub + "/series", Map.of("name", "x")).status()).isEqualTo(403);
    }

    @Test
    void loginMeAndLogout() {
        Client c = Client.login(port, "victor", "victor-password");
        assertThat(c.get("/api/v1/me").json().get("user").get("username").asText()).isEqualTo("victor");
        assertThat(c.get("/api/v1/me").json().get("csrfToken").asText()).isEqualTo(c.csrf);
        assertThat(c.send("POST", "/api/v1/auth/logout", null).status()).isEqualTo(204);
        assertThat(c.get("/api/v1/me").status()).isEqualTo(401);
        Client.Response bad = new Client(port).send("POST", "/api/v1/auth/login", Map.of("username", "victor", "password", "nope-nope"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("error").asText()).isEqualTo("wrong username or password");
        assertThat(callers.get("read token").get("/api/v1/me").json().get("token").get("scopes").toString()).isEqualTo("[\"read\"]");
    }

    @Test
    void tokensAreShownOnceAndStoredOnlyAsHashes() {
        Client owner = callers.get("owner");
        String secret = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "once", "scopes", List.of("read")))
                .json().get("token").asText();
        assertThat(owner.get("/api/v1/projects/" + project + "/tokens").text()).contains("once").doesNotContain(secret);
        String stored = server.backend().db().read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT token_hash FROM api_tokens WHERE name = 'once'")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(stored).isNotEqualTo(secret).hasSize(64);
    }
}
