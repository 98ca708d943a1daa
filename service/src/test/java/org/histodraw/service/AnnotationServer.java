package org.histodraw.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.vector.ClassifiedPolygon;

/**
 * A real annotation server for the service's tests, on a free port of 127.0.0.1 with its data in a
 * temporary folder, and a project set up through its public API as a user would: a series of
 * uploaded slices, human regions, and an API token (read + write) for the service. It runs in a
 * process of its own (the server module's {@code ServerMain}, from the runtime classpath that module
 * writes), so the service's tests, like the service, never link against the server.
 */
final class AnnotationServer implements AutoCloseable {
    private final Process process;
    final String url;
    final TestApi owner;
    long project;
    long series;
    final List<Long> slices = new ArrayList<>();
    String token;

    AnnotationServer(Path dataDir) {
        process = start(dataDir);
        url = "http://127.0.0.1:" + port(process);
        TestApi admin = TestApi.login(url, "admin", "admin-password");
        admin.send("POST", "/api/v1/users", Map.of("username", "histologist", "password", "histologist-password")).ok();
        owner = TestApi.login(url, "histologist", "histologist-password");
    }

    /** Creates the project and series, uploads the images as slices (in order) and makes a token. */
    AnnotationServer project(String name, List<byte[]> pngs) {
        project = owner.send("POST", "/api/v1/projects", Map.of("name", name)).ok().get("id").asLong();
        series = owner.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", name + " series")).ok()
                .get("id").asLong();
        List<String> jobs = new ArrayList<>();
        int awaited = 0;
        for (int i = 0; i < pngs.size(); i++) {
            String file = String.format("%02d.png", i + 1);
            TestApi.Response up = owner.upload("/api/v1/series/" + series + "/slices", file, pngs.get(i));
            if (up.status() == 429 && awaited < jobs.size()) {
                // the server takes a few uploads of one user at a time: wait for the earlier ones, then send again
                awaited = awaitSlices(jobs, awaited);
                up = owner.upload("/api/v1/series/" + series + "/slices", file, pngs.get(i));
            }
            jobs.add(up.ok().get("jobId").asText());
        }
        awaitSlices(jobs, awaited);
        token = owner.send("POST", "/api/v1/projects/" + project + "/tokens",
                Map.of("name", "segmentation", "scopes", List.of("read", "write"))).ok().get("token").asText();
        return this;
    }

    /** Waits for the jobs from {@code from} on, adding their slices in order; returns how many are done. */
    private int awaitSlices(List<String> jobs, int from) {
        for (String job : jobs.subList(from, jobs.size())) {
            JsonNode done = owner.await("/api/v1/jobs/" + job, 120_000, "running", "queued");
            if (!done.has("sliceId")) {
                throw new AssertionError("ingest failed: " + done);
            }
            slices.add(done.get("sliceId").asLong());
        }
        return jobs.size();
    }

    /** A segmentation service on a free port against this server, with its data in {@code dir}. */
    SegmentationService startService(Path dir, int threads) {
        return SegmentationService.start(ServiceConfig.of(java.net.URI.create(url), dir).withPort(0).withThreads(threads));
    }

    /** The API of {@code service} with this server's owner token. */
    TestApi serviceApi(SegmentationService service) {
        return TestApi.withToken("http://127.0.0.1:" + service.port(), token);
    }

    /** Draws regions on a slice's human layer, one POST per region, as the viewer would. */
    void draw(long slice, List<ClassifiedPolygon> regions) throws java.io.IOException {
        JsonNode fc = TestApi.JSON.readTree(GeoJson.toText(regions));
        for (JsonNode f : fc.get("features")) {
            Map<String, Object> feature = new LinkedHashMap<>();
            feature.put("type", "Feature");
            feature.put("geometry", f.get("geometry"));
            feature.put("properties", Map.of("classification", f.get("properties").get("classification")));
            owner.send("POST", "/api/v1/slices/" + slice + "/regions", feature).ok();
        }
    }

    /** The generated layer of a slice as polygons in the given classes. */
    List<ClassifiedPolygon> generated(long slice, ClassList classes) {
        return GeoJson.readRegions(owner.get("/api/v1/slices/" + slice + "/regions?layer=generated").ok().toString(), classes);
    }

    /** A slice's generated layer as sorted "class geometry" lines: equal lists mean equal layers. */
    List<String> signature(long slice) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : owner.get("/api/v1/slices/" + slice + "/regions?layer=generated").ok().get("features")) {
            out.add(f.get("properties").get("classification").get("name").asText() + " " + f.get("geometry"));
        }
        out.sort(null);
        return out;
    }

    int count(long slice, String layer) {
        return owner.get("/api/v1/slices/" + slice + "/regions?layer=" + layer).ok().get("features").size();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (java.io.IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Process start(Path dataDir) {
        try {
            Path cpFile = Path.of("../server/target/runtime-classpath.txt");
            org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(cpFile),
                    "build the server module first (its runtime-classpath.txt is missing)");
            String classpath = Path.of("../server/target/classes").toAbsolutePath() + java.io.File.pathSeparator
                    + java.nio.file.Files.readString(cpFile).strip();
            return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", classpath,
                    "org.histodraw.server.ServerMain", dataDir.toAbsolutePath().toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start the annotation server: " + e.getMessage(), e);
        }
    }

    /** Reads the server's "PORT n" line, then keeps draining its output in the background. */
    private static int port(Process p) {
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("PORT ")) {
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "annotation-server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return Integer.parseInt(line.substring(5).strip());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("the annotation server ended before it started");
    }
}
