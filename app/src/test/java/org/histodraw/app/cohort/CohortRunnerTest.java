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
import javax.imageio.ImageIO;
import org.histodraw.app.Main;
import org.histodraw.app.console.Terminal;
import org.histodraw.slides.io.Vips;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * {@code histodraw cohort} for real: the Spark driver in its own JVM from the spark module's build,
 * its progress drawn by the app, its files identical to those of {@code histodraw segment --model}.
 */
class CohortRunnerTest {
    @TempDir
    Path dir;

    /**
     * Four slides, one missing, with cleaning options that are not the defaults; where vips and
     * OpenSlide are installed, a fifth that is an Aperio SVS (0.25 µm per pixel, so the areas are µm²).
     * Then {@code histodraw segment --model} with the same options on the same files.
     */
    @Test
    void theCohortGivesSegmentsFilesWithTheSameCleaningAndAFailedRowForAMissingSlide() throws IOException {
        TestCohort cohort = new TestCohort(dir, 3);
        Path missing = dir.resolve("missing.png");
        List<String> listed = new ArrayList<>(List.of("slide-01.png", "missing.png", "slide-02.png", "slide-03.png"));
        List<Path> images = new ArrayList<>(cohort.slides);
        if (vipsAndOpenSlide()) {
            images.add(Vips.aperio(ImageIO.read(cohort.slides.get(2).toFile()), dir, "aperio", false));
            listed.add("aperio.svs");
        }
        Path list = Files.write(dir.resolve("cohort.txt"), listed);
        Path out = dir.resolve("results");
        List<String> cleaning = List.of("--min-area", "30", "--min-hole", "2", "--simplify", "0.5", "--smooth", "1");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        List<String> command = new ArrayList<>(List.of("cohort", "--model", cohort.model.toString(), "--slides", list.toString(),
                "--out", out.toString(), "--tile", "96", "--master", "local[2]"));
        command.addAll(cleaning);
        int code = Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(stdout, true), new PrintWriter(stderr, true), false),
                command.toArray(String[]::new));

        assertThat(code).as("exit code; stderr: %s", stderr).isEqualTo(3);
        List<String> lines = stdout.toString().lines().toList();
        assertThat(lines).hasSize(listed.size() + 1);
        assertThat(lines.get(0)).startsWith(cohort.slides.get(0).toAbsolutePath() + ": ok, 150 x 110 px, 4 tiles");
        assertThat(lines.get(1)).isEqualTo(missing.toAbsolutePath() + ": failed: no such file: " + missing.toAbsolutePath());
        assertThat(lines.get(listed.size())).startsWith(listed.size() + " slides, " + (listed.size() - 1) + " ok, 1 failed; ")
                .contains(" on 2 cores: ");
        assertThat(stderr.toString()).contains("cohort [########################]  " + listed.size() + "/" + listed.size() + " slides")
                .contains("slide-03 [").contains(missing.toAbsolutePath() + ": failed: no such file")
                .doesNotContain("INFO");
        assertThat(Files.readString(out.resolve("cohort.log"))).doesNotContain(" INFO ");
        assertThat(out.resolve("summary.csv")).exists();
        assertThat(out.resolve("summary.parquet")).isDirectory();

        // The same slides through histodraw segment --model with the same options: byte for byte the same files.
        Path reference = dir.resolve("reference");
        List<String> segment = new ArrayList<>(List.of("segment", "--model", cohort.model.toString(), "--tile", "96", "--out",
                reference.toString()));
        segment.addAll(cleaning);
        images.forEach(s -> segment.addAll(List.of("--image", s.toString())));
        assertThat(Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(stderr, true),
                false), segment.toArray(String[]::new))).as(stderr.toString()).isZero();
        for (Path image : images) {
            String name = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            assertThat(Files.readAllBytes(out.resolve(name + "_classes.png"))).as(name + "_classes.png")
                    .isEqualTo(Files.readAllBytes(reference.resolve(name + "_classes.png")));
            assertThat(Files.readString(out.resolve(name + ".geojson"))).as(name + ".geojson")
                    .isEqualTo(Files.readString(reference.resolve(name + ".geojson")));
        }
    }

    private static boolean vipsAndOpenSlide() {
        try {
            Vips.assumeAvailable();
            Vips.assumeOpenSlide();
            return true;
        } catch (TestAbortedException e) {
            System.out.println("CohortRunnerTest: no Aperio slide in the cohort: " + e.getMessage());
            return false;
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
