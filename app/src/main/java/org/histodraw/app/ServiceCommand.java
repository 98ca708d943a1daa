package org.histodraw.app;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.service.SegmentationService;
import org.histodraw.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code histodraw service}: the segmentation service in front of an annotation server, until stopped. */
@Command(name = "service", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the segmentation service: it fetches regions and pixels from an annotation server",
                "through its public API, trains, previews, applies the model to a series and sends the polygons back",
                "into the layer \"generated\". Every caller sends their own token of the server (the viewer gets one",
                "for its user); the service acts with it. Its page is at http://BIND:PORT/. Stop it with Ctrl-C."})
public final class ServiceCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", required = true,
            description = "The annotation server, e.g. http://127.0.0.1:8080")
    String server;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "A host name the service answers for besides localhost, 127.0.0.1 and the bind address (repeatable; "
                    + "the Host header is checked against DNS rebinding).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "histodraw-service-data",
            description = "Folder for saved models and job records (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Tiles predicted at the same time (default: all cores).")
    Integer threads;

    public ServiceCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServiceConfig config = config();
        try (SegmentationService service = SegmentationService.start(config)) {
            terminal.out().println("HistoDraw segmentation service on " + service.url() + " for " + config.server()
                    + " (data in " + config.dataDir().toAbsolutePath() + "); Ctrl-C stops it");
            terminal.out().flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "histodraw-stop"));
            stopped.await();
        }
        return 0;
    }

    ServiceConfig config() {
        Checks checks = new Checks(spec);
        checks.range("--port", port, 0, 65_535);
        if (threads != null) {
            checks.range("--threads", threads, 1, 1024);
        }
        Checks.usableFolder("--data", data);
        URI url;
        try {
            url = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new UserError("--server: not a URL: " + server);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new UserError("--server: expected an http or https URL such as http://127.0.0.1:8080, not " + server);
        }
        ServiceConfig.Builder config = ServiceConfig.of(url, data).toBuilder().port(port).bindAddress(bind).allowedHosts(allowHosts);
        if (threads != null) {
            config.threads(threads);
        }
        return config.build();
    }
}
