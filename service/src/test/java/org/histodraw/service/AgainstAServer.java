package org.histodraw.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the service's tests against a real annotation server share: the server (a process of its
 * own) holding one series, the service started against it, and its API with the project's token;
 * both closed after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgainstAServer {
    AnnotationServer server;
    SegmentationService service;
    TestApi api;

    /** The server with {@code pngs} as the series of project {@code name}, and the service on {@code threads}. */
    void start(Path dir, String name, List<byte[]> pngs, int threads) {
        server = new AnnotationServer(dir.resolve("server")).project(name, pngs);
        service = server.startService(dir.resolve("service"), threads);
        api = server.serviceApi(service);
    }

    @AfterAll
    void closeServiceAndServer() {
        if (service != null) {
            service.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Starts a job and waits for its end (done, failed or cancelled). */
    JsonNode run(Map<String, Object> body) {
        String job = api.send("POST", "/api/jobs", body).ok().get("id").asText();
        return api.await("/api/jobs/" + job, 300_000, "queued", "running", "publishing");
    }

    /** A square region of a class, as a user draws one. */
    static ClassifiedPolygon square(ImageClass c, double x, double y, double side) {
        return new ClassifiedPolygon(c, new Polygon(new Ring(new double[] {x, y, x + side, y, x + side, y + side, x, y + side})));
    }
}
