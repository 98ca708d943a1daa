package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.Vips;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.histodraw.app.console.Terminal;

/**
 * One reader everywhere (issue 14): {@code histodraw segment} on an Aperio SVS gives the very class map
 * it gives on a PNG export of the same pixels; {@code histodraw ingest} links a slide in place and
 * refuses the bad-file corpus with one line each, leaving nothing.
 */
class WholeSlideCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    private static Path shared(String relative) {
        Path file = Path.of(System.getProperty("histodraw.data", "../shared/data")).resolve(relative);
        assumeTrue(Files.isRegularFile(file), "shared test data absent: " + file);
        return file;
    }

    /** An Aperio SVS (JPEG tiles, MPP 0.25) of an image, made by vips; skipped where vips is missing. */
    private Path svs(Path png) throws IOException {
        Vips.assumeAvailable();
        return Vips.aperio(ImageIO.read(png.toFile()), dir, "slide", false);
    }

    @Test
    void segmentOnAnSvsGivesTheClassMapOfItsPngExport() throws Exception {
        assumeTrue(SlideImages.openSlideAvailable(), "OpenSlide is not installed (apt-get install libopenslide0): skipping");
        Path png = shared("gbm-nuclei/01.png");
        Path scribbles = shared("gbm-nuclei/01_scribbles.png");
        Path svs = svs(png);
        // vips reads the SVS through OpenSlide too: its PNG export holds the same decoded pixels.
        Path export = dir.resolve("export.png");
        Vips.run("copy", svs.toString(), export.toString());
        Path fromSvs = dir.resolve("from-svs");
        Path fromPng = dir.resolve("from-png");
        assertThat(run("segment", "--image", svs.toString(), "--labels", scribbles.toString(), "--out", fromSvs.toString()))
                .as(err.toString()).isZero();
        assertThat(run("segment", "--image", export.toString(), "--labels", scribbles.toString(), "--out", fromPng.toString()))
                .as(err.toString()).isZero();
        assertThat(Files.readAllBytes(fromSvs.resolve("slide_classes.png")))
                .isEqualTo(Files.readAllBytes(fromPng.resolve("export_classes.png")));
        assertThat(Files.readString(fromSvs.resolve("class-areas.csv"))).contains("slide.svs,Class 2,");
    }

    private Path dataWithAdmin() {
        Path data = dir.resolve("data");
        try (HistoDrawServer first = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0)
                .withAdmin("admin", "secret-password").withPasswordCost(4))) {
            assertThat(first.port()).isPositive();
        }
        return data;
    }

    @Test
    void ingestLinkRecordsTheSlideWhereItIs() throws Exception {
        assumeTrue(SlideImages.openSlideAvailable(), "OpenSlide is not installed (apt-get install libopenslide0): skipping");
        Path svs = svs(shared("gbm-nuclei/02.png"));
        Path data = dataWithAdmin();
        assertThat(run("ingest", "--data", data.toString(), "--project", "P", "--series", "S", "--link", svs.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("slide.svs: slice 1, Aperio SVS, 512 x 512 px, 0.2500 µm/px, linked in place");
        try (Stream<Path> stored = Files.walk(data.resolve("slides"))) {
            assertThat(stored.filter(Files::isRegularFile)).as("nothing copied").isEmpty();
        }
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            Slice slice = server.backend().slides().slice(1).orElseThrow();
            assertThat(slice.source().linked()).isTrue();
            assertThat(slice.source().file()).isEqualTo(svs.toAbsolutePath().normalize().toString());
            assertThat(server.backend().ingest().tiles().tile(slice, slice.layout().maxLevel(), 1, 1)).isPresent();
        }
    }

    @Test
    void ingestRefusesTheBadFileCorpusLeavingNothing() throws Exception {
        Path data = dataWithAdmin();
        List<Path> corpus = new ArrayList<>();
        corpus.add(shared("wsi/unopenable.tiff"));
        corpus.add(shared("wsi/boxes_0.dcm"));
        if (SlideImages.openSlideAvailable()) {
            corpus.add(shared("wsi/unreadable.svs"));
        }
        byte[] boxes = Files.readAllBytes(shared("wsi/boxes.tiff"));
        corpus.add(Files.write(dir.resolve("truncated.tiff"), Arrays.copyOf(boxes, boxes.length / 2)));
        ByteBuffer loop = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        loop.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 2);
        loop.putShort((short) 256).putShort((short) 4).putInt(1).putInt(1);
        loop.putShort((short) 257).putShort((short) 4).putInt(1).putInt(1).putInt(8);
        corpus.add(Files.write(dir.resolve("loop.tif"), loop.array()));
        for (Path bad : corpus) {
            err.getBuffer().setLength(0);
            long t0 = System.nanoTime();
            assertThat(run("ingest", "--data", data.toString(), "--project", "P", "--series", "S", bad.toString()))
                    .as(bad.toString()).isEqualTo(1);
            String message = err.toString().strip();
            System.out.printf("%s refused in %.2f s: %s%n", bad.getFileName(), (System.nanoTime() - t0) / 1e9, message);
            assertThat(message).startsWith("histodraw: error: ").contains(bad.getFileName().toString())
                    .contains("nothing was ingested").doesNotContain("Exception").doesNotContain("\n");
        }
        try (Stream<Path> slides = Files.list(data.resolve("slides"))) {
            assertThat(slides).as("nothing stored").isEmpty();
        }
    }
}
