package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad bodies sent to every documented operation that takes one (POST, PUT, PATCH), by
 * an administrator (so no access rule stops them first): empty, null, malformed, a string, an
 * array of a number, bare NaN, nesting 5,000 deep, bytes that are not UTF-8, an object whose every
 * usual field has the wrong type, strings of 2 MB. Each must get a 4xx answer with a JSON error, and
 * leave every list (users, projects, members, tokens, ontology, series and slices, regions, layers,
 * services) as it was. The slide-file corpus is the slide tests'.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadBodiesTest {
    HistoDrawServer server;
    Client admin;
    long project;
    long series;
    long slice;
    long region;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir.resolve("data"));
        admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        admin.send("POST", "/api/v1/users", Map.of("username", "spare", "password", "spare-password"));
        series = admin.newSeries("Bad bodies", "S");
        project = admin.get("/api/v1/series/" + series).json().get("projectId").asLong();
        admin.send("PUT", "/api/v1/projects/" + project + "/ontology", List.of(Map.of("name", "Tumor", "color", "#c80000")));
        Path png = dir.resolve("tiny.png");
        Files.write(png, AccessMatrixTest.tinyPng());
        slice = server.ingest(series, png, "s.png", 0.0).id();
        region = admin.send("POST", "/api/v1/slices/" + slice + "/regions", AccessMatrixTest.square(2)).json().get("id").asLong();
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    static Map<String, byte[]> corpus() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("null", utf8("null"));
        bodies.put("malformed", utf8("{\"name\": "));
        bodies.put("a string", utf8("\"just text\""));
        bodies.put("an array of a number", utf8("[1]"));
        bodies.put("bare NaN", utf8("NaN"));
        bodies.put("nested 5000 deep", utf8("[".repeat(5000) + "]".repeat(5000)));
        bodies.put("not UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe, 0x7b, (byte) 0xc3, 0x28, 0x7d});
        bodies.put("wrong types", utf8("{\"type\": 7, \"name\": 5, \"username\": 5, \"password\": 5, \"scopes\": \"all\", \"role\": 5,"
                + " \"publicRead\": \"yes\", \"disabled\": \"yes\", \"admin\": 3, \"project\": \"x\", \"seq\": \"x\", \"version\": \"one\","
                + " \"x\": \"NaN\", \"y\": 1e400, \"oldPassword\": 1, \"newPassword\": 2, \"url\": 3, \"features\": 4}"));
        String huge = "\"" + "n".repeat(2 << 20) + "\"";
        bodies.put("2 MB strings", utf8("{\"name\": " + huge + ", \"publicRead\": " + huge + ", \"disabled\": " + huge + "}"));
        return bodies;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every list the API has, as text: equal before and after means nothing changed. */
    private String lists() {
        StringBuilder sb = new StringBuilder();
        for (String path : List.of("/api/v1/users", "/api/v1/projects", "/api/v1/projects/" + project + "/members",
                "/api/v1/projects/" + project + "/tokens", "/api/v1/projects/" + project + "/ontology",
                "/api/v1/projects/" + project + "/series", "/api/v1/slices/" + slice + "/regions", "/api/v1/slices/" + slice + "/layers",
                "/api/v1/services")) {
            Client.Response r = admin.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            sb.append(path).append(' ').append(r.text().replaceAll("\"lastUsedAt\":\"[^\"]*\"", "")).append('\n');
        }
        return sb.toString();
    }

    @Test
    void everyOperationRefusesEveryBadBodyWithAJsonErrorAndChangesNothing() throws IOException {
        JsonNode doc = Client.JSON.readTree(HistoDrawServer.class.getResourceAsStream("/org/histodraw/server/api/openapi.json"));
        Map<String, byte[]> corpus = corpus();
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        String before = lists();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                if (!List.of("POST", "PUT", "PATCH").contains(method) || path.getKey().endsWith("/logout")) {
                    continue;
                }
                String target = resolve(path.getKey());
                for (Map.Entry<String, byte[]> body : corpus.entrySet()) {
                    String what = method + " " + target + " with " + body.getKey();
                    Client.Response r;
                    try {
                        r = admin.send(admin.request(target).header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.getValue())));
                    } catch (UncheckedIOException e) {
                        wrong.add(what + ": no answer (" + e.getMessage() + ")");
                        continue;
                    }
                    sent++;
                    if (r.status() < 400 || r.status() >= 500) {
                        wrong.add(what + ": " + r.status() + " " + shorten(r.text()));
                        continue;
                    }
                    try {
                        if (r.json().path("error").asText("").isBlank()) {
                            wrong.add(what + ": no error message: " + shorten(r.text()));
                        }
                    } catch (AssertionError e) {
                        wrong.add(what + ": not JSON: " + shorten(r.text()));
                    }
                }
                String after = lists();
                if (!after.equals(before)) {
                    wrong.add(method + " " + target + ": a bad body changed the lists");
                    before = after;
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(25 * corpus.size());
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private String resolve(String path) {
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "p" -> Long.toString(project);
                case "s" -> Long.toString(series);
                case "id" -> Long.toString(slice);
                case "rid" -> Long.toString(region);
                case "user" -> "spare";
                case "layer" -> "generated";
                case "job" -> "bad-bodies-job";
                default -> throw new AssertionError("no value for the path parameter {" + m.group(1) + "} of " + path
                        + ": add one to BadBodiesTest.resolve");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
