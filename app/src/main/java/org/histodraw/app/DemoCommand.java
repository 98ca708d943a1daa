package org.histodraw.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.histodraw.app.demo.DemoRequest;
import org.histodraw.app.demo.DemoRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code histodraw demo}: the whole job on the demo image and regions shipped with HistoDraw. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Segment the shipped demo image (IHC, colonic glands) with its shipped training regions.")
public final class DemoCommand implements Callable<Integer> {
    private final DemoRunner runner;
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/demo",
            description = "Folder for the results (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per processor).")
    Integer threads;

    public DemoCommand(DemoRunner runner, Terminal terminal) {
        this.runner = runner;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        run(request());
        return 0;
    }

    void run(DemoRequest request) {
        runner.run(request, terminal);
    }

    DemoRequest request() {
        Checks checks = new Checks(spec);
        int threadCount = threads == null ? Checks.defaultThreads() : threads;
        checks.range("--threads", threadCount, 1, 1024);
        Checks.usableFolder("--out", out);
        return new DemoRequest(out, threadCount);
    }
}
