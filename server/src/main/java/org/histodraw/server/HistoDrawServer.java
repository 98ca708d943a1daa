package org.histodraw.server;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.histodraw.server.api.ApiRoutes;
import org.histodraw.server.api.Backend;
import org.histodraw.server.api.Errors;
import org.histodraw.server.api.Http;
import org.histodraw.server.api.JsonErrorHandler;
import org.histodraw.server.api.RouteTable;
import org.histodraw.server.api.TileRequestHandler;
import org.histodraw.server.auth.AccessControl;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.LoginThrottle;
import org.histodraw.server.auth.PasswordHasher;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.collab.LiveHub;
import org.histodraw.server.overlay.OverlayPrerender;
import org.histodraw.server.overlay.OverlayTiles;
import org.histodraw.server.store.Accounts;
import org.histodraw.server.store.Database;
import org.histodraw.server.store.IngestJobStore;
import org.histodraw.server.store.Instances;
import org.histodraw.server.store.LoginAttempts;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.server.tiles.IngestJobs;
import org.histodraw.slides.io.SlideImages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotation server: {@code HistoDrawServer.start(ServerConfig.defaults())} opens (and migrates)
 * the database, and serves the API, the tiles and the web front end until {@link #close()}.
 */
public final class HistoDrawServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoDrawServer.class);

    private final Backend backend;
    private final Javalin app;
    private final List<String> routes;
    private final Instances.Membership membership;

    private HistoDrawServer(Backend backend, Javalin app, List<String> routes, Instances.Membership membership) {
        this.backend = backend;
        this.app = app;
        this.routes = routes;
        this.membership = membership;
    }

    public static HistoDrawServer start(ServerConfig config) {
        Path dataDir = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(dataDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
        }
        Database db = Database.open(config.effectiveDatabaseUrl(), config.databaseUser(), config.databasePassword());
        Instances.Membership membership = null;
        try {
            membership = new Instances(db).join(db.instanceId(), hostName(), ProcessHandle.current().pid(),
                    config.bindAddress() + ":" + config.port());
            Accounts accounts = new Accounts(db);
            Projects projects = new Projects(db);
            Slides slides = new Slides(db);
            PasswordHasher passwords = new PasswordHasher(config.passwordCost());
            if (config.adminUser() != null && accounts.userCount() == 0) {
                accounts.createUser(config.adminUser(), passwords.hash(config.adminPassword()), true);
                LOG.info("created the administrator account {}", config.adminUser());
            }
            Authenticator auth = new Authenticator(accounts, config.sessionHours() * 3_600_000L, db.broadcast());
            AccessControl access = new AccessControl(projects, db.broadcast());
            IngestJobs ingest = new IngestJobs(slides, new IngestJobStore(db), config.slidesDir(), config.uploadsDir(),
                    dataDir.resolve("tmp"), config.tileFormat(), config.slideLimits(), db.broadcast());
            Regions regions = new Regions(db);
            LiveHub live = new LiveHub(regions, db.broadcast(), config.rateLimits().cursorsPerSecond());
            // Open websockets are re-checked whenever access may have shrunk (and every few seconds,
            // for changes made by another instance or by time: an expired token).
            auth.onChange(live::recheck);
            access.onChange(live::recheck);
            OverlayPrerender prerender = new OverlayPrerender(regions, slides, projects, dataDir.resolve("overlays"));
            Backend backend = new Backend(config.apiSettings(), db, accounts, projects, slides, regions, passwords, auth,
                    access, new LoginThrottle(new LoginAttempts(db), config.rateLimits()), ingest, live, prerender,
                    new OverlayTiles(regions, projects, prerender));
            RouteTable[] table = new RouteTable[1];
            TileRequestHandler fastTiles = new TileRequestHandler(ingest.tiles(), auth, access);
            Javalin app = Javalin.create(c -> {
                // Tiles are most of the requests: a plain Jetty handler answers them ahead of the
                // servlet layer; Javalin joins this sequence and gets everything it leaves.
                c.jetty.modifyServer(server -> {
                    server.setHandler(new Handler.Sequence(fastTiles));
                    server.setErrorHandler(new JsonErrorHandler());
                });
                c.startup.showJavalinBanner = false;
                c.jetty.host = config.bindAddress();
                c.jetty.port = config.port();
                c.jetty.multipartConfig.cacheDirectory(dataDir.resolve("tmp").toString());
                c.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
                c.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes() + (1 << 20), SizeUnit.BYTES);
                c.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
                c.http.maxRequestSize = Http.MAX_BODY_BYTES;
                if (HistoDrawServer.class.getResource("/web/index.html") != null) {
                    c.staticFiles.add(sf -> {
                        sf.hostedPath = "/";
                        sf.directory = "/web";
                        sf.location = Location.CLASSPATH;
                    });
                } else {
                    c.routes.get("/", ctx -> ctx.html("<!doctype html><title>HistoDraw</title><p>HistoDraw server is running. "
                            + "The web front end is not in this build; the API is at <a href=\"/api/openapi.json\">/api/openapi.json</a>."));
                }
                Errors.install(c.routes);
                c.routes.before("/api/*", ctx -> {
                    Principal p = Http.principal(ctx, auth);
                    if (!ctx.path().equals("/api/v1/auth/login")) {
                        auth.checkCsrf(p, ctx.method().name(), ctx.header(Authenticator.CSRF_HEADER));
                    }
                });
                table[0] = new RouteTable(c.routes);
                ApiRoutes.register(table[0], backend);
            });
            app.start();
            live.start();
            backend.overlays().catchUp();
            LOG.info("HistoDraw server on http://{}:{}/ (data in {})", config.bindAddress(), app.port(), dataDir);
            // OpenSlide is loaded now, beside the start: the first vendor slide uploaded does not wait for it.
            Thread.ofVirtual().name("openslide-load").start(
                    () -> LOG.info("vendor slide formats (SVS, NDPI, MRXS, SCN, ...): {}", SlideImages.vendorFormatReader()));
            return new HistoDrawServer(backend, app, table[0].entries(), membership);
        } catch (RuntimeException | Error e) {
            if (membership != null) {
                membership.close();
            }
            db.close();
            throw e;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    /** The port the server listens on (the one picked when the configuration said 0). */
    public int port() {
        return app.port();
    }

    /**
     * Ingests an image file the server can read into a series, in the calling thread (the CLI's
     * {@code histodraw ingest}); returns the new slice. Fails with a SlideException for unusable files.
     */
    public Slice ingest(long seriesId, Path file, String name, Double position) {
        return ingest(seriesId, file, name, position, null);
    }

    /** As above, recording {@code micronsPerPixel} (null: the pixel size the file gives, if any). */
    public Slice ingest(long seriesId, Path file, String name, Double position, Double micronsPerPixel) {
        return ingest(seriesId, file, name, position, micronsPerPixel, false);
    }

    /** As above; {@code link} records the file where it is instead of copying it into the data folder. */
    public Slice ingest(long seriesId, Path file, String name, Double position, Double micronsPerPixel, boolean link) {
        backend.slides().series(seriesId).orElseThrow(() -> new NotFound("no series " + seriesId));
        return backend.ingest().ingestNow(seriesId, file, name, position, micronsPerPixel, link);
    }

    public Backend backend() {
        return backend;
    }

    /** "METHOD /path" of every API, tile and websocket route, as registered. */
    public List<String> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
        backend.live().close();
        backend.overlays().close();
        backend.ingest().close();
        membership.close();
        backend.db().close();
    }
}
