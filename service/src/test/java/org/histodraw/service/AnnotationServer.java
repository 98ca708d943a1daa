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
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;

/**
 * A real annotation server for the service's tests, on a free port of 127.0.0.1 with its data in a
 * temporary folder, and a project set up through its public API as a user would: a series of
 * uploaded slices, human regions, and an API token (read + write) for the service.
 */
final class AnnotationServer implements AutoCloseable {
    final HistoDrawServer server;
    final String url;
    final TestApi owner;
    long project;
    long series;
    final List<Long> slices = new ArrayList<>();
    String token;

    AnnotationServer(Path dataDir) {
        server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(dataDir).withPort(0).withPasswordCost(4)
                .withAdmin("admin", "admin-password"));
        url = "http://127.0.0.1:" + server.port();
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
        for (int i = 0; i < pngs.size(); i++) {
            jobs.add(owner.upload("/api/v1/series/" + series + "/slices", String.format("%02d.png", i + 1), pngs.get(i))
                    .ok().get("jobId").asText());
        }
        for (String job : jobs) {
            JsonNode done = owner.await("/api/v1/jobs/" + job, 120_000, "running", "queued");
            if (!done.has("sliceId")) {
                throw new AssertionError("ingest failed: " + done);
            }
            slices.add(done.get("sliceId").asLong());
        }
        token = owner.send("POST", "/api/v1/projects/" + project + "/tokens",
                Map.of("name", "segmentation", "scopes", List.of("read", "write"))).ok().get("token").asText();
        return this;
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
        server.close();
    }
}
