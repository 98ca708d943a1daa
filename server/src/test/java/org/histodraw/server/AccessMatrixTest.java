package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.histodraw.server.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Every endpoint of a private project x owner, editor, viewer, a logged-in stranger, an
 * administrator, anonymous, a wrong token, a read-scope and a write-scope token: each gets exactly
 * the status its role allows. The operations and their rules come from the OpenAPI document
 * (x-access), so a new endpoint is in the matrix as soon as it is documented.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {
    HistoDrawServer server;
    int port;
    long project;
    long series;
    long slice;
    long region;
    String jobId;
    long spareToken;
    /** Who each session caller logs in as (to log in again after an operation logged it out). */
    final Map<String, String> logins = new LinkedHashMap<>();
    final Map<String, Client> callers = new LinkedHashMap<>();
    /** The role each caller acts with; null = none. */
    final Map<String, Role> roles = new LinkedHashMap<>();

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        port = server.port();
        Client admin = Client.login(port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        for (String u : List.of("olga", "edith", "victor", "stranger", "spare")) {
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

        spareToken = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "spare", "scopes", List.of("read")))
                .json().get("id").asLong();
        logins.putAll(Map.of("owner", "olga", "editor", "edith", "viewer", "victor", "stranger", "stranger", "admin", TestServer.ADMIN));
        add("owner", owner, Role.OWNER);
        add("editor", Client.login(port, "edith", "edith-password"), Role.EDITOR);
        add("viewer", Client.login(port, "victor", "victor-password"), Role.VIEWER);
        add("stranger", Client.login(port, "stranger", "stranger-password"), null);
        add("admin", Client.login(port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD), Role.OWNER);
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

    /** What a caller gets from an operation: let through (any status but 401 and 403, below 500), or refused with that status. */
    static final int ALLOWED = 200;

    /**
     * The outcome the access level of an operation (its x-access in the OpenAPI document) means
     * for a caller of the private project.
     */
    int expected(String caller, String level) {
        if (caller.equals("wrong token")) {
            return 401;
        }
        boolean anonymous = caller.equals("anonymous");
        boolean token = caller.endsWith(" token");
        Role role = roles.get(caller);
        return switch (level) {
            case "public" -> ALLOWED;
            case "authenticated" -> anonymous ? 401 : ALLOWED;
            case "session" -> anonymous ? 401 : token ? 403 : ALLOWED;
            case "token" -> anonymous ? 401 : token ? ALLOWED : 403;
            case "admin" -> anonymous ? 401 : caller.equals("admin") ? ALLOWED : 403;
            case "member" -> anonymous ? 401 : role == null ? 403 : ALLOWED;
            case "viewer", "editor", "owner" -> {
                Role needed = Role.parse(level);
                if (anonymous) {
                    yield 401;
                }
                yield role != null && role.atLeast(needed) && !(token && needed == Role.OWNER) ? ALLOWED : 403;
            }
            default -> throw new AssertionError("unknown access level " + level);
        };
    }

    private int expected(String caller, Role needed) {
        return expected(caller, needed.wire());
    }

    /** The value a path parameter takes in the fixture; a new parameter needs a line here. */
    String fixture(String path, String param) {
        boolean overlay = path.contains("overlay_files");
        return switch (param) {
            case "p" -> Long.toString(project);
            case "s" -> Long.toString(series);
            case "id" -> Long.toString(slice);
            case "rid" -> Long.toString(region);
            case "user" -> "spare";
            case "tokenId" -> Long.toString(spareToken);
            case "jobId" -> jobId;
            case "job" -> "matrix-job";
            case "layer" -> "human";
            case "level" -> overlay ? "6" : "0";
            case "tile" -> overlay ? "0_0.png" : "0_0.jpg";
            case "region" -> "full";
            case "size" -> "max";
            case "rotation" -> "0";
            case "file" -> path.startsWith("/microdraw/") ? series + ".json" : "default.jpg";
            case "name" -> "thumbnail";
            default -> throw new AssertionError("no fixture value for the path parameter {" + param + "} of " + path
                    + ": add one to AccessMatrixTest.fixture");
        };
    }

    /**
     * Every operation the OpenAPI document lists (which OpenApiTest proves is every route) x every
     * caller: the status follows from the operation's x-access alone, so a new endpoint is covered
     * by documenting it. No body is sent (access is decided before a body is read) except where
     * access depends on it (a member of the project named in the body).
     */
    @Test
    void everyDocumentedOperationAnswersEachCallerAsItsAccessRuleSays() throws Exception {
        JsonNode doc = Client.JSON.readTree(HistoDrawServer.class.getResourceAsStream("/org/histodraw/server/api/openapi.json"));
        Set<String> levels = new HashSet<>();
        doc.at("/info/x-access-levels").fieldNames().forEachRemaining(levels::add);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(Locale.ROOT);
                String level = op.getValue().path("x-access").asText(null);
                assertThat(level).as(method + " " + path.getKey() + " has no x-access in the OpenAPI document").isNotNull();
                assertThat(levels).as(method + " " + path.getKey()).contains(level);
                String target = resolve(path.getKey()) + query(method, path.getKey());
                Object body = level.equals("member") ? Map.of("project", project) : null;
                for (String caller : new ArrayList<>(callers.keySet())) {
                    int expected = expected(caller, level);
                    int status = path.getKey().endsWith("/live") ? websocket(callers.get(caller), target)
                            : callers.get(caller).send(method, target, body).status();
                    boolean ok = expected == ALLOWED ? status != 401 && status != 403 && status < 500 : status == expected;
                    if (!ok) {
                        wrong.add(method + " " + target + " (" + level + ") as " + caller + ": expected "
                                + (expected == ALLOWED ? "to be let through" : expected) + ", got " + status);
                    }
                    checked++;
                }
                refreshCallers();
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(60 * callers.size());
    }

    /**
     * The query an operation cannot be reached without (access depends on what it names); a new
     * operation of that kind needs a line here.
     */
    String query(String method, String path) {
        String microDraw = "source=" + "http://h/microdraw/source/" + series + ".json&slice=0";
        return switch (path) {
            case "/microdraw/api" -> "?" + microDraw + (method.equals("POST") ? "&action=save" : "");
            case "/microdraw/api/upload" -> "?" + microDraw + "&action=append";
            default -> "";
        };
    }

    private String resolve(String path) {
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(fixture(path, m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    /** The handshake's status: 101 when the socket opened (then closed again), else the refusal. */
    private static int websocket(Client c, String path) {
        WebSocket.Builder b = c.http.newWebSocketBuilder();
        if (c.bearer != null) {
            b.header("Authorization", "Bearer " + c.bearer);
        }
        try {
            WebSocket ws = b.buildAsync(URI.create(c.base.replace("http", "ws") + path), new WebSocket.Listener() {
            }).join();
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Logs in again the callers an operation logged out, makes again the tokens one revoked. */
    private void refreshCallers() {
        for (Map.Entry<String, Client> e : callers.entrySet()) {
            String name = e.getKey();
            if (name.equals("anonymous") || name.equals("wrong token") || e.getValue().get("/api/v1/me").status() != 401) {
                continue;
            }
            if (name.endsWith(" token")) {
                List<String> scopes = name.equals("read token") ? List.of("read") : List.of("read", "write");
                e.getValue().bearer = callers.get("owner").send("POST", "/api/v1/projects/" + project + "/tokens",
                        Map.of("name", name, "scopes", scopes)).json().get("token").asText();
            } else {
                String user = logins.get(name);
                e.setValue(Client.login(port, user, user.equals(TestServer.ADMIN) ? TestServer.ADMIN_PASSWORD : user + "-password"));
            }
        }
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
