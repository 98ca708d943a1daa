package org.histodraw.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;

/**
 * A real HistoDraw server (with this module's viewer on the classpath) holding one project with a
 * series of two synthetic slides, an owner, an editor and a viewer; and an HTTP client to check
 * what the browser did through the public API.
 */
final class Site implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String PASSWORD = "password-123";
    static final ObjectMapper JSON = new ObjectMapper();

    final HistoDrawServer server;
    final String base;
    final long projectId;
    final long seriesId;
    final List<Long> sliceIds;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).build();
    private String csrf;

    Site(Path dir) {
        this(dir, 1600, 1200);
    }

    /** With slides of the given size in pixels. */
    Site(Path dir, int width, int height) {
        server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withPort(0)
                .withPasswordCost(4).withAdmin(ADMIN, PASSWORD));
        base = "http://127.0.0.1:" + server.port();
        csrf = call("POST", "/api/v1/auth/login", Map.of("username", ADMIN, "password", PASSWORD)).get("csrfToken").asText();
        projectId = call("POST", "/api/v1/projects", Map.of("name", "Mouse brain")).get("id").asLong();
        call("PUT", "/api/v1/projects/" + projectId + "/ontology", List.of(
                Map.of("name", "Grey matter", "color", "#e53935"),
                Map.of("name", "White matter", "color", "#1e88e5"),
                Map.of("name", "Background", "color", "#fdd835")));
        seriesId = call("POST", "/api/v1/projects/" + projectId + "/series", Map.of("name", "Coronal series")).get("id").asLong();
        sliceIds = List.of(ingest(dir, "section-001.png", 0, width, height), ingest(dir, "section-002.png", 1, width, height));
        for (String[] u : new String[][] {{"edith", "editor"}, {"eric", "editor"}, {"vera", "viewer"}}) {
            call("POST", "/api/v1/users", Map.of("username", u[0], "password", PASSWORD));
            call("PUT", "/api/v1/projects/" + projectId + "/members/" + u[0], Map.of("role", u[1]));
        }
    }

    private long ingest(Path dir, String name, int seed, int width, int height) {
        try {
            Path png = dir.resolve(name);
            ImageIO.write(section(width, height, seed), "png", png.toFile());
            // The second slide records its pixel size (1 µm), the first does not: both cases are seen.
            return server.ingest(seriesId, png, name, (double) seed, seed == 1 ? 1.0 : null).id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stained-section look-alike: pale background, a pink tissue ellipse with darker blobs. */
    private static BufferedImage section(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(245, 243, 240));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(222, 150, 190));
        g.fillOval(w / 10 + 20 * seed, h / 10, w * 8 / 10, h * 8 / 10);
        g.setColor(new Color(120, 60, 140));
        java.util.Random r = new java.util.Random(seed);
        int blobs = Math.max(60, (int) ((long) w * h / 32_000));
        for (int i = 0; i < blobs; i++) {
            g.fillOval(w / 5 + r.nextInt(w * 3 / 5), h / 5 + r.nextInt(h * 3 / 5), 15 + r.nextInt(25), 15 + r.nextInt(25));
        }
        g.dispose();
        return img;
    }

    JsonNode regions(long sliceId) {
        return call("GET", "/api/v1/slices/" + sliceId + "/regions", null);
    }

    /** Deletes every human region of a slice (a clean start for a test). */
    void clear(long sliceId) {
        for (JsonNode f : regions(sliceId).get("features")) {
            call("DELETE", "/api/v1/regions/" + f.at("/properties/id").asLong() + "?version=" + f.at("/properties/version").asLong(), null);
        }
    }

    /** Area in square pixels of a region's geometry (holes subtracted). */
    static double area(JsonNode geometry) {
        JsonNode polygons = geometry.get("type").asText().equals("Polygon")
                ? JSON.createArrayNode().add(geometry.get("coordinates")) : geometry.get("coordinates");
        double total = 0;
        for (JsonNode polygon : polygons) {
            for (int r = 0; r < polygon.size(); r++) {
                JsonNode ring = polygon.get(r);
                double a = 0;
                for (int i = 0; i + 1 < ring.size(); i++) {
                    a += ring.get(i).get(0).asDouble() * ring.get(i + 1).get(1).asDouble()
                            - ring.get(i + 1).get(0).asDouble() * ring.get(i).get(1).asDouble();
                }
                total += (r == 0 ? 1 : -1) * Math.abs(a / 2);
            }
        }
        return total;
    }

    /** Number of holes over all polygons of a geometry. */
    static int holes(JsonNode geometry) {
        JsonNode polygons = geometry.get("type").asText().equals("Polygon")
                ? JSON.createArrayNode().add(geometry.get("coordinates")) : geometry.get("coordinates");
        int n = 0;
        for (JsonNode polygon : polygons) {
            n += polygon.size() - 1;
        }
        return n;
    }

    /** The body of a GET as bytes (for timing an answer without parsing it). */
    byte[] fetch(String path) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(180)).GET();
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() >= 300) {
                throw new AssertionError("GET " + path + " -> " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(180));
            if (csrf != null) {
                b.header("X-CSRF-Token", csrf);
            }
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    static boolean hasDataDir(Path p) {
        return Files.isDirectory(p);
    }
}
