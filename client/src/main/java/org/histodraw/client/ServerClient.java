package org.histodraw.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.RgbTiff;

/**
 * A small client of the annotation server's public API (see its {@code /api/openapi.json}), as
 * any third-party service would use it: an API token in {@code Authorization: Bearer}, JSON in and
 * out, and nothing of the server's code. Thread-safe. The token may change over the client's life
 * (a short-lived token renewed by its holder): it is asked for at each request. Clients of other
 * tokens ({@link #withToken}) share one HTTP client.
 *
 * <p>Errors come back as {@link ServerException} carrying the server's status and its one-line
 * message ({@code {"error": "..."}}), so callers can pass them on to their users.
 */
public final class ServerClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Layers larger than this go to the server in parts of about this size (it reads at most 64 MiB a request). */
    public static final long LAYER_PART_BYTES = 32L << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration COMMIT_TIMEOUT = Duration.ofHours(2);

    private final URI base;
    private final Supplier<String> token;
    private final HttpClient http;
    private long layerPartBytes = LAYER_PART_BYTES; // smaller in tests only

    /** @param server the server's root, e.g. {@code http://127.0.0.1:8080}; @param token an API token (may be null) */
    public ServerClient(URI server, String token) {
        this(base(server), fixed(token), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build());
    }

    private ServerClient(URI base, Supplier<String> token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    /** A client of the same server acting with another token (null: none), sharing this one's connections. */
    public ServerClient withToken(String otherToken) {
        return new ServerClient(base, fixed(otherToken), http);
    }

    /** A client whose token is asked for at each request (one that its holder renews). */
    public ServerClient withToken(Supplier<String> currentToken) {
        return new ServerClient(base, currentToken, http);
    }

    private static URI base(URI server) {
        Objects.requireNonNull(server, "server");
        String s = server.toString();
        URI base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("server must be an http or https URL: " + server);
        }
        return base;
    }

    private static Supplier<String> fixed(String token) {
        String t = token == null || token.isBlank() ? null : token.strip();
        return () -> t;
    }

    public URI server() {
        return base;
    }

    // ---- projects, series, slices

    /** The projects the token can see (id, name, role...). */
    public JsonNode projects() {
        return getJson("/api/v1/projects");
    }

    /** The series of a project (each with its slices). */
    public JsonNode seriesOf(long projectId) {
        return getJson("/api/v1/projects/" + projectId + "/series");
    }

    public SeriesInfo series(long seriesId) {
        return SeriesInfo.of(getJson("/api/v1/series/" + seriesId));
    }

    public SliceInfo slice(long sliceId) {
        return SliceInfo.of(getJson("/api/v1/slices/" + sliceId));
    }

    /** The project's ontology (classes with colours), as the server stores it. */
    public JsonNode ontology(long projectId) {
        return getJson("/api/v1/projects/" + projectId + "/ontology");
    }

    // ---- regions

    /** All regions of a slice's layer as a GeoJSON FeatureCollection text (image pixel coordinates). */
    public String regions(long sliceId, String layer) {
        return getText("/api/v1/slices/" + sliceId + "/regions?layer=" + encode(layer));
    }

    /** The slice's layers: name, region count, provenance. */
    public JsonNode layers(long sliceId) {
        return getJson("/api/v1/slices/" + sliceId + "/layers");
    }

    /**
     * Replaces a generated layer of a slice with a FeatureCollection carrying {@code "provenance"}.
     *
     * @param stageJobId when not null, the layer is staged under this job id: invisible until
     *                   {@link #commitStaged} publishes every slice of the job at once
     * @return the server's answer (created, deleted, unchanged...)
     */
    public JsonNode putLayer(long sliceId, String layer, String featureCollection, String stageJobId) {
        return json(send(request(layerPath(sliceId, layer, stageJobId)).header("Content-Type", "application/geo+json")
                .PUT(HttpRequest.BodyPublishers.ofString(featureCollection, StandardCharsets.UTF_8))));
    }

    /**
     * As {@link #putLayer(long, String, String, String)}, the body streamed from a file (a large slide's
     * polygons). A file over {@link #LAYER_PART_BYTES} (the server reads at most 64 MiB a request) is
     * staged in parts ({@code append=true} after the first), which needs a job to stage under.
     */
    public JsonNode putLayer(long sliceId, String layer, Path featureCollection, String stageJobId) {
        long size;
        try {
            size = Files.size(featureCollection);
        } catch (IOException e) {
            throw new IllegalArgumentException("no layer file " + featureCollection, e);
        }
        if (size <= layerPartBytes) {
            try {
                return json(send(request(layerPath(sliceId, layer, stageJobId)).header("Content-Type", "application/geo+json")
                        .PUT(HttpRequest.BodyPublishers.ofFile(featureCollection))));
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("no layer file " + featureCollection, e);
            }
        }
        if (stageJobId == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a layer of %.1f MB is more than the server takes "
                    + "in one request: it goes in parts, staged under a job", size / 1e6));
        }
        JsonNode[] last = new JsonNode[1];
        try {
            LayerParts.send(featureCollection, layerPartBytes, (part, index) -> last[0] = json(send(
                    request(layerPath(sliceId, layer, stageJobId) + (index > 0 ? "&append=true" : ""))
                            .header("Content-Type", "application/geo+json").PUT(HttpRequest.BodyPublishers.ofFile(part)))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut " + featureCollection + " into parts: " + e.getMessage(), e);
        }
        return last[0];
    }

    /** For tests: parts of this size. */
    ServerClient withLayerPartBytes(long bytes) {
        this.layerPartBytes = bytes;
        return this;
    }

    private static String layerPath(long sliceId, String layer, String stageJobId) {
        return "/api/v1/slices/" + sliceId + "/layers/" + encode(layer) + (stageJobId == null ? "" : "?stage=" + encode(stageJobId));
    }

    /** Publishes every layer staged under the job, replacing the layers they name. */
    public JsonNode commitStaged(String jobId) {
        // One transaction that publishes every slice of the job: hundreds of thousands of regions
        // take minutes, and a client that gave up would report "nothing published" while it commits.
        return json(send(request("/api/v1/staged/" + encode(jobId) + "/commit").timeout(COMMIT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody())));
    }

    /** Drops whatever was staged under the job (nothing happens when nothing was). */
    public void discardStaged(String jobId) {
        send(request("/api/v1/staged/" + encode(jobId)).DELETE());
    }

    // ---- pixels

    /**
     * The pixels of a region of a slice ({@code region} in its full-resolution pixels) scaled to
     * {@code outWidth x outHeight} by the server (the region's own size: as they are), as opaque
     * 0xFFRRGGBB row by row. Fetched as an uncompressed TIFF (IIIF {@code .../0/default.tif}): no
     * compression loss is added, and neither side spends time in a codec (a PNG of 512 x 512 H&E
     * cost tens of milliseconds to encode and as much to decode).
     */
    public int[] regionPixels(long sliceId, PixelRegion region, int outWidth, int outHeight) {
        String size = outWidth == region.width() && outHeight == region.height() ? "max" : outWidth + "," + outHeight;
        String where = region.x() + "," + region.y() + "," + region.width() + "," + region.height();
        byte[] tiff = bytes("/iiif/3/" + sliceId + "/" + where + "/" + size + "/0/default.tif");
        try {
            return RgbTiff.read(tiff, outWidth, outHeight);
        } catch (IllegalArgumentException e) {
            throw new ServerException(0, "slice " + sliceId + ": the server sent an unreadable image for region " + where
                    + ": " + e.getMessage());
        }
    }

    /** Any GET of the server as bytes with its media type, e.g. Deep Zoom descriptors and tiles. */
    public Fetched fetch(String path) {
        HttpResponse<byte[]> r = send(request(path).GET());
        return new Fetched(r.body(), r.headers().firstValue("Content-Type").orElse("application/octet-stream"));
    }

    /** A fetched body and its media type. */
    public record Fetched(byte[] body, String contentType) {
    }

    // ---- who is asking, and tokens

    /** Who the token belongs to: {@code {user, token: {projectId, scopes, role, expiresAt...}}} (401 for a bad token). */
    public JsonNode me() {
        return getJson("/api/v1/me");
    }

    /**
     * A job token minted from this client's token: same project, at most its rights, living
     * {@code seconds} (up to a day), revoked with it.
     */
    public JsonNode mintJobToken(long projectId, long seconds) {
        return postJson("/api/v1/auth/service-token", Map.of("project", projectId, "lifetimeSeconds", seconds));
    }

    /** Revokes this client's own token (and the job tokens minted from it). */
    public void revokeOwnToken() {
        send(request("/api/v1/auth/token").DELETE());
    }

    // ---- services and live changes

    /** Adds this service to the server's list (needs an administrator's rights); 409 when the name is taken. */
    public JsonNode registerService(String name, String url) {
        return postJson("/api/v1/services", Map.of("name", name, "url", url));
    }

    /** Subscribes to a slice's live changes; close the subscription to stop. */
    public LiveSubscription subscribe(long sliceId, Consumer<JsonNode> listener) {
        String ws = base.toString().replaceFirst("^http", "ws") + "/api/v1/slices/" + sliceId + "/live";
        LiveSubscription s = new LiveSubscription(http, URI.create(ws), token, listener);
        s.connect();
        return s;
    }

    // ---- plumbing

    public JsonNode getJson(String path) {
        return json(send(request(path).GET()));
    }

    public JsonNode postJson(String path, Object body) {
        try {
            return json(send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private String getText(String path) {
        return new String(send(request(path).GET()).body(), StandardCharsets.UTF_8);
    }

    private byte[] bytes(String path) {
        return send(request(path).GET()).body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        String t = token.get();
        if (t != null) {
            b.header("Authorization", "Bearer " + t);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) {
        HttpRequest request = b.build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServerException("server " + base + " not reachable (" + request.method() + " " + request.uri().getPath()
                    + "): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while calling " + base, e);
        }
        if (r.statusCode() >= 400) {
            throw new ServerException(r.statusCode(), request.method() + " " + request.uri().getPath() + ": "
                    + errorMessage(r));
        }
        return r;
    }

    private static String errorMessage(HttpResponse<byte[]> r) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.path("error").isTextual()) {
                return n.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: the text itself, shortened
        }
        return r.statusCode() + " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        if (r.body().length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new ServerException(r.statusCode(), "server answered with malformed JSON: " + e.getMessage());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
