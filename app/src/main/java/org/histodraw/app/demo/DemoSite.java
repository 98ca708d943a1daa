package org.histodraw.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.histodraw.service.SegmentationService;
import org.histodraw.service.ServiceConfig;

/**
 * The demo server: HistoDraw on its embedded defaults (H2 file database in the data folder) with a
 * demo project ready on first start: a series of three IHC slices (the shipped image, mirrored and
 * rotated copies so the series can be browsed and segmented as a whole), its ontology and the
 * shipped training regions on the first slice. Seeded through the public API, as a lab would.
 * The segmentation service runs beside it, registered so the viewer offers it; it holds no token:
 * the viewer's segmentation panel hands it a short-lived token of its user's own rights.
 */
public final class DemoSite implements AutoCloseable {
    public static final String USER = "demo";
    public static final String PASSWORD = "demo-password";
    static final String PROJECT = "Colonic glands (IHC demo)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HistoDrawServer server;
    private final SegmentationService service;
    private final long projectId;

    private DemoSite(HistoDrawServer server, SegmentationService service, long projectId) {
        this.server = server;
        this.service = service;
        this.projectId = projectId;
    }

    /**
     * Starts the server and the segmentation service (on {@code servicePort}; 0 picks a free one);
     * seeds the demo project unless an earlier start did.
     */
    public static DemoSite start(Path data, int port, int servicePort) {
        HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(port)
                .withBindAddress("127.0.0.1").withAdmin(USER, PASSWORD));
        SegmentationService service = null;
        try {
            String base = "http://127.0.0.1:" + server.port();
            Api api = new Api(base);
            api.login();
            long project = existingProject(api);
            if (project < 0) {
                project = seed(server, api, data);
            }
            service = SegmentationService.start(ServiceConfig.of(URI.create(base + "/"), data.resolve("service"))
                    .withPort(servicePort).withName("Segmentation service"));
            register(api, service.url());
            return new DemoSite(server, service, project);
        } catch (RuntimeException e) {
            if (service != null) {
                service.close();
            }
            server.close();
            throw e;
        }
    }

    /** Lists the service on the server (once per address), so the viewer links to it. */
    private static void register(Api api, String url) {
        for (JsonNode s : api.call("GET", "/api/v1/services", null)) {
            if (url.equals(s.path("url").asText())) {
                return;
            }
        }
        api.call("POST", "/api/v1/services", Map.of("name", "Segmentation service (" + URI.create(url).getAuthority() + ")", "url", url));
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    public long projectId() {
        return projectId;
    }

    public HistoDrawServer server() {
        return server;
    }

    /** The segmentation service's page. */
    public String serviceUrl() {
        return service.url();
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            server.close();
        }
    }

    private static long existingProject(Api api) {
        for (JsonNode p : api.call("GET", "/api/v1/projects", null)) {
            if (PROJECT.equals(p.path("name").asText())) {
                return p.get("id").asLong();
            }
        }
        return -1;
    }

    private static long seed(HistoDrawServer server, Api api, Path data) {
        byte[] regions = resource(DemoRunner.REGIONS);
        long project = api.call("POST", "/api/v1/projects", Map.of("name", PROJECT,
                "description", "IHC (DAB + hematoxylin) of colonic glands. Regions: Epithelium, Stroma, Lumen.")).get("id").asLong();
        api.call("PUT", "/api/v1/projects/" + project + "/ontology", ontologyOf(regions));
        // IHC: the segmentation trains on hematoxylin and DAB, not on H&E's eosin.
        api.call("PUT", "/api/v1/projects/" + project, Map.of("stain", "hdab"));
        long series = api.call("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "IHC sections")).get("id").asLong();
        try {
            Path inputs = Files.createDirectories(data.resolve("demo-inputs"));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(resource(DemoRunner.IMAGE)));
            List<Long> slices = new ArrayList<>();
            String[] names = {"ihc.png", "ihc-mirrored.png", "ihc-rotated.png"};
            BufferedImage[] variants = {image, mirrored(image), rotated(image)};
            for (int i = 0; i < names.length; i++) {
                Path file = inputs.resolve(names[i]);
                ImageIO.write(variants[i], "png", file.toFile());
                slices.add(server.ingest(series, file, names[i], (double) i).id());
            }
            api.post("/api/v1/slices/" + slices.get(0) + "/import?format=geojson", regions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo slides in " + data + ": " + e.getMessage(), e);
        }
        return project;
    }

    /** The classes of the shipped regions with their colours, in order of first use. */
    private static List<Map<String, String>> ontologyOf(byte[] geojson) {
        List<Map<String, String>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            for (JsonNode f : JSON.readTree(geojson).path("features")) {
                JsonNode cls = f.path("properties").path("classification");
                String name = cls.path("name").asText();
                if (seen.add(name)) {
                    JsonNode c = cls.path("color");
                    out.add(Map.of("name", name, "color", String.format("#%02x%02x%02x", c.get(0).asInt(), c.get(1).asInt(), c.get(2).asInt())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static BufferedImage mirrored(BufferedImage img) {
        AffineTransform t = AffineTransform.getScaleInstance(-1, 1);
        t.translate(-img.getWidth(), 0);
        return new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(img, null);
    }

    private static BufferedImage rotated(BufferedImage img) {
        AffineTransform t = AffineTransform.getQuadrantRotateInstance(2, img.getWidth() / 2.0, img.getHeight() / 2.0);
        return new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(img, null);
    }

    static byte[] resource(String name) {
        try (InputStream in = DemoSite.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("demo resource missing from the build: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public API as a logged-in browser uses it (session cookie + CSRF token). */
    private static final class Api {
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).build();
        private String csrf;

        Api(String base) {
            this.base = base;
        }

        void login() {
            csrf = call("POST", "/api/v1/auth/login", Map.of("username", USER, "password", PASSWORD)).get("csrfToken").asText();
        }

        JsonNode call(String method, String path, Object body) {
            try {
                return send(method, path, body == null ? null : JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode post(String path, byte[] body) {
            return send("POST", path, body);
        }

        private JsonNode send(String method, String path, byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json");
            if (csrf != null) {
                b.header("X-CSRF-Token", csrf);
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() >= 300) {
                    throw new IllegalStateException("demo setup: " + method + " " + path + " failed (" + r.statusCode() + "): " + r.body());
                }
                return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("demo setup: " + method + " " + path + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
