package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    private Path image(String name, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void imagesBecomeTheSlicesOfASeriesInOrder() throws Exception {
        Path data = dir.resolve("data");
        try (HistoDrawServer first = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0)
                .withAdmin("admin", "secret-password").withPasswordCost(4))) {
            assertThat(first.port()).isPositive();
        }
        Path a = image("a.png", 300, 200);
        Path b = image("b.png", 700, 500);

        assertThat(run("ingest", "--data", data.toString(), "--project", "Brain", "--series", "Coronal", a.toString(),
                b.toString())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("created project Brain", "created series Coronal",
                "a.png: slice 1, 300 x 200 px", "b.png: slice 2, 700 x 500 px");
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            var series = server.backend().slides().seriesOf(server.backend().projects().visibleTo(null, true).get(0).id());
            var slices = server.backend().slides().slicesOf(series.get(0).id());
            assertThat(slices).extracting(s -> s.name()).containsExactly("a.png", "b.png");
        }
    }

    @Test
    void aNewProjectNeedsAnOwner() throws Exception {
        Path a = image("a.png", 64, 64);
        assertThat(run("ingest", "--data", dir.resolve("empty").toString(), "--project", "P", "--series", "S",
                a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no administrator yet");
    }

    @Test
    void aMissingImageIsNamed() {
        assertThat(run("ingest", "--data", dir.resolve("d").toString(), "--project", "P", "--series", "S",
                dir.resolve("nope.png").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file").contains("nope.png");
    }
}
