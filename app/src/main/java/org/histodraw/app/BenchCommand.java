package org.histodraw.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.histodraw.app.bench.BenchRequest;
import org.histodraw.app.bench.BenchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code histodraw bench}: times the feature bank, training and tiled prediction. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time features, training and tiled prediction on a synthetic image (and real images if given).")
public final class BenchCommand implements Callable<Integer> {
    private final BenchRunner runner;
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "4096",
            description = "Side of the synthetic square test image in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--images", paramLabel = "DIR", description = "A folder of real images to time as well.")
    Path images;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per processor).")
    Integer threads;

    public BenchCommand(BenchRunner runner, Terminal terminal) {
        this.runner = runner;
        this.terminal = terminal;
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
        Checks checks = new Checks(spec);
        checks.range("--size", size, 256, 65_536);
        int threadCount = threads == null ? Checks.defaultThreads() : threads;
        checks.range("--threads", threadCount, 1, 1024);
        if (images != null && !Files.isDirectory(images)) {
            throw new UserError("--images: no such folder: " + images);
        }
        return new BenchRequest(size, Optional.ofNullable(images), threadCount);
    }
}
