package org.histodraw.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the cohort job scales with workers, on a real standalone cluster of this machine: two Workers
 * that share the machine's cores (half each, at least one), the same cohort run on one Worker's
 * executor ({@code spark.cores.max} = a Worker's cores) and on both, taking turns, each run a fresh
 * application (executors started anew, as a cluster job is). Prints per run the job's own seconds (the three stages, from the driver's closing line), the
 * whole submission's seconds (driver and executor JVMs started cold), and the machine's load before
 * and after. Run by bench/spark-scaling.sh (-Dhistodraw.bench=true, the slides and model given).
 */
@EnabledIfSystemProperty(named = "histodraw.bench", matches = "true")
class ClusterScalingBenchmarkIT {
    @TempDir
    Path folder;

    @Test
    void oneWorkerAgainstTwo() throws Exception {
        Path slides = Path.of(System.getProperty("histodraw.bench.slides"));
        Path model = Path.of(System.getProperty("histodraw.bench.model"));
        int rounds = Integer.getInteger("histodraw.bench.rounds", 2);
        Path jar = Path.of(System.getProperty("histodraw.spark.clusterJar"));
        List<String> rows = new ArrayList<>();
        int perWorker = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        try (StandaloneCluster cluster = StandaloneCluster.start(folder.resolve("cluster"), 2, perWorker, "3g")) {
            for (int round = 1; round <= rounds; round++) {
                for (int workers : new int[] {1, 2}) {
                    Map<String, String> conf = new HashMap<>(Map.of("spark.cores.max", Integer.toString(workers * perWorker),
                            "spark.executor.memory", "2g", "spark.ui.enabled", "false", "spark.driver.host", "127.0.0.1",
                            "spark.driver.bindAddress", "127.0.0.1",
                            "spark.executor.extraJavaOptions", "-XX:+UseTransparentHugePages"));
                    Path out = folder.resolve("out-" + round + "-" + workers);
                    String before = load();
                    long t0 = System.nanoTime();
                    Process driver = cluster.submit(jar, CohortArguments.MAIN_CLASS, conf, List.of("--model", model.toString(),
                            "--slides", slides.toString(), "--out", out.toString()), folder.resolve("driver-" + round + "-" + workers + ".log"),
                            Map.of());
                    String closing = "";
                    try (BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            closing = line;
                        }
                    }
                    driver.waitFor(60, TimeUnit.MINUTES);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    String row = String.format(Locale.ROOT, "round %d, %d worker(s) x %d core(s): exit %d, whole submission %.1f s, "
                            + "load %s -> %s; job: %s", round, workers, perWorker, driver.exitValue(), wall, before, load(), closing);
                    System.out.println(row);
                    rows.add(row);
                }
            }
        }
        System.out.println("== summary");
        rows.forEach(System.out::println);
    }

    /** The 1, 5 and 15 minute load averages. */
    private static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
