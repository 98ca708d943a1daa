package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.app.cohort.CohortRequest;
import org.histodraw.app.cohort.CohortRunner;
import org.histodraw.app.cohort.TestCohort;
import org.junit.jupiter.api.BeforeAll;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.histodraw.app.console.Terminal;

/**
 * {@code histodraw cohort}'s command line, checked in the app before any Spark starts (the runner
 * here only records what it would run). Also proves the Spark job's option classes load in the
 * app, whose classpath holds none of Spark.
 */
class CohortCommandTest {
    @TempDir
    static Path dir;
    static TestCohort cohort;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<CohortRequest> requests = new ArrayList<>();

    @BeforeAll
    static void makeACohort() throws IOException {
        cohort = new TestCohort(dir, 2);
    }

    private int run(String... args) {
        Main.Runners defaults = Main.Runners.defaults();
        Main.Runners runners = new Main.Runners(defaults.segment(), defaults.bench(), defaults.demo(), new CohortRunner() {
            @Override
            public int run(CohortRequest request, Terminal terminal) {
                requests.add(request);
                return 0;
            }
        });
        return Main.run(runners, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    @Test
    void theJobGetsAbsolutePathsInTheGivenOrderAndTheTokenOnlyByItsEnvironment() throws IOException {
        Path list = Files.writeString(dir.resolve("list.txt"), "# two slides\nslide-02.png\n");
        assertThat(run("cohort", "--model", cohort.model.toString(), "--slide", cohort.slides.get(0).toString(),
                "--slides", list.toString(), "--out", dir.resolve("results").toString(), "--tile", "96",
                "--server", "http://127.0.0.1:8080", "--token", "hdt_secret", "--series", "4")).as(err.toString()).isZero();
        CohortRequest request = requests.get(0);
        assertThat(request.jobArguments()).containsSubsequence("--slide", cohort.slides.get(0).toAbsolutePath().toString(),
                "--slides", list.toAbsolutePath().toString());
        assertThat(request.jobArguments()).containsSubsequence("--model", cohort.model.toAbsolutePath().toString());
        assertThat(request.jobArguments()).containsSubsequence("--tile", "96").containsSubsequence("--series", "4")
                .doesNotContain("hdt_secret", "--token");
        assertThat(request.token()).contains("hdt_secret");
        assertThat(request.out()).isEqualTo(dir.resolve("results").toAbsolutePath());
        assertThat(request.local()).isTrue();
        assertThat(request.debug()).isFalse();
    }

    @Test
    void aClusterMasterIsNotLocal() {
        assertThat(run("--debug", "cohort", "--model", cohort.model.toString(), "--slide", "a.png", "--out",
                dir.resolve("r").toString(), "--master", "spark://head:7077")).isZero();
        assertThat(requests.get(0).local()).isFalse();
        assertThat(requests.get(0).debug()).isTrue();
        assertThat(requests.get(0).jobArguments()).containsSubsequence("--master", "spark://head:7077");
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheOption() {
        assertThat(run("cohort", "--model", cohort.model.toString(), "--out", "r")).isEqualTo(2);
        assertThat(err.toString()).contains("histodraw: error: no slides").contains("histodraw cohort --help");
        assertThat(run("cohort", "--model", cohort.model.toString(), "--out", "r", "--series", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("need --server");
        assertThat(run("cohort", "--model", cohort.model.toString(), "--out", "r", "--slide", "a.png", "--tile", "4")).isEqualTo(2);
        assertThat(err.toString()).contains("--tile must be 16..16384 pixels, not 4");
        assertThat(run("cohort", "--slide", "a.png", "--out", "r")).isEqualTo(2);
        assertThat(err.toString()).contains("--model");
        assertThat(requests).isEmpty();
    }

    @Test
    void missingOrDamagedFilesAreSaidBeforeSparkStarts() throws IOException {
        assertThat(run("cohort", "--model", dir.resolve("none.hdm").toString(), "--slide", "a.png", "--out", "r")).isEqualTo(1);
        assertThat(err.toString()).contains("--model: no such file");
        Path damaged = Files.write(dir.resolve("damaged.hdm"), new byte[] {1, 2, 3});
        assertThat(run("cohort", "--model", damaged.toString(), "--slide", "a.png", "--out", "r")).isEqualTo(1);
        assertThat(err.toString()).contains("damaged.hdm");
        assertThat(run("cohort", "--model", cohort.model.toString(), "--slides", dir.resolve("none.txt").toString(), "--out", "r"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--slides: no such file");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(run("cohort", "--model", cohort.model.toString(), "--slide", "a.png", "--out", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--out: a file is in the way");
        assertThat(requests).isEmpty();
    }

    /** The cleaning options are segment's: the same names, units, defaults and words, so a user's habits carry over. */
    @Test
    void cleaningOptionsAreThoseOfSegment() {
        CommandLine cli = Main.commandLine(Main.Runners.defaults(), new Terminal(new PrintWriter(out), new PrintWriter(err), false),
                new ErrorReporter(new PrintWriter(err), false));
        CommandSpec segment = cli.getSubcommands().get("segment").getCommandSpec();
        CommandSpec cohortCommand = cli.getSubcommands().get("cohort").getCommandSpec();
        for (String name : List.of("--min-area", "--min-hole", "--simplify", "--smooth")) {
            OptionSpec s = segment.findOption(name);
            OptionSpec c = cohortCommand.findOption(name);
            assertThat(c).as(name).isNotNull();
            assertThat(c.type()).as(name).isEqualTo(s.type());
            assertThat(c.paramLabel()).as(name).isEqualTo(s.paramLabel());
            assertThat(c.defaultValue()).as(name).isEqualTo(s.defaultValue());
            assertThat(c.description()).as(name).isEqualTo(s.description());
        }
    }

    @Test
    void helpListsTheJobsOptions() {
        assertThat(run("cohort", "--help")).isZero();
        assertThat(out.toString()).contains("--model=FILE", "--slides=LIST", "--slide=PATH", "--server=URL", "--series=ID",
                "--post-back", "--master=URL", "--tile=PX", "--min-area=AREA", "--min-hole=AREA", "--smooth=N", "Exit codes:");
    }
}
