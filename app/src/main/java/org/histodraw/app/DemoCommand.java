package org.histodraw.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.demo.DemoRequest;
import org.histodraw.app.demo.DemoRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code histodraw demo}: the app on its embedded defaults with a demo project (server, viewer and
 * the shipped IHC slices and regions); {@code --batch} runs the segmentation job once instead.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start HistoDraw on its embedded defaults with a demo project (IHC slices of colonic glands and training regions),",
                "at http://127.0.0.1:PORT/; --batch segments the demo image once and writes files instead."})
public final class DemoCommand extends HistoDrawCommand {
    private final DemoRunner runner;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "histodraw-demo",
            description = "The demo server's data folder (default: ${DEFAULT-VALUE}); delete it to start afresh.")
    Path data;

    @Option(names = "--batch", description = "Segment the demo image once and write the results to --out (no server).")
    boolean batch;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/demo",
            description = "Folder for the --batch results (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ThreadsOption threads;

    public DemoCommand(DemoRunner runner, Terminal terminal) {
        super(terminal);
        this.runner = runner;
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
        Checks checks = checks();
        int threadCount = threads.count(checks);
        checks.range("--port", port, 0, 65_535);
        if (batch) {
            Checks.usableFolder("--out", out);
        } else {
            Checks.usableFolder("--data", data);
        }
        return new DemoRequest(batch, out, threadCount, data, port);
    }
}
