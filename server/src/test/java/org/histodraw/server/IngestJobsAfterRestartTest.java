package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.histodraw.server.store.Database;
import org.histodraw.server.store.IngestJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest jobs are kept in the database: their outcome survives a restart, and a crash fails them cleanly. */
class IngestJobsAfterRestartTest {
    @TempDir
    Path dir;

    @Test
    void aFinishedJobStillAnswersAfterARestart() throws Exception {
        Path data = dir.resolve("data");
        String jobId;
        long sliceId;
        long seriesId;
        try (HistoDrawServer server = TestServer.start(data)) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            seriesId = admin.newSeries("P", "S");
            Client.Response up = admin.upload("/api/v1/series/" + seriesId + "/slices", "a.png", BadSlides.png(600, 400), Map.of());
            jobId = up.json().get("jobId").asText();
            JsonNode job = admin.awaitJob(jobId);
            assertThat(job.get("state").asText()).isEqualTo("done");
            sliceId = job.get("sliceId").asLong();
            Client.Response bad = admin.upload("/api/v1/series/" + seriesId + "/slices", "cut.png",
                    BadSlides.truncatedBigPng(2100, 2100), Map.of());
            assertThat(admin.awaitJob(bad.json().get("jobId").asText()).get("state").asText()).isEqualTo("failed");
        }
        try (HistoDrawServer server = TestServer.start(data)) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            JsonNode job = admin.get("/api/v1/jobs/" + jobId).json();
            assertThat(job.get("state").asText()).isEqualTo("done");
            assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
            assertThat(job.get("sliceId").asLong()).isEqualTo(sliceId);
            assertThat(job.get("seriesId").asLong()).isEqualTo(seriesId);
            assertThat(job.get("name").asText()).isEqualTo("a.png");
            assertThat(new Client(server.port()).get("/api/v1/jobs/" + jobId).status()).as("still needs a role").isEqualTo(401);
            assertThat(admin.get("/api/v1/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
            assertThat(admin.get("/api/v1/jobs/not-a-job").status()).isEqualTo(404);
        }
    }

    @Test
    void aJobRunningWhenTheServerStoppedIsFailedAtStartWithItsFilesRemoved() throws Exception {
        Path data = dir.resolve("data");
        long seriesId;
        try (HistoDrawServer server = TestServer.start(data)) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            seriesId = admin.newSeries("P", "S");
        }
        // What a crash in the middle of a build leaves: the job row, the upload, the pyramid's hidden
        // building folder and (had it crashed just after the move) the pyramid folder itself.
        String jobId = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        Path upload = data.resolve("uploads").resolve(UUID.randomUUID() + ".upload").toAbsolutePath();
        Files.write(upload, BadSlides.png(64, 64));
        Path building = data.resolve("slides").resolve("." + key + ".building-" + UUID.randomUUID());
        Files.createDirectories(building.resolve("slide_files/0"));
        Files.write(building.resolve("slide_files/0/0_0.jpg"), new byte[] {1, 2, 3});
        Path pyramid = data.resolve("slides").resolve(key);
        Files.createDirectories(pyramid.resolve("slide_files/0"));
        try (Database db = Database.open(TestServer.config(data).effectiveDatabaseUrl(), null, null)) {
            new IngestJobStore(db).create(jobId, seriesId, 1, "crashed.png", key, upload.toString());
            new IngestJobStore(db).progress(jobId, 0.4, "tiles 40 of 100");
        }

        try (HistoDrawServer server = TestServer.start(data)) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            JsonNode job = admin.get("/api/v1/jobs/" + jobId).json();
            assertThat(job.get("state").asText()).isEqualTo("failed");
            assertThat(job.get("message").asText()).startsWith("interrupted: the server stopped");
            assertThat(job.get("sliceId").isNull()).isTrue();
            assertThat(admin.get("/api/v1/series/" + seriesId).json().get("slices")).isEmpty();
        }
        assertThat(upload).doesNotExist();
        try (Stream<Path> slides = Files.list(data.resolve("slides"))) {
            assertThat(slides).isEmpty();
        }
    }

    @Test
    void aJobWhoseSliceWasRecordedJustBeforeTheStopIsDone() throws Exception {
        Path data = dir.resolve("data");
        String key;
        long sliceId;
        try (HistoDrawServer server = TestServer.start(data)) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = admin.newSeries("P", "S");
            var slice = server.ingest(series, BadSlides.write(dir, "a.png", BadSlides.png(300, 200)), "a", null);
            key = slice.storageKey();
            sliceId = slice.id();
        }
        String jobId = UUID.randomUUID().toString();
        try (Database db = Database.open(TestServer.config(data).effectiveDatabaseUrl(), null, null)) {
            new IngestJobStore(db).create(jobId, 1, 1, "a", key, null); // stopped before the job was marked done
        }
        try (HistoDrawServer server = TestServer.start(data)) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            JsonNode job = admin.get("/api/v1/jobs/" + jobId).json();
            assertThat(job.get("state").asText()).isEqualTo("done");
            assertThat(job.get("sliceId").asLong()).isEqualTo(sliceId);
            assertThat(admin.get("/slides/" + sliceId + "/slide.dzi").status()).isEqualTo(200);
        }
    }
}
