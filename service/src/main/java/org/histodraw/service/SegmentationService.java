package org.histodraw.service;

import io.javalin.Javalin;
import java.nio.file.Path;
import org.histodraw.client.ServerClient;
import org.histodraw.service.access.HostCheck;
import org.histodraw.service.jobs.Jobs;
import org.histodraw.service.models.ModelStores;
import org.histodraw.service.web.ServiceApi;
import org.histodraw.service.workspace.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmentation service: its own HTTP server (API and page) in front of the annotation server.
 * It holds no token: each caller's own token comes with their requests, and the service acts on
 * the server with it, in a workspace per user and project (docs/service.md). Start it with
 * {@link #start}; {@link #close} stops it (a running job is cancelled and its staging dropped).
 */
public final class SegmentationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationService.class);
    /** Workspaces kept at most (each holds a model and the pixels fetched for it). */
    static final int WORKSPACES = 16;
    /** A workspace unused this long is dropped. */
    static final long IDLE_MILLIS = 30 * 60_000L;

    private final Javalin app;
    private final Jobs jobs;
    private final Workspaces workspaces;
    private final String url;

    private SegmentationService(Javalin app, Jobs jobs, Workspaces workspaces, String url) {
        this.app = app;
        this.jobs = jobs;
        this.workspaces = workspaces;
        this.url = url;
    }

    /** Starts the service; an administrator lists it on the server ({@code POST /api/v1/services}) so the viewer offers it. */
    public static SegmentationService start(ServiceConfig config) {
        Path data = config.dataDir().toAbsolutePath();
        ServerClient server = new ServerClient(config.server(), null);
        Workspaces workspaces = new Workspaces(server, config.threads(), config.debounceMillis(), WORKSPACES, IDLE_MILLIS);
        Jobs jobs = new Jobs(server, config.limits(), data);
        Javalin app;
        try {
            ServiceApi api = new ServiceApi(new ServiceApi.Settings(config.name(), config.threads(), config.effectiveViewerScript(),
                    config.limits()), server, new HostCheck(config.bindAddress(), config.publicUrl(), config.allowedHosts()),
                    workspaces, new ModelStores(data.resolve("models")), jobs);
            app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = config.bindAddress();
                c.jetty.port = config.port();
                c.http.maxRequestSize = 8L << 20;
                api.register(c.routes);
            });
            app.start();
        } catch (RuntimeException e) {
            jobs.close();
            workspaces.close();
            throw e;
        }
        String url = config.publicUrl() != null ? config.publicUrl()
                : "http://" + (config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress()) + ":" + app.port() + "/";
        LOG.info("HistoDraw segmentation service on {} (server {}, data in {}); an administrator lists it on the server with "
                + "POST /api/v1/services {\"name\": \"{}\", \"url\": \"{}\"}", url, config.server(), data, config.name(), url);
        return new SegmentationService(app, jobs, workspaces, url);
    }

    public int port() {
        return app.port();
    }

    /** The service's page, e.g. http://127.0.0.1:8090/ */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        jobs.close();
        workspaces.close();
        app.stop();
    }
}
