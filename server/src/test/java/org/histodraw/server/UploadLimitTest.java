package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload limit ({@code ServerConfig.maxUploadBytes}, {@code histodraw serve --max-upload}): an upload
 * over it is answered 413 with a JSON error naming the limit and the way to register larger slides,
 * before its body is read when it says its length and at the limit when it does not (chunked); nothing is kept.
 */
class UploadLimitTest {
    private static final long LIMIT = 256 << 10;

    @TempDir
    Path dir;

    @Test
    void theDefaultAdmitsTheLargestSlideThePixelLimitAdmitsUncompressed() {
        assertThat(ServerConfig.defaults().maxUploadBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_UPLOAD_BYTES)
                .isGreaterThanOrEqualTo(3 * ServerConfig.DEFAULT_MAX_SLIDE_PIXELS);
    }

    @Test
    void anUploadOverTheLimitIsAnswered413WithTheLimitAndNothingIsKept() throws Exception {
        Path data = dir.resolve("data");
        try (HistoDrawServer server = HistoDrawServer.start(TestServer.config(data).withMaxUploadBytes(LIMIT))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Limits", "S");
            String path = "/api/v1/series/" + series + "/slices";
            byte[] big = new byte[(int) LIMIT + (2 << 20)];

            Client.Response declared = owner.upload(path, "big.tif", big, Map.of());
            assertThat(declared.status()).as(declared.toString()).isEqualTo(413);
            assertThat(declared.json().get("error").asText()).contains("larger than this server's limit of 256 KiB")
                    .contains("--max-upload").contains("histodraw ingest").contains("--link");
            assertThat(declared.json().get("maxUploadBytes").asLong()).isEqualTo(LIMIT);

            // Without a Content-Length (chunked), the multipart parser stops at the limit.
            String boundary = "----histodraw" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.tif\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + big.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(tail, 0, body, head.length + big.length, tail.length);
            Client.Response chunked = owner.send(owner.request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
            assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
            assertThat(chunked.json().get("error").asText()).contains("larger than this server's limit of 256 KiB");

            Client.Response small = owner.upload(path, "boxes.tiff", Files.readAllBytes(SlideFiles.shared("wsi/boxes.tiff")), Map.of());
            assertThat(small.status()).as(small.toString()).isEqualTo(202);
            assertThat(owner.get("/api/v1/series/" + series).json().get("slices")).hasSize(1);
            try (Stream<Path> left = Files.list(data.resolve("slides"))) {
                assertThat(left).as("only the small upload kept").hasSize(1);
            }
        }
    }
}
