package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that must not become slices (too large, decompression bombs, corrupt, truncated,
 * unsupported, damaged half-way) get a message naming the problem and leave nothing behind: no
 * slice row, no pyramid folder (hidden or not), no upload file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestRobustnessTest {
    static final long MAX_PIXELS = 4_000_000;

    Path data;
    HistoDrawServer server;
    Client admin;
    long seriesId;

    @BeforeAll
    void start(@TempDir Path dir) {
        data = dir.resolve("data");
        server = HistoDrawServer.start(TestServer.config(data).withMaxSlidePixels(MAX_PIXELS));
        admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        long project = admin.send("POST", "/api/v1/projects", Map.of("name", "Robust")).json().get("id").asLong();
        seriesId = admin.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String refused(String fileName, byte[] content) throws IOException {
        Client.Response r = admin.upload("/api/v1/series/" + seriesId + "/slices", fileName, content, Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertNothingLeft();
        String message = r.json().get("error").asText();
        assertThat(message).doesNotContain(data.toString());
        return message;
    }

    private void assertNothingLeft() throws IOException {
        assertThat(admin.get("/api/v1/series/" + seriesId).json().get("slices")).isEmpty();
        try (Stream<Path> slides = Files.list(data.resolve("slides"))) {
            assertThat(slides).as("pyramid folders").isEmpty();
        }
        try (Stream<Path> uploads = Files.list(data.resolve("uploads"))) {
            assertThat(uploads).as("uploads").isEmpty();
        }
    }

    @Test
    void anImageAboveTheConfiguredSizeIsRefusedBeforeDecoding() throws IOException {
        assertThat(refused("big.png", BadSlides.png(2100, 2000)))
                .isEqualTo("not a slide image we can use: image too large: the upload (2100 x 2000 = 4 Mpx, above the limit of 4 Mpx)");
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() throws IOException {
        byte[] bomb = BadSlides.pngBomb(200_000, 200_000);
        assertThat(bomb.length).isLessThan(5000);
        assertThat(refused("bomb.png", bomb)).contains("image too large", "200000 x 200000", "40.0 Gpx");
    }

    @Test
    void aCorruptFileIsRefused() throws IOException {
        assertThat(refused("noise.png", BadSlides.corruptPng())).startsWith("not a slide image we can use: ").contains("PNG");
    }

    @Test
    void aTruncatedJpegIsRefused() throws IOException {
        assertThat(refused("cut.jpg", BadSlides.truncatedJpeg())).contains("truncated JPEG");
    }

    @Test
    void anUnsupportedFormatIsRefused() throws IOException {
        assertThat(refused("image.gif", BadSlides.gif())).contains("expected PNG, JPEG or TIFF");
    }

    @Test
    void aTiledTiffWhoseLastTilesAreDamagedIsRefusedAtUpload() throws IOException {
        // Registration reads the first, middle and last tile of every level.
        assertThat(refused("damaged.tif", BadSlides.tiffDamagedAtTheEnd(1500, 1200))).contains("TIFF", "the upload");
    }

    @Test
    void aBigImageFoundBrokenByTheWorkerFailsItsJobAndLeavesNothing() throws IOException {
        Client.Response r = admin.upload("/api/v1/series/" + seriesId + "/slices", "cut.png", BadSlides.truncatedBigPng(1500, 1500), Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        JsonNode job = admin.awaitJob(r.json().get("jobId").asText());
        assertThat(job.get("state").asText()).isEqualTo("failed");
        assertThat(job.get("message").asText()).contains("PNG").contains("the upload").doesNotContain(data.toString());
        assertThat(job.get("sliceId").isNull()).isTrue();
        assertNothingLeft();
    }

    @Test
    void aBadPixelSizeIsRefusedBeforeAnythingIsSaved() throws IOException {
        Client.Response r = admin.upload("/api/v1/series/" + seriesId + "/slices", "ok.png", BadSlides.png(64, 64),
                Map.of("micronsPerPixel", "-2"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("micronsPerPixel");
        assertNothingLeft();
    }
}
