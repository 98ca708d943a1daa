package org.histodraw.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.histodraw.app.bench.BenchRequest;
import org.histodraw.app.bench.BenchRunner;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.engine.forest.ForestSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code histodraw bench}: times the feature bank, training and tiled prediction. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time features, training and tiled prediction on a test slide: a mosaic of real images",
                "with their scribbles (the gbm-nuclei folder when --images is given or found, else the demo image).",
                "Prints seconds, Mpx/s and peak heap per stage, and a JSON line for bench/compare-with-reference.sh."})
public final class BenchCommand extends HistoDrawCommand {
    private final BenchRunner runner;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "4096",
            description = "Side of the square test slide in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--images", paramLabel = "DIR",
            description = "A folder of NN.png images with NN_scribbles.png labels (and NN_truth.png) to build the mosaic from.")
    Path images;

    @Option(names = "--write-inputs", paramLabel = "DIR",
            description = "Also write the mosaic and its labels as image.png and labels.png (for the reference stack).")
    Path writeInputs;

    @Option(names = "--features", paramLabel = "TEXT", description = "Feature settings (default: the engine's standard set).")
    String features;

    @Option(names = "--trees", paramLabel = "N", defaultValue = "" + ForestSettings.DEFAULT_TREES, description = "Trees (default: ${DEFAULT-VALUE}).")
    int trees;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "16", description = "Maximum tree depth (default: ${DEFAULT-VALUE}).")
    int depth;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--no-warm-up", negatable = false,
            description = "Time the first run too, JIT compilation included (default: warm up on a small corner first).")
    boolean noWarmUp;

    public BenchCommand(BenchRunner runner, Terminal terminal) {
        super(terminal);
        this.runner = runner;
    }

    @Override
    public Integer call() {
        run(request());
        return 0;
    }

    void run(BenchRequest request) {
        runner.run(request, terminal);
    }

    BenchRequest request() {
        Checks checks = checks();
        checks.range("--size", size, 256, 65_536);
        int threadCount = threads.count(checks);
        if (images != null && !Files.isDirectory(images)) {
            throw new UserError("--images: no such folder: " + images);
        }
        checks.range("--trees", trees, 1, 10_000);
        checks.range("--depth", depth, 1, 64);
        return new BenchRequest(size, Optional.ofNullable(images), threadCount, Optional.ofNullable(writeInputs),
                Optional.ofNullable(features), trees, depth, !noWarmUp);
    }
}
