package org.histodraw.app;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.service.SegmentationService;
import org.histodraw.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code histodraw service}: the segmentation service in front of an annotation server, until stopped. */
@Command(name = "service", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the segmentation service: it fetches regions and pixels from an annotation server",
                "through its public API, trains, previews, applies the model to a series and sends the polygons back",
                "into the layer \"generated\". Every caller sends their own token of the server (the viewer gets one",
                "for its user); the service acts with it. Its page is at http://BIND:PORT/. Stop it with Ctrl-C."})
public final class ServiceCommand extends HistoDrawCommand {
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

    @Mixin
    ThreadsOption threads;

    public ServiceCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws InterruptedException {
        ServiceConfig config = config();
        try (SegmentationService service = SegmentationService.start(config)) {
            terminal.out().println("HistoDraw segmentation service on " + service.url() + " for " + config.server()
                    + " (data in " + config.dataDir().toAbsolutePath() + "); Ctrl-C stops it");
            terminal.out().flush();
            terminal.untilStopped();
        }
        return 0;
    }

    ServiceConfig config() {
        Checks checks = checks();
        checks.range("--port", port, 0, 65_535);
        int threadCount = threads.count(checks);
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
        if (threads.given()) {
            config.threads(threadCount);
        }
        return config.build();
    }
}
