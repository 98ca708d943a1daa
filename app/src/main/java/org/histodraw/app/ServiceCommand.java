package org.histodraw.app;

import java.net.URI;
import java.nio.file.Path;
import org.histodraw.service.SegmentationService;
import org.histodraw.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code histodraw service}: the segmentation service in front of an annotation server, until stopped. */
@Command(name = "service", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the segmentation service: it fetches regions and pixels from an annotation server",
                "through its public API, trains, previews, applies the model to a series and sends the polygons back",
                "into the layer \"generated\". Its page is at http://BIND:PORT/. Stop it with Ctrl-C."})
public final class ServiceCommand extends HistoDrawCommand {
    @Option(names = "--server", paramLabel = "URL", required = true,
            description = "The annotation server, e.g. http://127.0.0.1:8080")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An API token of the project (scopes read and write); default: HISTODRAW_TOKEN.")
    String token;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). The service acts with its token for whoever reaches it.")
    String bind;

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
        String secret = token != null ? token : System.getenv("HISTODRAW_TOKEN");
        if (secret == null || secret.isBlank()) {
            throw new UserError("--token: give the project's API token (or set HISTODRAW_TOKEN); the project owner makes one "
                    + "with POST /api/v1/projects/{id}/tokens");
        }
        ServiceConfig config = ServiceConfig.of(url, secret, data).withPort(port).withBindAddress(bind);
        return threads.given() ? config.withThreads(threadCount) : config;
    }
}
