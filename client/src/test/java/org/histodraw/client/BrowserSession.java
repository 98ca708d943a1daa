package org.histodraw.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user of the annotation server as the viewer is one (session cookie and CSRF header), for setting
 * up what the tests of its API clients then read with a token: projects, series, uploaded slices,
 * regions and the tokens themselves. Any answer other than 2xx fails the test with the server's words.
 */
public final class BrowserSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String csrf;

    private BrowserSession(String base) {
        this.base = base;
    }

    public static BrowserSession login(String base, String user, String password) {
        BrowserSession session = new BrowserSession(base);
        session.csrf = session.send("POST", "/api/v1/auth/login", Map.of("username", user, "password", password))
                .get("csrfToken").asText();
        return session;
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    /** A JSON request ({@code body} null for none); the answer's JSON. */
    public JsonNode send(String method, String path, Object body) {
        try {
            byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            return send(request(path).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new project owned by this user; its id. */
    public long project(String name) {
        return send("POST", "/api/v1/projects", Map.of("name", name)).get("id").asLong();
    }

    /** A new series of the project; its id. */
    public long series(long project, String name) {
        return send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", name)).get("id").asLong();
    }

    /** Uploads an image as the next slice of the series (as the viewer's upload does), waits for its ingest; the slice id. */
    public long upload(long series, Path image) {
        return upload(series, image, null);
    }

    /** As {@link #upload(long, Path)}, with the pixel size in microns (null: what the file says). */
    public long upload(long series, Path image, Double micronsPerPixel) {
        String boundary = "----histodraw" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (micronsPerPixel != null) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"micronsPerPixel\"\r\n\r\n"
                        + micronsPerPixel + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + image.getFileName()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(image));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String job = send(request("/api/v1/series/" + series + "/slices")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))).get("jobId").asText();
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            JsonNode state = get("/api/v1/jobs/" + job);
            if (state.path("sliceId").isNumber() && "done".equals(state.path("state").asText())) {
                return state.get("sliceId").asLong();
            }
            if (!List.of("queued", "running").contains(state.path("state").asText())) {
                throw new AssertionError("ingest of " + image + " failed: " + state);
            }
            pause();
        }
        throw new AssertionError("ingest of " + image + " did not finish in 120 s");
    }

    /** An API token of the project with these scopes ("read", "write"). */
    public String token(long project, String... scopes) {
        return send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "test-" + UUID.randomUUID(),
                "scopes", List.of(scopes))).get("token").asText();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder b) {
        HttpRequest request = b.build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(r.body(), StandardCharsets.UTF_8);
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError(request.method() + " " + request.uri() + ": HTTP " + r.statusCode() + " " + text);
            }
            return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
