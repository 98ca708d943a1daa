package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cohort job on a real Spark standalone cluster: a Master and two Workers of one core each, in
 * JVMs of their own, the cluster jar submitted through Spark's {@code SparkSubmit} as
 * {@code spark-submit} does; executors are further JVMs that know nothing of this module but the
 * jar they are sent. One submission proves it all (each JVM start costs seconds to tens of seconds
 * on a loaded CI machine): the job starts on both workers, one worker is killed (SIGKILL) in the
 * middle of the prediction stage while it runs a task, its tasks run again on the other, and the
 * results are byte for byte those of {@code histodraw segment --model}.
 */
class StandaloneClusterIT {
    static final int TILE = 64;
    /**
     * Executors of 512 MB (the tiles are small, and the machine runs five JVMs at once); 6 tiles a
     * task, so each slide is several tasks and work is left when a worker dies. The job waits for both
     * executors before its first task (so both take part), and a fetch from the dead executor is
     * retried once after 1 s, not three times after 5 s (Spark's defaults, 15 s of waiting per fetch).
     */
    static final Map<String, String> CONF = Map.of("spark.executor.memory", "512m", "spark.ui.enabled", "false",
            "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1", CohortJob.TILES_PER_TASK, "6",
            "spark.scheduler.minRegisteredResourcesRatio", "1.0", "spark.scheduler.maxRegisteredResourcesWaitingTime", "120s",
            "spark.shuffle.io.maxRetries", "1", "spark.shuffle.io.retryWait", "1s");

    @TempDir
    static Path folder;
    static TestCohort cohort;
    static Path slideList;
    static Path reference;
    static StandaloneCluster cluster;

    @BeforeAll
    static void startTheClusterAndComputeTheReference() throws Exception {
        // Three slides of 20 to 30 tiles, of sizes that do not divide by the tile.
        cohort = new TestCohort(folder, new int[] {300, 260}, new int[] {257, 300}, new int[] {330, 200});
        slideList = Files.write(folder.resolve("cohort.txt"), cohort.slides.stream().map(p -> p.getFileName().toString()).toList());
        reference = folder.resolve("reference");
        for (Path slide : cohort.slides) {
            SingleMachine.segment(cohort.model, slide, TILE, reference);
        }
        long t0 = System.nanoTime();
        cluster = StandaloneCluster.start(folder.resolve("cluster"), 2, 1, "768m");
        System.out.printf("standalone cluster (master + 2 workers) up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCohortOnTwoWorkersOneKilledMidJobGivesTheFilesOfTheSingleMachinePath() throws Exception {
        Path out = folder.resolve("kill-out");
        RecordedProgress progress = new RecordedProgress();
        List<ProcessHandle> orphans = new ArrayList<>();
        Process victim = cluster.worker(1); // the second Worker, whose folder is work-2
        int exit = submit(out, progress, event -> {
            // At the first predicted band: the job is in the middle of its prediction stage, both executors busy.
            if (event.startsWith("@histodraw {\"event\":\"predicted\"") && victim.isAlive()) {
                orphans.addAll(victim.descendants().toList()); // its executor, which must end with it
                victim.destroyForcibly(); // SIGKILL, as kill -9
            }
        });

        assertThat(victim.isAlive()).isFalse();
        assertThat(exit).as("driver exit code; see " + log(out)).isZero();
        assertSameFilesAsTheReference(out);
        assertThat(progress.report.outcomes()).allMatch(SlideOutcome::ok);
        assertThat(progress.predicted).isEqualTo(progress.planned);
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(1 + cohort.slides.size());
        // Both workers started an executor of the application; the job counted both executors' cores.
        for (int w = 1; w <= 2; w++) {
            assertThat(executorLogs(w)).as("executor logs of worker " + w).isNotEmpty();
        }
        assertThat(progress.report.cores()).isEqualTo(2);
        // The survivor ran tasks; the killed worker's executor was lost with a task running, which ran again.
        assertThat(executorLogs(1)).anySatisfy(log -> assertThat(Files.readString(log)).contains("Finished task"));
        assertThat(progress.lostExecutors).as("executors lost").isNotEmpty();
        String driverLog = Files.readString(log(out));
        assertThat(driverLog).containsPattern("task \\d+\\.0 in stage \\d+\\.0 \\(TID \\d+\\) failed because while it was being "
                + "computed, its executor exited").containsPattern("Starting task \\d+\\.1 in stage");
        for (ProcessHandle orphan : orphans) {
            assertThat(orphan.onExit().get(60, TimeUnit.SECONDS).isAlive()).as("executor of the killed worker").isFalse();
        }
    }

    /** Submits the job through SparkSubmit; each line of its output goes to {@code onLine}, events to {@code progress}. */
    private int submit(Path out, RecordedProgress progress, Consumer<String> onLine) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path jar = Path.of(System.getProperty("histodraw.spark.clusterJar"));
        Process driver = cluster.submit(jar, CohortArguments.MAIN_CLASS, CONF, List.of("--model", cohort.modelFile.toString(),
                        "--slides", slideList.toString(), "--out", out.toString(), "--tile", Integer.toString(TILE)),
                log(out), Map.of(ProgressEvents.PROPERTY, "events"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                ProgressEvents.decode(line, progress);
                onLine.accept(line);
            }
        }
        if (!driver.waitFor(5, TimeUnit.MINUTES)) {
            driver.destroyForcibly();
            throw new AssertionError("the driver did not end in 5 minutes");
        }
        System.out.printf("%s: submitted job ended after %.1f s%n", out.getFileName(), (System.nanoTime() - t0) / 1e9);
        return driver.exitValue();
    }

    /** The driver's log (Spark's, on its stderr) of the run writing into {@code out}. */
    private static Path log(Path out) {
        return out.resolveSibling(out.getFileName() + "-driver.log");
    }

    private static void assertSameFilesAsTheReference(Path out) throws IOException {
        for (Path slide : cohort.slides) {
            String name = SlidePlan.baseName(slide.toString());
            assertThat(Files.readAllBytes(out.resolve(name + "_classes.png"))).as(name + "_classes.png")
                    .isEqualTo(Files.readAllBytes(reference.resolve(name + "_classes.png")));
            assertThat(Files.readAllBytes(out.resolve(name + ".geojson"))).as(name + ".geojson")
                    .isEqualTo(Files.readAllBytes(reference.resolve(name + ".geojson")));
        }
    }

    /** The stderr files of the executors worker {@code w} started (work-W/APP/EXECUTOR/stderr). */
    private static List<Path> executorLogs(int w) throws IOException {
        try (var files = Files.walk(folder.resolve("cluster").resolve("work-" + w))) {
            return files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        }
    }
}
