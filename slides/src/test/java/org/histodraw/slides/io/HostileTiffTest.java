package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TIFF files made to hurt a reader (issue 15.3: a 1 KB file whose directory points to itself hung an
 * upload thread forever): each is refused with a message naming the problem. Alone on the machine
 * each takes milliseconds (10,001 directories about 0.1 s); the timeout, generous for a machine
 * shared with other builds, makes a hang a failure rather than a stuck build.
 */
class HostileTiffTest {
    private static final Duration FAST = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** A little-endian classic TIFF written entry by entry: directories at the offsets given. */
    private static final class TiffBytes {
        final ByteBuffer buf;

        TiffBytes(int size) {
            buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            buf.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        }

        /** A directory at {@code at}: entries {tag, type, count, value} and the next directory's offset. */
        TiffBytes directory(int at, long[][] entries, long next) {
            buf.position(at);
            buf.putShort((short) entries.length);
            for (long[] e : entries) {
                buf.putShort((short) e[0]).putShort((short) e[1]).putInt((int) e[2]);
                if (e[1] == 3 && e[2] == 1) {
                    buf.putShort((short) e[3]).putShort((short) 0);
                } else {
                    buf.putInt((int) e[3]);
                }
            }
            buf.putInt((int) next);
            return this;
        }

        Path write(Path file) throws IOException {
            Files.write(file, buf.array());
            return file;
        }
    }

    /** A 1 x 1 gray image in one strip, the rest of a minimal directory. */
    private static long[][] onePixel(int stripAt) {
        return new long[][] {{256, 4, 1, 1}, {257, 4, 1, 1}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
                {273, 4, 1, stripAt}, {277, 3, 1, 1}, {278, 4, 1, 1}, {279, 4, 1, 1}};
    }

    private void refusedFast(Path file, String... phrases) {
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> SlideImages.open(file).close())
                .isInstanceOf(SlideException.class)
                .hasMessageContainingAll(phrases));
    }

    @Test
    void aDirectoryThatPointsToItselfIsRefusedAtOnce() throws IOException {
        Path file = new TiffBytes(1024).directory(8, onePixel(1000), 8).write(dir.resolve("self.tif"));
        assertThat(Files.size(file)).isEqualTo(1024);
        refusedFast(file, "corrupt TIFF", "loops back to offset 8");
    }

    @Test
    void twoDirectoriesPointingToEachOtherAreRefused() throws IOException {
        Path file = new TiffBytes(1024).directory(8, onePixel(1000), 200).directory(200, onePixel(1000), 8)
                .write(dir.resolve("pair.tif"));
        refusedFast(file, "loops back to offset 8");
    }

    @Test
    void tooManyDirectoriesAreRefused() throws IOException {
        int count = TiffDirectory.MAX_DIRECTORIES + 1;
        int size = 8 + count * 30 + 16;
        TiffBytes t = new TiffBytes(size);
        for (int i = 0; i < count; i++) {
            int at = 8 + i * 30;
            t.directory(at, new long[][] {{256, 4, 1, 1}, {257, 4, 1, 1}}, i + 1 < count ? at + 30 : 0);
        }
        refusedFast(t.write(dir.resolve("many.tif")), "more than " + TiffDirectory.MAX_DIRECTORIES + " image directories");
    }

    @Test
    void absurdTileSizesAreRefused() throws IOException {
        Path file = new TiffBytes(1024).directory(8, new long[][] {{256, 4, 1, 100_000}, {257, 4, 1, 100_000},
                {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1}, {277, 3, 1, 1}, {322, 4, 1, 1_000_000},
                {323, 4, 1, 1_000_000}, {324, 4, 1, 900}, {325, 4, 1, 100}}, 0).write(dir.resolve("tile.tif"));
        refusedFast(file, "tile size 1000000 x 1000000 is out of range");
    }

    @Test
    void tilesPastTheEndOfTheFileAreRefusedAsTruncated() throws IOException {
        Path file = new TiffBytes(1024).directory(8, new long[][] {{256, 4, 1, 256}, {257, 4, 1, 256},
                {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1}, {277, 3, 1, 1}, {322, 4, 1, 256},
                {323, 4, 1, 256}, {324, 4, 1, 900}, {325, 4, 1, 65536}}, 0).write(dir.resolve("cut.tif"));
        refusedFast(file, "TIFF", "past the end of the 1024-byte file");
    }

    @Test
    void aDirectoryOutsideTheFileIsRefused() throws IOException {
        Path file = new TiffBytes(64).directory(8, new long[][] {{256, 4, 1, 1}}, 1_000_000).write(dir.resolve("far.tif"));
        refusedFast(file, "outside the file");
    }

    @Test
    void aTagWhoseValuesLiePastTheEndIsRefused() throws IOException {
        Path file = new TiffBytes(256).directory(8, new long[][] {{256, 4, 1, 64}, {257, 4, 1, 64}, {258, 3, 1, 8},
                {259, 3, 1, 1}, {262, 3, 1, 1}, {277, 3, 1, 1}, {322, 4, 1, 16}, {323, 4, 1, 16},
                {324, 4, 16, 5000}, {325, 4, 16, 6000}}, 0).write(dir.resolve("tags.tif"));
        refusedFast(file, "points past the end of the file");
    }

    @Test
    void everyHostileFileIsAlsoRefusedByTheLabelReader() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(new TiffBytes(1024).directory(8, onePixel(1000), 8).write(dir.resolve("labels.tif")));
        for (Path f : files) {
            assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> SlideImages.decodeWhole(f, SlideLimits.DEFAULT))
                    .isInstanceOf(SlideException.class).hasMessageContaining("loops"));
        }
    }
}
