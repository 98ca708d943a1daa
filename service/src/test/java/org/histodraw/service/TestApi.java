package org.histodraw.service;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A plain HTTP caller for tests: as a browser (session cookie + CSRF header) or with a bearer token. */
final class TestApi {
    static final ObjectMapper JSON = new ObjectMapper();
    final String base;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    String csrf;
    String bearer;

    TestApi(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text());
            }
        }

        /** The JSON of a 2xx answer; fails the test with the answer otherwise. */
        JsonNode ok() {
            if (status / 100 != 2) {
                throw new AssertionError("HTTP " + status + ": " + text());
            }
            return json();
        }
    }

    /** A caller with a token of the annotation server (as the service wants every caller). */
    static TestApi withToken(String base, String token) {
        TestApi api = new TestApi(base);
        api.bearer = token;
        return api;
    }

    static TestApi login(String base, String user, String password) {
        TestApi api = new TestApi(base);
        JsonNode r = api.send("POST", "/api/v1/auth/login", Map.of("username", user, "password", password)).ok();
        api.csrf = r.get("csrfToken").asText();
        return api;
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response send(String method, String path, Object json) {
        try {
            byte[] body = json == null ? new byte[0] : JSON.writeValueAsBytes(json);
            return send(request(path).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response upload(String path, String fileName, byte[] content) {
        String boundary = "----histodraw" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Polls until {@code path}'s "state" is no longer one of the busy states; returns the last answer. */
    JsonNode await(String path, long timeoutMillis, String... busy) {
        long end = System.currentTimeMillis() + timeoutMillis;
        List<String> busyStates = List.of(busy);
        JsonNode last = null;
        while (System.currentTimeMillis() < end) {
            last = get(path).ok();
            if (!busyStates.contains(last.path("state").asText())) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError(path + " still busy after " + timeoutMillis + " ms: " + last);
    }
}
