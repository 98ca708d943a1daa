package org.histodraw.app.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.app.Main;
import org.histodraw.app.console.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code histodraw cohort} for real: the Spark driver in its own JVM from the spark module's build,
 * its progress drawn by the app, its files identical to those of {@code histodraw segment --model}.
 */
class CohortRunnerTest {
    @TempDir
    Path dir;

    @Test
    void theCohortGivesSegmentsFilesAndAFailedRowForAMissingSlide() throws IOException {
        TestCohort cohort = new TestCohort(dir, 3);
        Path missing = dir.resolve("missing.png");
        Path list = Files.write(dir.resolve("cohort.txt"), List.of("slide-01.png", "missing.png", "slide-02.png", "slide-03.png"));
        Path out = dir.resolve("results");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int code = Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(stdout, true), new PrintWriter(stderr, true), false),
                "cohort", "--model", cohort.model.toString(), "--slides", list.toString(), "--out", out.toString(), "--tile", "96",
                "--master", "local[2]");

        assertThat(code).as("exit code; stderr: %s", stderr).isEqualTo(3);
        List<String> lines = stdout.toString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith(cohort.slides.get(0).toAbsolutePath() + ": ok, 150 x 110 px, 4 tiles");
        assertThat(lines.get(1)).isEqualTo(missing.toAbsolutePath() + ": failed: no such file: " + missing.toAbsolutePath());
        assertThat(lines.get(4)).startsWith("4 slides, 3 ok, 1 failed; ");
        assertThat(stderr.toString()).contains("cohort [########################]  4/4 slides")
                .contains("slide-03 [").contains(missing.toAbsolutePath() + ": failed: no such file")
                .doesNotContain("INFO");
        assertThat(Files.readString(out.resolve("cohort.log"))).doesNotContain(" INFO ");
        assertThat(out.resolve("summary.csv")).exists();
        assertThat(out.resolve("summary.parquet")).isDirectory();

        // The same slides through histodraw segment --model: byte for byte the same files.
        Path reference = dir.resolve("reference");
        List<String> segment = new ArrayList<>(List.of("segment", "--model", cohort.model.toString(), "--tile", "96", "--out",
                reference.toString()));
        cohort.slides.forEach(s -> segment.addAll(List.of("--image", s.toString())));
        assertThat(Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(stderr, true),
                false), segment.toArray(String[]::new))).isZero();
        for (String name : List.of("slide-01", "slide-02", "slide-03")) {
            assertThat(Files.readAllBytes(out.resolve(name + "_classes.png"))).as(name + "_classes.png")
                    .isEqualTo(Files.readAllBytes(reference.resolve(name + "_classes.png")));
            assertThat(Files.readString(out.resolve(name + ".geojson"))).as(name + ".geojson")
                    .isEqualTo(Files.readString(reference.resolve(name + ".geojson")));
        }
    }

    /** A failure inside the driver (here: the server cannot be reached) is one error line naming it and the log. */
    @Test
    void aDriverThatCannotRunIsOneErrorLineWithItsLog() throws IOException {
        TestCohort cohort = new TestCohort(dir, 1);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path out = dir.resolve("results");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int code = Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(stdout, true), new PrintWriter(stderr, true), false),
                "cohort", "--model", cohort.model.toString(), "--server", "http://127.0.0.1:" + port, "--series", "5",
                "--token", "hdt_x", "--out", out.toString(), "--master", "local[1]");

        assertThat(code).isEqualTo(1);
        List<String> errors = stderr.toString().lines().filter(l -> l.startsWith("histodraw: error: ")).toList();
        assertThat(errors).singleElement().asString().contains("127.0.0.1:" + port).contains("not reachable")
                .contains(out.resolve("cohort.log").toString());
        assertThat(stdout.toString()).isEmpty();
        assertThat(Files.readString(out.resolve("cohort.log"))).contains("not reachable").doesNotContain("hdt_x");
    }
}
