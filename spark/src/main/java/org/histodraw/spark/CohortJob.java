package org.histodraw.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
 * Guaranteed: the files of a slide are identical to the single-machine path with the same model,
 * tile size and cleaning, whatever the number of executors. Not guaranteed: anything about slides that are
 * not readable at the same path from every executor; results go to a folder that must be shared.
 */
@Command(name = "cohort", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Apply a saved model to a cohort of slides on Apache Spark: per slide the files of histodraw segment "
                + "(NAME_classes.png, NAME.geojson), and summary.csv + summary.parquet with one row per slide.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every slide succeeded", "2:a bad command line, an unreadable model or results folder",
                "3:some slides failed (their rows in the summary say why)"})
public final class CohortJob implements Callable<Integer> {
    /**
     * About this many tiles per prediction task: enough to amortise a task, small enough to spread.
     * A Spark setting ({@value #TILES_PER_TASK}) changes it, e.g. fewer for very large tiles.
     */
    static final int TILES_PER_BAND = 64;
    static final String TILES_PER_TASK = "spark.histodraw.tilesPerTask";
    private static final String EXTRA_LISTENERS = "spark.extraListeners";

    @Mixin
    CohortArguments arguments;

    /** The entry point of {@code spark-submit --class org.histodraw.spark.CohortJob} and of {@code histodraw cohort}'s driver. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new CohortJob());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("histodraw cohort: error: " + SlideOpening.message(e));
            return CohortReport.CANNOT_RUN;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        CohortOptions options = arguments.options();
        CohortProgress progress = "events".equals(System.getProperty(ProgressEvents.PROPERTY))
                ? new ProgressEvents(System.out) : new ConsoleProgress(System.out, System.err);
        SparkConf conf = configure(new SparkConf().setAppName("histodraw-cohort"), options.master());
        // The SQL session first, so the summary's Parquet writer later finds it as it is.
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        try (JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext())) {
            return run(spark, options, progress).exitCode();
        }
    }

    /**
     * Fills in what the cluster did not say: the master (the {@code --master} option, else
     * {@value CohortOptions#DEFAULT_MASTER}); the listener that counts the executors' cores
     * ({@link ExecutorCores}, beside any the cluster names); in local mode no web UI and a driver bound to 127.0.0.1
     * only; on a cluster reached without {@code spark-submit} (e.g. {@code histodraw cohort --master
     * spark://...}), the jar this class came from as the job's code for the executors.
     */
    public static SparkConf configure(SparkConf conf, Optional<String> master) {
        if (!conf.contains("spark.master")) {
            conf.setMaster(master.orElse(CohortOptions.DEFAULT_MASTER));
        }
        // Executors open vendor slides through OpenSlide (FFM API): Spark adds its launcher's module options,
        // --enable-native-access=ALL-UNNAMED among them, to every executor's JVM options by itself.
        String listeners = conf.get(EXTRA_LISTENERS, "");
        if (!Arrays.asList(listeners.split(",")).contains(ExecutorCores.class.getName())) {
            conf.set(EXTRA_LISTENERS, listeners.isBlank() ? ExecutorCores.class.getName() : listeners + "," + ExecutorCores.class.getName());
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else if (!conf.contains("spark.jars")) {
            conf.setJars(JavaSparkContext.jarOfClass(CohortJob.class));
        }
        return conf;
    }

    /** {@link #run(JavaSparkContext, CohortOptions, CohortProgress)} unwatched; the outcomes, one per slide in the order given. */
    public static List<SlideOutcome> run(JavaSparkContext spark, CohortOptions options) {
        return run(spark, options, CohortProgress.NONE).outcomes();
    }

    /**
     * Runs the cohort and writes {@code summary.csv} and {@code summary.parquet}, telling
     * {@code progress} how it goes; returns one outcome per slide, in the order given, with the
     * run's figures. Fails as a whole only when the model cannot be read or the summary cannot be written.
     */
    public static CohortReport run(JavaSparkContext spark, CohortOptions options, CohortProgress progress) {
        byte[] modelBytes = readModel(options.model());
        SegmentationModel model;
        try {
            model = ModelCodec.read(modelBytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(options.model() + ": " + e.getMessage(), e);
        }
        options.requireFits(model);
        ServerAccess server = options.server().orElse(null);
        List<String> slides = CohortSlides.list(options);
        progress.started(slides);
        CohortListener listener = new CohortListener(progress);
        spark.sc().addSparkListener(listener);
        long t0 = System.nanoTime();
        Broadcast<byte[]> sharedModel = spark.broadcast(modelBytes);
        SlideOutcome[] outcomes = new SlideOutcome[slides.size()];
        double[] openSeconds = new double[slides.size()];
        try {
            Map<Integer, SlidePlan> plans = open(spark, slides, sharedModel, server, options.resolution(), listener, outcomes,
                    openSeconds);
            for (SlideOutcome o : outcomes) {
                if (o != null) {
                    progress.failed(o);
                }
            }
            plans.values().forEach(plan -> progress.planned(plan.index(), plan.grid(options.tile()).tileCount()));
            if (!plans.isEmpty()) {
                predictAndWrite(spark, options, plans, sharedModel, server, listener, outcomes, openSeconds);
            }
        } finally {
            sharedModel.destroy();
            spark.sc().removeSparkListener(listener);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        List<SlideOutcome> all = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            all.add(outcomes[i] != null ? outcomes[i] : SlideOutcome.failed(i, slides.get(i),
                    "internal error: no result came back for this slide", 0));
        }
        Path summary = options.out().resolve("summary.csv");
        CohortSummary.write(summary, all, model.classes());
        CohortSummary.writeParquet(session(spark), options.out().resolve(CohortSummary.PARQUET), all, model.classes());
        if (options.postBack()) {
            CohortSlides.postBack(server, options.out(), all, model, "spark-" + spark.sc().applicationId());
        }
        CohortReport report = new CohortReport(all, seconds, cores(spark), summary);
        progress.finished(all, report);
        return report;
    }

    /**
     * The most cores the job's executors had at once; Spark's default parallelism (which is no count
     * of cores: at least 2 on a cluster) only for a context started without {@link #configure}.
     */
    private static int cores(JavaSparkContext spark) {
        return ExecutorCores.most(spark.sc().applicationId()).orElseGet(spark::defaultParallelism);
    }

    /** The model file's bytes, broadcast as they are. */
    private static byte[] readModel(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--model: no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stage 1: every slide opened and measured where a task runs. Fills {@code outcomes} with the
     * failures (a missing or unreadable slide, a name taken twice) and {@code seconds} with the time
     * each good slide took to open; returns the plans of the good ones.
     */
    private static Map<Integer, SlidePlan> open(JavaSparkContext spark, List<String> slides, Broadcast<byte[]> model,
                                                ServerAccess server, int resolution, CohortListener listener,
                                                SlideOutcome[] outcomes, double[] seconds) {
        List<SlideOpening.Request> requests = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < slides.size(); i++) {
            String path = slides.get(i);
            if (!names.add(SlidePlan.baseName(path))) {
                outcomes[i] = SlideOutcome.failed(i, path, "another slide of the cohort has the same name "
                        + SlidePlan.baseName(path) + ": its results would overwrite the other's", 0);
            } else {
                requests.add(new SlideOpening.Request(i, path));
            }
        }
        Map<Integer, SlidePlan> plans = new HashMap<>();
        if (requests.isEmpty()) {
            return plans;
        }
        List<List<SlideOpening.Request>> groups = SlideOpening.groups(requests,
                Math.min(requests.size(), 4 * spark.defaultParallelism()));
        listener.opening(groups);
        for (SlideOpening.Opened o : spark.parallelize(groups, groups.size()).setName(CohortListener.OPEN)
                .flatMap(new SlideOpening(model, server, resolution)).collect()) {
            if (o.plan() != null) {
                plans.put(o.plan().index(), o.plan());
                seconds[o.plan().index()] = o.seconds();
            } else {
                outcomes[o.failure().index()] = o.failure();
            }
        }
        return plans;
    }

    /** Stages 2 and 3: the good slides' tiles predicted in bands, then regrouped by slide and written. */
    private static void predictAndWrite(JavaSparkContext spark, CohortOptions options, Map<Integer, SlidePlan> plans,
                                        Broadcast<byte[]> model, ServerAccess server, CohortListener listener,
                                        SlideOutcome[] outcomes, double[] openSeconds) {
        List<TileBand> bands = new ArrayList<>();
        int tilesPerTask = spark.getConf().getInt(TILES_PER_TASK, TILES_PER_BAND);
        if (tilesPerTask < 1) {
            throw new IllegalArgumentException(TILES_PER_TASK + " must be at least 1, not " + tilesPerTask);
        }
        plans.keySet().stream().sorted().forEach(i -> bands.addAll(TileBand.of(plans.get(i), options.tile(), tilesPerTask)));
        listener.predicting(bands, plans, options.tile());
        listener.writing(outcomes.length, plans);
        Broadcast<Map<Integer, SlidePlan>> sharedPlans = spark.broadcast(plans);
        try {
            List<SlideOutcome> written = spark.parallelize(bands, bands.size()).setName(CohortListener.PREDICT)
                    .mapPartitionsToPair(new TilePrediction(model, sharedPlans, options.tile(), server, options.resolution()))
                    .repartitionAndSortWithinPartitions(new SlidePartitioner(outcomes.length))
                    .mapPartitions(new SlideWriting(model, sharedPlans, options.out().toString(), options.tile(),
                            options.cleaning(), options.omitted())).setName(CohortListener.WRITE)
                    .collect();
            for (SlideOutcome o : written) {
                outcomes[o.index()] = o.plusSeconds(openSeconds[o.index()]);
            }
            listener.awaitWritten(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sharedPlans.destroy();
        }
    }

    /** The SQL session over the job's context (getOrCreate finds the running context, starts none). */
    static SparkSession session(JavaSparkContext spark) {
        return SparkSession.builder().getOrCreate();
    }
}
