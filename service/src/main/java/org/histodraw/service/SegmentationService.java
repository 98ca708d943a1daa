package org.histodraw.service;

import io.javalin.Javalin;
import java.nio.file.Path;
import org.histodraw.client.ServerClient;
import org.histodraw.client.ServerException;
import org.histodraw.service.jobs.Jobs;
import org.histodraw.service.live.Workbench;
import org.histodraw.service.models.ModelStore;
import org.histodraw.service.preview.PreviewTiles;
import org.histodraw.service.training.Trainer;
import org.histodraw.service.web.ServiceApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmentation service: its own HTTP server (API and page) in front of a client of the
 * annotation server. Start it with {@link #start}; {@link #close} stops it (a running job is
 * cancelled and its staging dropped).
 */
public final class SegmentationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationService.class);

    private final Javalin app;
    private final Jobs jobs;
    private final Workbench workbench;
    private final String url;

    private SegmentationService(Javalin app, Jobs jobs, Workbench workbench, String url) {
        this.app = app;
        this.jobs = jobs;
        this.workbench = workbench;
        this.url = url;
    }

    /** Starts the service and registers it with the server (when the token may; else says how). */
    public static SegmentationService start(ServiceConfig config) {
        Path data = config.dataDir().toAbsolutePath();
        ServerClient server = new ServerClient(config.server(), config.token());
        Trainer trainer = new Trainer(server, config.threads());
        Workbench workbench = new Workbench(server, trainer, config.debounceMillis());
        ModelStore models = new ModelStore(data.resolve("models"));
        Jobs jobs = new Jobs(server, data);
        PreviewTiles preview = new PreviewTiles(workbench, trainer, config.threads());
        ServiceApi api = new ServiceApi(config, server, trainer, workbench, models, jobs, preview);
        Javalin app;
        try {
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
            workbench.close();
            throw e;
        }
        String url = config.publicUrl() != null ? config.publicUrl()
                : "http://" + (config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress()) + ":" + app.port() + "/";
        LOG.info("HistoDraw segmentation service on {} (server {}, data in {})", url, config.server(), data);
        register(server, config.name(), url);
        return new SegmentationService(app, jobs, workbench, url);
    }

    /** Adds the service to the server's list so the viewer can offer it. Registering needs an administrator. */
    private static void register(ServerClient server, String name, String url) {
        try {
            server.registerService(name, url);
            LOG.info("registered with the server as {}", name);
        } catch (ServerException e) {
            if (e.status() == 409) {
                LOG.info("a service named {} is already registered with the server", name);
            } else if (e.status() == 401 || e.status() == 403) {
                LOG.info("not registered with the server (its token is not an administrator's): an administrator "
                        + "can add it with POST /api/v1/services {\"name\": \"{}\", \"url\": \"{}\"}", name, url);
            } else {
                LOG.warn("could not register with the server: {}", e.getMessage());
            }
        }
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
        workbench.close();
        app.stop();
    }
}
