package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.app.bench.BenchRequest;
import org.histodraw.app.bench.BenchRunner;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.cohort.CohortRequest;
import org.histodraw.app.cohort.CohortRunner;
import org.histodraw.app.demo.DemoRequest;
import org.histodraw.app.demo.DemoRunner;
import org.histodraw.app.segment.SegmentRequest;
import org.histodraw.app.segment.SegmentationRunner;
import org.histodraw.slides.io.SlideException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class MainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Object> requests = new ArrayList<>();
    private RuntimeException failWith;
    private Path image1;
    private Path image2;
    private Path scribbles;

    @BeforeEach
    void files() throws IOException {
        image1 = Files.writeString(dir.resolve("01.png"), "x");
        image2 = Files.writeString(dir.resolve("02.png"), "x");
        scribbles = Files.writeString(dir.resolve("01_scribbles.png"), "x");
    }

    private int run(String... args) {
        Main.Runners runners = new Main.Runners(
                new SegmentationRunner() {
                    @Override
                    public void run(SegmentRequest request, Terminal terminal) {
                        requests.add(request);
                        if (failWith != null) {
                            throw failWith;
                        }
                    }
                },
                new BenchRunner() {
                    @Override
                    public void run(BenchRequest request, Terminal terminal) {
                        requests.add(request);
                    }
                },
                new DemoRunner() {
                    @Override
                    public void run(DemoRequest request, Terminal terminal) {
                        requests.add(request);
                    }
                },
                new CohortRunner() {
                    @Override
                    public int run(CohortRequest request, Terminal terminal) {
                        requests.add(request);
                        return 0;
                    }
                });
        return Main.run(runners, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    /** Exactly one line on stderr, the error line, and no stack trace. */
    private String oneErrorLine() {
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).as("stderr: %s", err).hasSize(1);
        assertThat(lines.get(0)).startsWith("histodraw: error: ");
        return lines.get(0);
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("segment", "bench", "demo");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void segmentHelpDocumentsHowLabelsPairWithImages() {
        assertThat(run("segment", "--help")).isZero();
        assertThat(out.toString()).contains("--image=FILE", "--labels=FILE", "same position", "only predicted", "--min-area=AREA", "--min-hole=AREA", "µm²");
    }

    @Test
    void segmentWithoutOptionsIsOneUsageLineAndExitCodeTwo() {
        assertThat(run("segment")).isEqualTo(2);
        assertThat(oneErrorLine()).isEqualTo("histodraw: error: Missing required option: '--image=FILE' (see 'histodraw segment --help')");
        assertThat(requests).isEmpty();
    }

    @Test
    void noCommandUnknownCommandAndUnknownOptionAreUsageErrors() {
        assertThat(run()).isEqualTo(2);
        assertThat(oneErrorLine()).contains("no command given");
        err.getBuffer().setLength(0);
        assertThat(run("segmnt")).isEqualTo(2);
        assertThat(oneErrorLine()).contains("segmnt");
        err.getBuffer().setLength(0);
        assertThat(run("segment", "--image", image1.toString(), "--labels", scribbles.toString(), "--out", "r", "--colour")).isEqualTo(2);
        assertThat(oneErrorLine()).contains("--colour");
    }

    @Test
    void validSegmentOptionsBecomeARequest() {
        int code = run("segment", "--image", image1.toString(), "--image", image2.toString(), "--labels", scribbles.toString(),
                "--out", dir.resolve("results").toString(), "--classes", "Background, Nucleus", "--trees", "20",
                "--threads", "3", "--probabilities", "--simplify", "0.5", "--seed", "7");

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        SegmentRequest r = (SegmentRequest) requests.get(0);
        assertThat(r.images()).containsExactly(image1, image2);
        assertThat(r.labelsFor(0)).contains(scribbles);
        assertThat(r.labelsFor(1)).isEmpty();
        assertThat(r.classNames()).containsExactly("Background", "Nucleus");
        assertThat(r.trees()).isEqualTo(20);
        assertThat(r.depth()).isEqualTo(16);
        assertThat(r.tile()).isEqualTo(512);
        assertThat(r.threads()).isEqualTo(3);
        assertThat(r.seed()).isEqualTo(7);
        assertThat(r.cleaning().simplify()).isEqualTo(0.5);
        assertThat(r.probabilities()).isTrue();
        assertThat(r.trains()).isTrue();
        assertThat(r.predicts()).isTrue();
        assertThat(r.features()).isEmpty();
    }

    @Test
    void savedModelIsAppliedWithoutLabels() throws IOException {
        Path model = Files.writeString(dir.resolve("m.hdm"), "model");
        assertThat(run("segment", "--image", image1.toString(), "--model", model.toString(), "--out", "results")).isZero();
        SegmentRequest r = (SegmentRequest) requests.get(0);
        assertThat(r.trains()).isFalse();
        assertThat(r.model()).contains(model);
    }

    @Test
    void trainingOnlyNeedsNoOut() {
        assertThat(run("segment", "--image", image1.toString(), "--labels", scribbles.toString(),
                "--save-model", dir.resolve("m.hdm").toString())).isZero();
        assertThat(((SegmentRequest) requests.get(0)).predicts()).isFalse();
    }

    @Test
    void contradictoryOrOutOfRangeOptionsAreUsageErrors() throws IOException {
        Path model = Files.writeString(dir.resolve("m.hdm"), "model");
        String img = image1.toString();
        String lab = scribbles.toString();
        assertUsage("--trees must be 1..10000, not 0", "segment", "--image", img, "--labels", lab, "--out", "r", "--trees", "0");
        assertUsage("Invalid value for option '--depth'", "segment", "--image", img, "--labels", lab, "--out", "r", "--depth", "deep");
        assertUsage("--tile must be 64..16384, not 10", "segment", "--image", img, "--labels", lab, "--out", "r", "--tile", "10");
        assertUsage("--simplify must be a number >= 0", "segment", "--image", img, "--labels", lab, "--out", "r", "--simplify", "-1");
        assertUsage("2 --labels for 1 --image", "segment", "--image", img, "--labels", lab, "--labels", lab, "--out", "r");
        assertUsage("cannot be combined with --labels", "segment", "--image", img, "--labels", lab, "--model", model.toString(), "--out", "r");
        assertUsage("--trees has no effect with --model", "segment", "--image", img, "--model", model.toString(), "--out", "r", "--trees", "9");
        assertUsage("nothing to train on", "segment", "--image", img, "--out", "r");
        assertUsage("give --out DIR", "segment", "--image", img, "--labels", lab);
        assertUsage("--probabilities needs --out", "segment", "--image", img, "--labels", lab, "--save-model", "m2.hdm", "--probabilities");
        assertUsage("has no labels and would only be predicted, which needs --out",
                "segment", "--image", img, "--image", image2.toString(), "--labels", lab, "--save-model", "m2.hdm");
        assertUsage("expected GeoJSON regions", "segment", "--image", img, "--labels", "notes.txt", "--out", "r");
        assertUsage("'Nucleus' is named twice", "segment", "--image", img, "--labels", lab, "--out", "r", "--classes", "Nucleus,Nucleus");
        assertUsage("share the name '01'", "segment", "--image", img, "--image", dir.resolve("01.tif").toString(),
                "--labels", lab, "--out", "r");
        assertThat(requests).isEmpty();
    }

    private void assertUsage(String expected, String... args) {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(oneErrorLine()).contains(expected).endsWith("(see 'histodraw segment --help')");
    }

    @Test
    void missingFilesFailWithExitCodeOne() throws IOException {
        assertThat(run("segment", "--image", dir.resolve("A.png").toString(), "--labels", scribbles.toString(), "--out", "r"))
                .isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("histodraw: error: --image: no such file: " + dir.resolve("A.png"));

        err.getBuffer().setLength(0);
        Path file = Files.writeString(dir.resolve("results"), "in the way");
        assertThat(run("segment", "--image", image1.toString(), "--labels", scribbles.toString(), "--out", file.toString()))
                .isEqualTo(1);
        assertThat(oneErrorLine()).contains("--out: a file is in the way of the folder");
        assertThat(requests).isEmpty();
    }

    @Test
    void failuresWhileWorkingAreOneLineWithExitCodeOne() {
        failWith = new SlideException(image1, "truncated PNG");
        assertThat(run("segment", "--image", image1.toString(), "--labels", scribbles.toString(), "--out", "r")).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("histodraw: error: truncated PNG: " + image1);
    }

    @Test
    void bugsSayInternalErrorAndShowTheStackTraceOnlyWithDebug() {
        failWith = new NullPointerException("model was null");
        assertThat(run("segment", "--image", image1.toString(), "--labels", scribbles.toString(), "--out", "r")).isEqualTo(1);
        assertThat(oneErrorLine()).isEqualTo("histodraw: error: internal error: NullPointerException: model was null "
                + "(run with --debug for the stack trace)");

        err.getBuffer().setLength(0);
        assertThat(run("segment", "--debug", "--image", image1.toString(), "--labels", scribbles.toString(), "--out", "r")).isEqualTo(1);
        assertThat(err.toString()).startsWith("histodraw: error: internal error").contains("\tat ");
    }

    @Test
    void benchChecksItsOptions() {
        assertThat(run("bench")).isZero();
        BenchRequest r = (BenchRequest) requests.get(0);
        assertThat(r.size()).isEqualTo(4096);
        assertThat(r.images()).isEmpty();
        assertThat(r.threads()).isPositive();

        assertThat(run("bench", "--size", "100")).isEqualTo(2);
        assertThat(oneErrorLine()).contains("--size must be 256..65536, not 100").contains("'histodraw bench --help'");
        err.getBuffer().setLength(0);
        assertThat(run("bench", "--images", dir.resolve("none").toString())).isEqualTo(1);
        assertThat(oneErrorLine()).contains("--images: no such folder");
        assertThat(run("bench", "--images", dir.toString(), "--threads", "2", "--size", "1024")).isZero();
        assertThat(((BenchRequest) requests.get(1)).images()).contains(dir);
    }

    @Test
    void demoNeedsNoOptions() {
        assertThat(run("demo")).isZero();
        DemoRequest serve = (DemoRequest) requests.get(0);
        assertThat(serve.batch()).isFalse();
        assertThat(serve.port()).isEqualTo(8080);
        assertThat(serve.data()).isEqualTo(Path.of("histodraw-demo"));
        assertThat(run("demo", "--batch")).isZero();
        assertThat(((DemoRequest) requests.get(1)).batch()).isTrue();
        assertThat(((DemoRequest) requests.get(1)).out()).isEqualTo(Path.of("results/demo"));
        assertThat(run("demo", "--threads", "0")).isEqualTo(2);
        assertThat(run("demo", "--port", "70000")).isEqualTo(2);
    }
}
