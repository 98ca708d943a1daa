package org.histodraw.app;

import org.histodraw.app.cohort.CohortRequest;
import org.histodraw.app.cohort.CohortRunner;
import org.histodraw.app.segment.SegmentationRunner;
import org.histodraw.spark.CohortArguments;
import org.histodraw.spark.CohortOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.histodraw.app.console.Terminal;

/**
 * {@code histodraw cohort}: a saved model applied to many slides on Apache Spark, embedded (all
 * cores of this machine) unless {@code --master} names a cluster. The options are the Spark job's
 * own ({@link CohortArguments}), so this command and {@code spark-submit} take the same ones.
 */
@Command(name = "cohort", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Apply a saved model to a cohort of slides on Apache Spark: on all cores of this machine, or on a",
                "cluster with --master spark://HOST:7077. Per slide the files of histodraw segment --model (NAME_classes.png,",
                "NAME.geojson), and summary.csv + summary.parquet with one row per slide. Spark's log goes to DIR/cohort.log.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every slide succeeded", "1:the job could not run (model, results folder, server...)",
                "2:a bad command line", "3:some slides failed (summary.csv says why)"},
        footer = {"", "Examples:",
                "  histodraw cohort --model nuclei.hdm --slides cohort.txt --out results/cohort",
                "  histodraw cohort --model nuclei.hdm --server http://127.0.0.1:8080 --series 3 --post-back --out results/s3",
                "  histodraw cohort --model nuclei.hdm --slides /shared/cohort.txt --out /shared/results --master spark://head:7077"})
public final class CohortCommand extends HistoDrawCommand {
    private final CohortRunner runner;

    @Mixin
    CohortArguments arguments;

    public CohortCommand(CohortRunner runner, Terminal terminal) {
        super(terminal);
        this.runner = runner;
    }

    @Override
    public Integer call() {
        return runner.run(request(), terminal);
    }

    /** Checks the options (usage errors exit with 2, missing files with 1) and builds the request. */
    CohortRequest request() {
        CohortOptions options = arguments.options();
        Checks.readableFile("--model", options.model());
        SegmentationRunner.loadModel(options.model()); // a damaged model is said here, before Spark starts
        Checks.usableFolder("--out", options.out());
        boolean local = options.master().orElse(CohortOptions.DEFAULT_MASTER).startsWith("local");
        boolean debug = spec.root().commandLine().getParseResult().hasMatchedOption("--debug");
        return new CohortRequest(arguments.driverArguments(), arguments.token(), options.out(), local, debug);
    }
}
