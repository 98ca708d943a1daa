package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slide upload lands in the data folder where Jetty spooled it: moved, not copied, so its bytes are
 * written to disk once and no spool file of the slide's size is left to delete after the answer (an
 * 8.6 GB one took 5 s to delete, competing with the first tiles); and it is on disk when answered: a
 * server killed with SIGKILL right after the answer serves the slide when started again.
 */
class SlideUploadLandingTest {
    /** 1536 x 1536 RGB, uncompressed: 7 MB, far above the 1 MB Jetty keeps in memory. */
    private static final int SIDE = 1536;

    private static Path slide(Path dir) throws IOException {
        Path tiff = dir.resolve("slide.tif");
        StreamedTiff.write(tiff, SIDE, SIDE, 256, (x, y) -> (x * 255 / SIDE) << 16 | (y * 255 / SIDE) << 8 | (x ^ y) & 0xff);
        return tiff;
    }

    /** The bytes the process caused to be written to storage (Linux's per-process I/O accounting). */
    private static long writtenToDisk(long pid) throws IOException {
        Path io = Path.of("/proc/" + pid + "/io");
        assumeTrue(Files.isReadable(io), "no per-process I/O accounting on this system (/proc/PID/io): skipping");
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).strip());
            }
        }
        throw new IllegalStateException("no write_bytes in " + io);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aSpooledSlideUploadIsWrittenToDiskOnceAndLeavesNoSpoolFile(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(slide(dir));
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, Map.of())) {
            Client admin = Client.login(server.port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = admin.newSeries("Landing", "S");
            long before = writtenToDisk(server.pid());
            Client.Response r = admin.upload("/api/v1/series/" + series + "/slices", "slide.tif", bytes, Map.of());
            long written = writtenToDisk(server.pid()) - before;

            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(r.json().get("state").asText()).isEqualTo("done");
            assumeTrue(written >= bytes.length * 9L / 10, "this system does not account the bytes a process writes to disk "
                    + "(" + written + " for an upload of " + bytes.length + "): skipping");
            // the spool file and the database's records, not the spool file and a copy of it
            assertThat(written).as("bytes the server wrote to disk for an upload of %d", bytes.length)
                    .isLessThan(bytes.length * 3L / 2);
            assertThat(files(data.resolve("tmp"))).as("spool files left after the answer").isEmpty();
            List<Path> originals = files(data.resolve("slides"));
            assertThat(originals).hasSize(1);
            assertThat(Files.mismatch(originals.get(0), dir.resolve("slide.tif"))).isEqualTo(-1L);
        }
    }

    @Test
    void anAnsweredSlideUploadSurvivesAKillOfTheServer(@TempDir Path dir) throws Exception {
        Path tiff = slide(dir);
        Path data = dir.resolve("data");
        long slice;
        ServerProcess server = ServerProcess.start(data, Map.of());
        try {
            Client admin = Client.login(server.port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = admin.newSeries("Landing", "S");
            JsonNode job = admin.upload("/api/v1/series/" + series + "/slices", "slide.tif", Files.readAllBytes(tiff), Map.of()).json();
            assertThat(job.get("state").asText()).isEqualTo("done");
            slice = job.get("sliceId").asLong();
            server.kill();
        } finally {
            server.close();
        }
        try (ServerProcess again = ServerProcess.start(data, Map.of())) {
            Client admin = Client.login(again.port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            int maxLevel = 32 - Integer.numberOfLeadingZeros(SIDE - 1);
            Client.Response tile = admin.get("/slides/" + slice + "/slide_files/" + maxLevel + "/5_5.jpg");
            assertThat(tile.status()).isEqualTo(200);
            assertThat(tile.raw().headers().firstValue("Content-Type")).hasValue("image/jpeg");
            List<Path> originals = files(data.resolve("slides"));
            assertThat(originals).hasSize(1);
            assertThat(Files.mismatch(originals.get(0), tiff)).as("the kept original against the upload").isEqualTo(-1L);
        }
    }
}
