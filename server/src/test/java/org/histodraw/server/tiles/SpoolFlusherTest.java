package org.histodraw.server.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads being spooled are put on disk step by step as they grow, so little is left to flush after their last byte. */
class SpoolFlusherTest {
    private static final int STEP = 1 << 20;

    private static void append(Path file, int bytes) throws IOException {
        Files.write(file, new byte[bytes], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aSpoolFileIsFlushedEachTimeItHasGrownByAStep(@TempDir Path spool) throws IOException {
        try (SpoolFlusher flusher = new SpoolFlusher(spool, STEP, null)) {
            Path upload = spool.resolve("MultiPart123.tmp");
            append(upload, STEP / 2);
            assertEquals(List.of(), flusher.flushGrown(), "flushed before a step had arrived");
            append(upload, STEP * 3);
            assertEquals(List.of(upload), flusher.flushGrown());
            assertEquals(List.of(), flusher.flushGrown(), "flushed again without new bytes");
            append(upload, STEP - 1);
            assertEquals(List.of(), flusher.flushGrown());
            append(upload, 1);
            assertEquals(List.of(upload), flusher.flushGrown());
        }
    }

    @Test
    void aSpoolFileMovedIntoPlaceIsForgotten(@TempDir Path dir) throws IOException {
        Path spool = Files.createDirectories(dir.resolve("tmp"));
        try (SpoolFlusher flusher = new SpoolFlusher(spool, STEP, null)) {
            Path upload = spool.resolve("MultiPart1.tmp");
            append(upload, 2 * STEP);
            assertEquals(List.of(upload), flusher.flushGrown());
            Files.move(upload, dir.resolve("original.tif"));
            assertEquals(List.of(), flusher.flushGrown());
            // a later upload under the same name starts from nothing
            append(upload, STEP);
            assertEquals(List.of(upload), flusher.flushGrown());
        }
    }

    @Test
    void otherUploadsAreFlushedEachOnTheirOwnSteps(@TempDir Path spool) throws IOException {
        try (SpoolFlusher flusher = new SpoolFlusher(spool, STEP, null)) {
            Path big = spool.resolve("a.tmp");
            Path small = spool.resolve("b.tmp");
            append(big, 5 * STEP);
            append(small, STEP / 4);
            assertEquals(List.of(big), flusher.flushGrown());
            append(small, STEP);
            assertEquals(List.of(small), flusher.flushGrown());
        }
    }
}
