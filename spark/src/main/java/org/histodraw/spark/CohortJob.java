package org.histodraw.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;

/**
 * Applies a saved model to a cohort of slides on Apache Spark and writes, per slide, the same
 * {@code NAME_classes.png} and {@code NAME.geojson} as {@code histodraw segment}, plus the summary
 * table with one row per slide as {@code summary.csv} and {@code summary.parquet}. Three stages:
 * <ol>
 *   <li><b>open</b>: each slide is opened where a task runs, to read its size and measure its
 *       channel statistics; a missing or corrupt slide becomes a {@code failed} row here;</li>
 *   <li><b>predict</b>: the tiles of the good slides, in bands of consecutive tile rows (one band
 *       per partition, so a slide's tiles stay together in row order), are predicted with the
 *       broadcast model, one {@code TilePredictor} per partition;</li>
 *   <li><b>write</b>: the class maps are shuffled so each slide lands whole in one partition,
 *       sorted by row and column, and streamed strip by strip into the writers and the vectoriser,
 *       so polygons cut by tile borders come out whole.</li>
 * </ol>
 * Guaranteed: the files of a slide are identical to the single-machine path with the same model
 * and tile size, whatever the number of executors. Not guaranteed: anything about slides that are
 * not readable at the same path from every executor; results go to a folder that must be shared.
 */
public final class CohortJob {
    /** About this many tiles per prediction task: enough to amortise a task, small enough to spread. */
    static final int TILES_PER_BAND = 64;
    static final String DEFAULT_MASTER = "local[2]";

    private CohortJob() {
    }

    public static void main(String[] args) {
        CohortOptions options;
        try {
            options = CohortOptions.parse(args);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("histodraw cohort: " + e.getMessage());
            System.err.println(CohortOptions.USAGE);
            System.exit(2);
            return;
        }
        SparkConf conf = configure(new SparkConf().setAppName("histodraw-cohort"), options.master());
        List<SlideOutcome> outcomes;
        long t0;
        long t1;
        int cores;
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            cores = spark.defaultParallelism();
            t0 = System.nanoTime();
            outcomes = run(spark, options);
            t1 = System.nanoTime();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("histodraw cohort: " + e.getMessage());
            System.exit(2);
            return;
        }
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        for (SlideOutcome o : outcomes) {
            System.out.println(o.ok()
                    ? String.format(Locale.ROOT, "%s: ok, %d x %d px, %d tiles, %.2f s", o.slide(), o.width(), o.height(),
                    o.tiles(), o.seconds())
                    : o.slide() + ": failed: " + o.message());
        }
        long tiles = outcomes.stream().filter(SlideOutcome::ok).mapToLong(SlideOutcome::tiles).sum();
        double wall = (t1 - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%d slides, %d ok, %d failed; %d tiles in %.2f s on %d cores: %.2f tiles/s, "
                        + "%.2f tiles/s per core; summary in %s (and %s)%n", outcomes.size(), outcomes.size() - failed, failed,
                tiles, wall, cores, tiles / wall, tiles / wall / cores, options.out().resolve("summary.csv"),
                CohortSummary.PARQUET);
        System.exit(failed == 0 ? 0 : 3);
    }

    /**
     * Fills in what the cluster did not say: the master (the {@code --master} option, else
     * {@value #DEFAULT_MASTER}), and in local mode no web UI and a driver bound to 127.0.0.1 only.
     */
    public static SparkConf configure(SparkConf conf, Optional<String> master) {
        if (!conf.contains("spark.master")) {
            conf.setMaster(master.orElse(DEFAULT_MASTER));
        }
        // Executors open vendor slides through OpenSlide (FFM API): native access without the JDK's warning.
        conf.setIfMissing("spark.executor.extraJavaOptions", "--enable-native-access=ALL-UNNAMED");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /**
     * Runs the cohort and writes {@code summary.csv} and {@code summary.parquet}; returns one
     * outcome per slide, in the order given. Fails as a whole only when the model cannot be read or the summary cannot be written.
     */
    public static List<SlideOutcome> run(JavaSparkContext spark, CohortOptions options) {
        byte[] modelBytes;
        try {
            modelBytes = Files.readAllBytes(options.model());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + options.model() + ": " + e, e);
        }
        SegmentationModel model;
        try {
            model = ModelCodec.read(modelBytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(options.model() + ": " + e.getMessage(), e);
        }
        ServerAccess server = options.server().orElse(null);
        List<String> slides = CohortSlides.list(options);
        Broadcast<byte[]> sharedModel = spark.broadcast(modelBytes);
        int count = slides.size();
        SlideOutcome[] outcomes = new SlideOutcome[count];
        List<SlideOpening.Request> requests = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String path = slides.get(i);
            if (!names.add(SlidePlan.baseName(path))) {
                outcomes[i] = SlideOutcome.failed(i, path, "another slide of the cohort has the same name "
                        + SlidePlan.baseName(path) + ": its results would overwrite the other's", 0);
            } else {
                requests.add(new SlideOpening.Request(i, path));
            }
        }

        // Stage 1: open and measure.
        Map<Integer, SlidePlan> plans = new HashMap<>();
        Map<Integer, Double> openSeconds = new HashMap<>();
        if (!requests.isEmpty()) {
            int slices = Math.min(requests.size(), 4 * spark.defaultParallelism());
            for (SlideOpening.Opened o : spark.parallelize(requests, slices).map(new SlideOpening(sharedModel, server)).collect()) {
                if (o.plan() != null) {
                    plans.put(o.plan().index(), o.plan());
                    openSeconds.put(o.plan().index(), o.seconds());
                } else {
                    outcomes[o.failure().index()] = o.failure();
                }
            }
        }

        // Stages 2 and 3: predict the tiles, then regroup by slide and write.
        if (!plans.isEmpty()) {
            List<TileBand> bands = new ArrayList<>();
            plans.keySet().stream().sorted().forEach(i -> bands.addAll(TileBand.of(plans.get(i), options.tile(), TILES_PER_BAND)));
            Broadcast<Map<Integer, SlidePlan>> sharedPlans = spark.broadcast(plans);
            List<SlideOutcome> written = spark.parallelize(bands, bands.size())
                    .mapPartitionsToPair(new TilePrediction(sharedModel, sharedPlans, options.tile(), server))
                    .repartitionAndSortWithinPartitions(new SlidePartitioner(count))
                    .mapPartitions(new SlideWriting(sharedModel, sharedPlans, options.out().toAbsolutePath().toString(),
                            options.tile(), options.simplify(), options.minArea()))
                    .collect();
            for (SlideOutcome o : written) {
                outcomes[o.index()] = withExtraSeconds(o, openSeconds.getOrDefault(o.index(), 0.0));
            }
            sharedPlans.destroy();
        }
        sharedModel.destroy();

        List<SlideOutcome> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(outcomes[i] != null ? outcomes[i] : SlideOutcome.failed(i, slides.get(i),
                    "internal error: no result came back for this slide", 0));
        }
        CohortSummary.write(options.out().resolve("summary.csv"), all, model.classes());
        CohortSummary.writeParquet(session(spark), options.out().toAbsolutePath().resolve(CohortSummary.PARQUET), all,
                model.classes());
        if (options.postBack()) {
            CohortSlides.postBack(server, options.out(), all, model, "spark-" + spark.sc().applicationId());
        }
        return all;
    }

    /** The SQL session over the job's context (getOrCreate finds the running context, starts none). */
    static SparkSession session(JavaSparkContext spark) {
        return SparkSession.builder().config(spark.getConf()).getOrCreate();
    }

    private static SlideOutcome withExtraSeconds(SlideOutcome o, double seconds) {
        return new SlideOutcome(o.index(), o.slide(), o.status(), o.message(), o.width(), o.height(), o.tiles(),
                o.seconds() + seconds, o.pixelsPerClass(), o.micronsPerPixel());
    }
}
