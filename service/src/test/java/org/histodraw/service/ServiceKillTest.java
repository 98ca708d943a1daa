package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service in its own process, killed with SIGKILL in the middle of a job: no partial result
 * may be visible on the server; started again on the same data folder, it drops what the dead job
 * staged, reports the job as interrupted, and the job run again gives the same results twice.
 */
class ServiceKillTest {

    /** A service process and the URL it printed. */
    record Running(Process process, String url) {
    }

    static Running startService(AnnotationServer server, Path data, Path log) throws IOException {
        String javaCommand = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(javaCommand, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.histodraw.service.ServiceMain", "--server", server.url, "--port", "0", "--data", data.toString(),
                "--threads", "1");
        pb.redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.currentTimeMillis() + 60_000;
        String line;
        while ((line = out.readLine()) != null && System.currentTimeMillis() < end) {
            if (line.startsWith("listening on ")) {
                return new Running(p, line.substring("listening on ".length()).strip());
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the service process did not start; its log: " + java.nio.file.Files.readString(log));
    }

    @Test
    void aJobKilledMidwayLeavesNothingVisibleAndRunsAgainToTheSameResult(@TempDir Path dir) throws Exception {
        List<SyntheticSeries.Slide> series = SyntheticSeries.make(16, 512, 21);
        try (AnnotationServer server = new AnnotationServer(dir.resolve("server"))
                .project("Kill", series.stream().map(SyntheticSeries.Slide::png).toList())) {
            for (int i = 0; i < 3; i++) {
                server.draw(server.slices.get(i), series.get(i).regions());
            }
            Path data = dir.resolve("service");
            Running first = startService(server, data, dir.resolve("service-1.log"));
            String jobId;
            try {
                TestApi api = TestApi.withToken(first.url(), server.token);
                api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, 3), "live", false)).ok();
                assertThat(api.send("POST", "/api/models", Map.of("name", "fixture")).ok().get("version").asInt()).isEqualTo(1);
                jobId = api.send("POST", "/api/jobs", Map.of("series", server.series, "model", Map.of("name", "fixture", "version", 1)))
                        .ok().get("id").asText();
                JsonNode job = awaitStaged(api, jobId, 2);
                assertThat(job.get("state").asText()).as("the job must still be running when it is killed").isEqualTo("running");
            } finally {
                first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
                first.process().waitFor(30, TimeUnit.SECONDS);
            }

            for (long slice : server.slices) {
                assertThat(server.count(slice, "generated")).as("slice " + slice).isZero();
            }
            // What the dead job staged is on the server, but invisible...
            assertThat(server.owner.get("/api/v1/staged/" + jobId).status()).isEqualTo(200);

            Running second = startService(server, data, dir.resolve("service-2.log"));
            try {
                TestApi api = TestApi.withToken(second.url(), server.token);
                // ...and dropped when the service starts again.
                assertThat(server.owner.get("/api/v1/staged/" + jobId).status()).isEqualTo(404);
                assertThat(api.get("/api/jobs/" + jobId).ok().get("state").asText()).isEqualTo("interrupted");

                List<List<String>> once = runToTheEnd(api, server);
                List<List<String>> twice = runToTheEnd(api, server);
                assertThat(once).allSatisfy(layer -> assertThat(layer).isNotEmpty());
                assertThat(twice).isEqualTo(once);
            } finally {
                second.process().destroy();
                second.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until at least {@code slices} slices are staged (or the job ended). */
    private static JsonNode awaitStaged(TestApi api, String jobId, int slices) throws InterruptedException {
        long end = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < end) {
            JsonNode job = api.get("/api/jobs/" + jobId).ok();
            long staged = 0;
            for (JsonNode s : job.get("slices")) {
                staged += s.get("state").asText().equals("staged") ? 1 : 0;
            }
            if (staged >= slices || !job.get("state").asText().matches("queued|running")) {
                return job;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job " + jobId + " staged nothing in 120 s");
    }

    private static List<List<String>> runToTheEnd(TestApi api, AnnotationServer server) {
        String job = api.send("POST", "/api/jobs", Map.of("series", server.series, "model", Map.of("name", "fixture", "version", 1)))
                .ok().get("id").asText();
        JsonNode done = api.await("/api/jobs/" + job, 600_000, "queued", "running", "publishing");
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        List<List<String>> layers = new ArrayList<>();
        for (long slice : server.slices) {
            layers.add(server.signature(slice));
        }
        return layers;
    }
}
