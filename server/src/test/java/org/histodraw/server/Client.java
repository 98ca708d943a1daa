package org.histodraw.server;

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
import java.util.Map;
import java.util.UUID;

/** An HTTP client as a browser (cookie + CSRF header) or a service (bearer token) would be. */
final class Client {
    static final ObjectMapper JSON = new ObjectMapper();

    final String base;
    final HttpClient http;
    String csrf;
    String bearer;

    Client(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Client login(int port, String user, String password) {
        Client c = new Client(port);
        Response r = c.send("POST", "/api/v1/auth/login", Map.of("username", user, "password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + r);
        }
        c.csrf = r.json().get("csrfToken").asText();
        return c;
    }

    static Client withToken(int port, String token) {
        Client c = new Client(port);
        c.bearer = token;
        return c;
    }

    record Response(int status, byte[] body, HttpResponse<byte[]> raw) {
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

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    /** A new project holding one new series; returns the series id. */
    long newSeries(String projectName, String seriesName) {
        long project = send("POST", "/api/v1/projects", java.util.Map.of("name", projectName)).json().get("id").asLong();
        return send("POST", "/api/v1/projects/" + project + "/series", java.util.Map.of("name", seriesName))
                .json().get("id").asLong();
    }

    Response send(String method, String path, Object json) {
        try {
            byte[] body = json == null ? new byte[0] : json instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(json);
            HttpRequest.Builder b = request(path).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            return send(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response upload(String path, String fileName, byte[] content, Map<String, String> fields) {
        String boundary = "----histodraw" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
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
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
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
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Polls an ingest job until it ends; returns its last state. */
    JsonNode awaitJob(String jobId) {
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            JsonNode job = get("/api/v1/jobs/" + jobId).json();
            if (!"running".equals(job.get("state").asText())) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("job " + jobId + " did not finish in 60 s");
    }
}
