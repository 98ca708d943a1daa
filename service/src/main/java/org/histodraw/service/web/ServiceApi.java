package org.histodraw.service.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.colour.UncertaintyRamp;
import org.histodraw.client.SeriesInfo;
import org.histodraw.client.ServerClient;
import org.histodraw.client.ServerException;
import org.histodraw.client.SliceInfo;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.service.access.Caller;
import org.histodraw.service.access.Callers;
import org.histodraw.service.access.HostCheck;
import org.histodraw.service.access.Permits;
import org.histodraw.service.access.ServiceLimits;
import org.histodraw.service.errors.ClientError;
import org.histodraw.service.jobs.ApplyJob;
import org.histodraw.service.jobs.JobSettings;
import org.histodraw.service.jobs.Jobs;
import org.histodraw.service.live.Workbench;
import org.histodraw.service.models.ModelRef;
import org.histodraw.service.models.ModelStore;
import org.histodraw.service.models.ModelStores;
import org.histodraw.service.models.SavedModel;
import org.histodraw.service.preview.PreviewTiles;
import org.histodraw.service.training.Trainer;
import org.histodraw.service.training.TrainingRegions;
import org.histodraw.service.training.TrainingRequest;
import org.histodraw.service.workspace.Workspace;
import org.histodraw.service.workspace.Workspaces;
import org.histodraw.slides.pipeline.ClassAreas;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API and page. JSON in and out; errors are {@code {"error": "..."}} with a 4xx
 * status naming the problem (502 when the annotation server cannot be reached).
 *
 * <p>Every call but the page itself and {@code /api/info} must carry a token of the annotation
 * server ({@code Authorization: Bearer}); the service acts on the server with that token only, in
 * the caller's own workspace, so it can read and write exactly what the caller may ({@link Callers}).
 * Requests whose Host header names another site are refused ({@link HostCheck}: DNS rebinding), and
 * {@link ServiceLimits} bound what one caller may ask. Requests that change something must say
 * {@code Content-Type: application/json}.
 */
public final class ServiceApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TILE = Pattern.compile("(\\d{1,7})_(\\d{1,7})\\.(png|jpg|jpeg)");
    private static final String CALLER = "histodraw.caller";
    /** Paths anyone may fetch: the page, and what it needs to send its user to sign in. */
    private static final Set<String> OPEN = Set.of("/", "/page.js", "/api/info");

    /** What the HTTP layer is told by the service's configuration. */
    public record Settings(String name, int threads, String viewerScript, ServiceLimits limits) {
    }

    private final Settings settings;
    private final ServerClient server;
    private final Callers callers;
    private final HostCheck hosts;
    private final Workspaces workspaces;
    private final ModelStores models;
    private final Jobs jobs;
    private final Permits trainings;
    private final Permits requests;

    /** @param server a client of the annotation server without a token (each caller's is added per request) */
    public ServiceApi(Settings settings, ServerClient server, HostCheck hosts, Workspaces workspaces, ModelStores models, Jobs jobs) {
        this.settings = settings;
        this.server = server;
        this.callers = new Callers(server);
        this.hosts = hosts;
        this.workspaces = workspaces;
        this.models = models;
        this.jobs = jobs;
        ServiceLimits l = settings.limits();
        this.trainings = new Permits("trainings", l.trainingsPerUser(), l.trainings());
        this.requests = new Permits("requests", l.requestsPerUser(), l.requests());
    }

    public void register(RoutesConfig r) {
        r.exception(ClientError.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            error(ctx, e.status(), e.getMessage());
        });
        r.exception(ServerException.class, (e, ctx) -> error(ctx, e.status() >= 400 && e.status() < 500 ? e.status() : 502,
                "annotation server: " + e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            LoggerFactory.getLogger(ServiceApi.class).error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the service log");
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        // The viewer of the annotation server (another origin) calls the API and loads the preview
        // tiles from the server's pages, sending the server token it obtained as Authorization: Bearer.
        // No other site may.
        Set<String> viewerOrigins = viewerOrigins(server.server());
        r.before(ctx -> hosts.check(ctx.host()));
        for (String path : List.of("/api/*", "/preview/*")) {
            r.before(path, ctx -> {
                String origin = ctx.header("Origin");
                if (origin != null && viewerOrigins.contains(origin)) {
                    ctx.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
                }
            });
            r.options(path, ctx -> {
                String origin = ctx.header("Origin");
                if (origin != null && viewerOrigins.contains(origin)) {
                    ctx.header("Access-Control-Allow-Methods", "GET, POST")
                            .header("Access-Control-Allow-Headers", "Content-Type, Authorization").header("Access-Control-Max-Age", "600");
                }
                ctx.status(204);
            });
        }
        r.before(ctx -> {
            String m = ctx.method().name();
            if (m.equals("OPTIONS") || OPEN.contains(ctx.path())) {
                return;
            }
            ctx.attribute(CALLER, callers.of(ctx.header("Authorization")));
            if ((m.equals("POST") || m.equals("PUT") || m.equals("DELETE"))
                    && !String.valueOf(ctx.header("Content-Type")).startsWith("application/json")) {
                throw ClientError.badRequest(m + " requests need Content-Type: application/json");
            }
        });

        r.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
        r.get("/page.js", ctx -> page(ctx, "page.js", "text/javascript; charset=utf-8"));

        r.get("/api/info", this::info);
        r.get("/api/me", ctx -> json(ctx, me(caller(ctx))));
        r.get("/api/projects", ctx -> json(ctx, workspace(ctx).server().projects()));
        r.get("/api/projects/{p}/series", ctx -> json(ctx, workspace(ctx).server().seriesOf(id(ctx, "p"))));
        r.get("/api/series/{s}", ctx -> json(ctx, workspace(ctx).server().series(id(ctx, "s"))));
        r.get("/api/slices/{id}/classes", this::classesOf);

        r.post("/api/train", this::train);
        r.get("/api/state", ctx -> state(ctx, workspace(ctx).workbench()));

        r.get("/api/models", ctx -> json(ctx, models(ctx).list()));
        r.post("/api/models", this::saveModel);
        r.post("/api/models/import", this::importModel);
        r.post("/api/models/{name}/{version}/use", this::useModel);

        r.get("/api/jobs", ctx -> json(ctx, jobs.list(caller(ctx))));
        r.post("/api/jobs", this::startJob);
        r.get("/api/jobs/{id}", ctx -> json(ctx, jobs.view(caller(ctx), ctx.pathParam("id")).orElseThrow(() -> notFound(ctx))));
        r.post("/api/jobs/{id}/cancel", this::cancelJob);
        r.get("/api/jobs/{id}/areas", ctx -> json(ctx, areas(ctx)));
        r.get("/api/jobs/{id}/areas.csv", this::areasCsv);

        r.get("/preview/{id}/slide.dzi", ctx -> ctx.contentType("application/xml").result(workspace(ctx).preview().dzi(id(ctx, "id"))));
        r.get("/preview/{id}/slide_files/{level}/{tile}", this::previewTile);
        // The slide's own pyramid, fetched with the caller's token.
        r.get("/slides/{id}/slide.dzi", ctx -> proxy(ctx, "/slides/" + id(ctx, "id") + "/slide.dzi"));
        r.get("/slides/{id}/slide_files/{level}/{tile}", ctx -> {
            Matcher m = TILE.matcher(ctx.pathParam("tile"));
            if (!ctx.pathParam("level").matches("\\d{1,2}") || !m.matches()) {
                throw ClientError.badRequest("tile path must be slide_files/{level}/{column}_{row}.{jpg|png}");
            }
            proxy(ctx, "/slides/" + id(ctx, "id") + "/slide_files/" + ctx.pathParam("level") + "/" + ctx.pathParam("tile"));
        });
    }

    // ---- plumbing

    private static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("no caller on " + ctx.path() + ": the route is not behind the token check");
        }
        return c;
    }

    private Workspace workspace(Context ctx) {
        return workspaces.of(caller(ctx));
    }

    private ModelStore models(Context ctx) {
        return models.of(caller(ctx).projectId());
    }

    private static void requireWrite(Caller c, String what) {
        if (!c.canWrite()) {
            throw ClientError.forbidden(what + " needs a token with the write scope of an editor of project " + c.projectId());
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(write(Map.of("error", message == null ? "error" : message)));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static void json(Context ctx, Object value) {
        ctx.contentType("application/json").result(write(value));
    }

    private static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            throw ClientError.badRequest("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!n.isObject()) {
            throw ClientError.badRequest("the body must be a JSON object");
        }
        return n;
    }

    private static long id(Context ctx, String name) {
        String v = ctx.pathParam(name);
        if (!v.matches("\\d{1,18}")) {
            throw ClientError.badRequest(name + " must be a whole number: " + v);
        }
        return Long.parseLong(v);
    }

    private static ClientError notFound(Context ctx) {
        return ClientError.notFound("no job " + ctx.pathParam("id") + " in your project");
    }

    private void page(Context ctx, String name, String type) throws IOException {
        try (InputStream in = ServiceApi.class.getResourceAsStream("/org/histodraw/service/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("page file missing from the build: " + name);
            }
            ctx.contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
        }
    }

    private void proxy(Context ctx, String path) {
        try (Permits.Held held = requests.take(caller(ctx))) {
            ServerClient.Fetched f = workspace(ctx).server().fetch(path);
            ctx.contentType(f.contentType()).header("Cache-Control", "private, max-age=3600").result(f.body());
        }
    }

    // ---- endpoints

    private void info(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", settings.name());
        out.put("server", server.server().toString());
        out.put("threads", settings.threads());
        out.put("layer", JobSettings.GENERATED);
        out.put("viewerScript", settings.viewerScript());
        out.put("uncertaintyRamp", UncertaintyRamp.css());
        out.put("stains", List.of("he", "hdab", "rgb"));
        out.put("defaultFeatures", FeatureSettings.defaults().toText());
        ServiceLimits l = settings.limits();
        out.put("limits", l);
        json(ctx, out);
    }

    private static Map<String, Object> me(Caller c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", c.username());
        out.put("project", c.projectId());
        out.put("canWrite", c.canWrite());
        return out;
    }

    /** The classes drawn on a slice (human layer): name, colour and how many regions. */
    private void classesOf(Context ctx) {
        long slice = id(ctx, "id");
        JsonNode fc;
        try {
            fc = JSON.readTree(workspace(ctx).server().regions(slice, Trainer.HUMAN_LAYER));
        } catch (IOException e) {
            throw new ServerException(0, "the server sent malformed regions: " + e.getMessage());
        }
        Map<String, Map<String, Object>> classes = new LinkedHashMap<>();
        for (JsonNode f : fc.path("features")) {
            JsonNode cls = f.path("properties").path("classification");
            String name = cls.isTextual() ? cls.asText() : cls.path("name").asText(null);
            if (name == null || name.isBlank()) {
                continue;
            }
            Map<String, Object> c = classes.computeIfAbsent(name, n -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", n);
                int rgb = TrainingRegions.colourOf(cls.path("color"));
                m.put("color", rgb < 0 ? null : Trainer.hex(rgb));
                m.put("regions", 0);
                return m;
            });
            c.put("regions", (Integer) c.get("regions") + 1);
        }
        json(ctx, new ArrayList<>(classes.values()));
    }

    /**
     * {slices, classes?, live?, features?, trees?, depth?, overview?}: trains in the caller's workspace,
     * within the limits (checked before anything is fetched) and one training of theirs at a time;
     * {@code overview} (2, 4 or 8) also trains the overview that tissue maps and coarse-to-fine jobs use.
     */
    private void train(Context ctx) {
        Caller caller = caller(ctx);
        JsonNode b = body(ctx);
        ServiceLimits l = settings.limits();
        List<Long> slices = new ArrayList<>();
        for (JsonNode s : b.path("slices")) {
            if (!s.canConvertToLong()) {
                throw ClientError.badRequest("\"slices\" must be slice ids: " + s);
            }
            slices.add(s.asLong());
        }
        if (slices.size() > l.maxTrainingSlices()) {
            throw ClientError.badRequest("train on at most " + l.maxTrainingSlices() + " slices, not " + slices.size());
        }
        List<String> classes = new ArrayList<>();
        for (JsonNode c : b.path("classes")) {
            classes.add(c.asText());
        }
        FeatureSettings features = features(b.path("features"), l); // null: chosen from the slices and their regions
        // The project's stain fixes the channels of chosen features; their scales are still chosen.
        ChannelSet channels = b.hasNonNull("stain") && features == null ? channelsOf(b.get("stain").asText()) : null;
        StainVectors stainVectors = null;
        if (b.hasNonNull("stainVectors") && features == null) {
            // A project's own stain vectors unmix its stain's channels (H&E when no stain is named);
            // the scales are still chosen from the labelled regions.
            channels = channels == null ? FeatureSettings.defaults().channels() : channels;
            stainVectors = stainVectors(channels, b.get("stainVectors").asText());
        }
        ForestSettings forest = forest(b, l);
        int overview = b.has("overview") ? whole(b.get("overview"), "overview") : 0; // 2, 4 or 8: for tissue maps
        boolean live = !b.has("live") || b.get("live").asBoolean();
        Workspace w = workspace(ctx);
        TrainingRequest request = new TrainingRequest(slices, classes, features, channels, stainVectors, forest, overview);
        try (Permits.Held held = trainings.take(caller)) {
            w.workbench().train(request, live);
        }
        state(ctx, w.workbench());
    }

    /** The feature bank asked for (null when absent: chosen at training), refused past the limits before it is built. */
    static FeatureSettings features(JsonNode text, ServiceLimits l) {
        if (text.isMissingNode() || text.isNull()) {
            return null;
        }
        if (!text.isTextual() || text.asText().length() > 2000) {
            throw ClientError.badRequest("\"features\" must be a feature bank as text, e.g. kinds=gaussian,gradient;sigmas=1,2.5;channels=he");
        }
        FeatureSettings f;
        try {
            f = FeatureSettings.parse(text.asText());
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest("features: " + e.getMessage());
        }
        if (f.sigmas().size() > l.maxSigmas()) {
            throw ClientError.badRequest("features: at most " + l.maxSigmas() + " sigmas, not " + f.sigmas().size());
        }
        double largest = f.sigmas().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (largest > l.maxSigma()) {
            throw ClientError.badRequest("features: sigmas up to " + l.maxSigma() + " pixels, not " + largest);
        }
        if (f.featureCount() > l.maxFeatures()) {
            throw ClientError.badRequest("features: at most " + l.maxFeatures() + " features per pixel, this bank has " + f.featureCount());
        }
        return f;
    }

    static ForestSettings forest(JsonNode b, ServiceLimits l) {
        ForestSettings forest = ForestSettings.defaults();
        if (b.has("trees")) {
            int trees = whole(b.get("trees"), "trees");
            if (trees < 1 || trees > l.maxTrees()) {
                throw ClientError.badRequest("trees must be 1.." + l.maxTrees() + ", not " + b.get("trees"));
            }
            forest = forest.toBuilder().trees(trees).build();
        }
        if (b.has("depth")) {
            int depth = whole(b.get("depth"), "depth");
            if (depth < 1 || depth > l.maxDepth()) {
                throw ClientError.badRequest("depth must be 1.." + l.maxDepth() + ", not " + b.get("depth"));
            }
            forest = forest.toBuilder().maxDepth(depth).build();
        }
        return forest;
    }

    private static int whole(JsonNode n, String name) {
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw ClientError.badRequest(name + " must be a whole number, not " + n);
        }
        return n.asInt();
    }

    /**
     * The channels of the project's stain: H&E trains on hematoxylin and eosin, H-DAB on
     * hematoxylin and DAB (IHC), RGB on the colour channels.
     */
    static ChannelSet channelsOf(String stain) {
        return switch (stain) {
            case "he" -> ChannelSet.HEMATOXYLIN_EOSIN;
            case "hdab" -> ChannelSet.HEMATOXYLIN_DAB;
            case "rgb" -> ChannelSet.RGB;
            default -> throw ClientError.badRequest("stain must be he, hdab or rgb: " + stain);
        };
    }

    /**
     * The project's own stain vectors ({@code r,g,b/r,g,b}, e.g. estimated from a slide) in place of
     * the preset of the stain's channels; the trained model records them in its feature settings.
     */
    static StainVectors stainVectors(ChannelSet channels, String vectors) {
        StainVectors preset = channels.presetStains();
        if (preset == null) {
            throw ClientError.badRequest("stain vectors need a stain with two stains (he or hdab), not "
                    + channels.token());
        }
        try {
            return StainVectors.parse(vectors, preset);
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest("stain vectors: " + e.getMessage());
        }
    }

    private void state(Context ctx, Workbench workbench) {
        Map<String, Object> out = new LinkedHashMap<>();
        Workbench.Current c = workbench.current();
        out.put("version", c == null ? 0 : c.version());
        if (c != null) {
            out.put("model", Map.of("id", c.model().id(), "name", c.ref().name(), "version", c.ref().version(),
                    "trainingSlices", c.ref().trainingSlices(), "features", c.model().features().toText(),
                    "overview", c.model().overview() == null ? 0 : c.model().overview().resolution()));
            out.put("report", c.report());
            out.put("live", c.live());
            out.put("lastError", c.lastError());
            out.put("classes", c.request() == null ? List.of() : c.request().classes());
            out.put("trainedAt", c.trainedAt());
        }
        out.put("retrainings", workbench.retrainings());
        json(ctx, out);
    }

    private static Workbench.Current requireModel(Workspace w) {
        Workbench.Current c = w.workbench().current();
        if (c == null) {
            throw ClientError.conflict("no model yet: train one (POST /api/train) or use a saved one");
        }
        return c;
    }

    private void saveModel(Context ctx) {
        Caller caller = caller(ctx);
        requireWrite(caller, "saving a model for the project");
        JsonNode b = body(ctx);
        Workbench.Current c = requireModel(workspace(ctx));
        SavedModel saved = models(ctx).save(ModelStore.checkName(b.path("name").asText(null)), c.model(),
                c.ref().trainingSlices(), server.server().toString());
        ctx.status(201);
        json(ctx, saved);
    }

    /**
     * {@code {"name": n, "file": base64 of an .hdm model file, "trainingSlices": [ids]?}}: a model
     * trained elsewhere (in the viewer, by the engine compiled for the browser) saved as the next
     * version of {@code name}, to be used or applied to a series like any saved model.
     */
    private void importModel(Context ctx) {
        requireWrite(caller(ctx), "saving a model for the project");
        JsonNode b = body(ctx);
        String name = ModelStore.checkName(b.path("name").asText(null));
        byte[] file;
        try {
            file = Base64.getDecoder().decode(b.path("file").asText(""));
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest("file must be the model file in Base64: " + e.getMessage());
        }
        if (file.length == 0) {
            throw ClientError.badRequest("file (the .hdm model file in Base64) is missing");
        }
        SegmentationModel model;
        try {
            model = ModelCodec.read(file);
        } catch (RuntimeException e) {
            throw ClientError.badRequest("not a model file: " + e.getMessage());
        }
        List<Long> slices = new ArrayList<>();
        for (JsonNode s : b.path("trainingSlices")) {
            slices.add(s.asLong());
        }
        ctx.status(201);
        json(ctx, models(ctx).save(name, model, slices, server.server().toString()));
    }

    /**
     * The origins (scheme://host[:port], as a browser sends them) of the annotation server's pages:
     * its URL's, and on the loopback interface also the other names of this machine (a server at
     * 127.0.0.1:8080 is opened as localhost:8080 as often).
     */
    static Set<String> viewerOrigins(URI server) {
        String tail = server.getPort() < 0 ? "" : ":" + server.getPort();
        Set<String> origins = new LinkedHashSet<>();
        origins.add(server.getScheme() + "://" + server.getHost() + tail);
        if (List.of("127.0.0.1", "localhost", "[::1]").contains(server.getHost())) {
            for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
                origins.add(server.getScheme() + "://" + host + tail);
            }
        }
        return origins;
    }

    private SavedModel saved(Context ctx, String name, String versionText) {
        if (!versionText.matches("\\d{1,6}")) {
            throw ClientError.badRequest("version must be a whole number (0 = latest): " + versionText);
        }
        int version = Integer.parseInt(versionText);
        return models(ctx).find(ModelStore.checkName(name), version).orElseThrow(() ->
                ClientError.notFound("no saved model " + name + (version == 0 ? "" : " version " + version) + " in your project"));
    }

    private void useModel(Context ctx) {
        SavedModel saved = saved(ctx, ctx.pathParam("name"), ctx.pathParam("version"));
        Workspace w = workspace(ctx);
        w.workbench().use(saved, models(ctx).load(saved));
        state(ctx, w.workbench());
    }

    /**
     * {@code {"series": id, "from": i, "to": j}} (1-based positions in the series, inclusive; all
     * when absent) or {@code {"slices": [ids]}}; {@code "model": {"name", "version"}} to apply a saved
     * model, else the current one; {@code "resolution": 2, 4 or 8} for a tissue map by the model's
     * overview, {@code "refine": true} for every pixel coarse-to-fine, {@code "omit": [class names]}
     * for classes whose regions are not published (see {@link JobSettings}). The
     * job acts for the caller (see {@link Jobs}).
     */
    private void startJob(Context ctx) {
        Caller caller = caller(ctx);
        requireWrite(caller, "a job (it replaces a generated layer)");
        JsonNode b = body(ctx);
        Workspace w = workspace(ctx);
        PolygonCleaning cleaning = cleaning(b);
        SegmentationModel model;
        ModelRef ref;
        if (b.path("model").isObject()) {
            SavedModel saved = saved(ctx, b.path("model").path("name").asText(""), b.path("model").path("version").asText("0"));
            model = models(ctx).load(saved);
            ref = saved.ref();
        } else {
            Workbench.Current c = requireModel(w);
            model = c.model();
            ref = c.ref();
        }
        List<SliceInfo> slices = new ArrayList<>();
        if (b.has("slices")) {
            for (JsonNode s : b.get("slices")) {
                slices.add(w.server().slice(s.asLong()));
            }
        } else if (b.has("series")) {
            SeriesInfo series = w.server().series(b.get("series").asLong());
            int from = b.path("from").asInt(1), to = b.path("to").asInt(series.slices().size());
            if (from < 1 || to > series.slices().size() || from > to) {
                throw ClientError.badRequest("range " + from + ".." + to + " is not within the series' "
                        + series.slices().size() + " slices");
            }
            slices.addAll(series.slices().subList(from - 1, to));
        } else {
            throw ClientError.badRequest("say which slices: {\"series\": id} (with \"from\", \"to\") or {\"slices\": [ids]}");
        }
        JobSettings defaults = JobSettings.defaults(settings.threads(), settings.name());
        int resolution = b.has("resolution") ? whole(b.get("resolution"), "resolution") : 1;
        if (b.has("refine") && !b.get("refine").isBoolean()) {
            throw ClientError.badRequest("\"refine\" must be true or false: " + b.get("refine"));
        }
        Set<String> omitted = new HashSet<>();
        if (b.has("omit")) {
            if (!b.get("omit").isArray()) {
                throw ClientError.badRequest("\"omit\" must be a list of class names: " + b.get("omit"));
            }
            for (JsonNode c : b.get("omit")) {
                if (!c.isTextual()) {
                    throw ClientError.badRequest("\"omit\" must be a list of class names: " + b.get("omit"));
                }
                omitted.add(c.asText());
            }
        }
        int tile = b.has("tile") ? whole(b.get("tile"), "tile") : JobSettings.tileSizeFor(slices, resolution, defaults.threads());
        JobSettings job = new JobSettings(defaults.layer(), tile, defaults.threads(),
                cleaning, defaults.serviceName(), resolution, b.path("refine").asBoolean(false), omitted);
        ApplyJob started = jobs.submit(caller, model, ref, slices, job);
        ctx.status(202).header("Location", "/api/jobs/" + started.id());
        json(ctx, started.view());
    }

    /**
     * How the job's regions are cleaned: {@code minArea}, {@code minHoleArea} (µm² on slices that
     * know their pixel size, else px²; absent: the engine's defaults), {@code simplify} (px) and
     * {@code smoothing} (passes).
     */
    public static PolygonCleaning cleaning(JsonNode b) {
        PolygonCleaning c = PolygonCleaning.defaults();
        for (String field : List.of("minArea", "minHoleArea", "simplify", "smoothing")) {
            if (b.has(field) && !b.get(field).isNumber()) {
                throw ClientError.badRequest("\"" + field + "\" must be a number: " + b.get(field));
            }
        }
        try {
            if (b.has("minArea")) {
                c = c.withMinRegionArea(b.get("minArea").asDouble());
            }
            if (b.has("minHoleArea")) {
                c = c.withMinHoleArea(b.get("minHoleArea").asDouble());
            }
            if (b.has("simplify")) {
                c = c.withSimplify(b.get("simplify").asDouble());
            }
            if (b.has("smoothing")) {
                if (!b.get("smoothing").canConvertToInt() || !b.get("smoothing").isIntegralNumber()) {
                    throw ClientError.badRequest("\"smoothing\" must be a whole number of passes: " + b.get("smoothing"));
                }
                c = c.withSmoothing(b.get("smoothing").asInt());
            }
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest(e.getMessage()); // the engine names the value and its range
        }
        return c;
    }

    private void cancelJob(Context ctx) {
        String id = ctx.pathParam("id");
        Caller caller = caller(ctx);
        if (jobs.view(caller, id).isEmpty()) {
            throw notFound(ctx);
        }
        json(ctx, Map.of("id", id, "cancelled", jobs.cancel(caller, id)));
    }

    private List<ClassAreas.Row> areas(Context ctx) {
        return jobs.areas(caller(ctx), ctx.pathParam("id")).orElseThrow(() -> notFound(ctx));
    }

    private void areasCsv(Context ctx) {
        String csv = ClassAreas.csv(areas(ctx));
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + ctx.pathParam("id") + "-areas.csv\"")
                .result(csv);
    }

    private void previewTile(Context ctx) {
        Matcher m = TILE.matcher(ctx.pathParam("tile"));
        if (!ctx.pathParam("level").matches("\\d{1,2}") || !m.matches()) {
            throw ClientError.badRequest("tile path must be slide_files/{level}/{column}_{row}.png");
        }
        String kindText = ctx.queryParam("kind");
        PreviewTiles.Kind kind = kindText == null || kindText.equals("classes") ? PreviewTiles.Kind.CLASSES
                : kindText.equals("uncertainty") ? PreviewTiles.Kind.UNCERTAINTY : null;
        if (kind == null) {
            throw ClientError.badRequest("kind must be classes or uncertainty: " + kindText);
        }
        byte[] png;
        try (Permits.Held held = requests.take(caller(ctx))) {
            png = workspace(ctx).preview().tile(id(ctx, "id"), Integer.parseInt(ctx.pathParam("level")), Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)), kind);
        }
        ctx.contentType("image/png").header("Cache-Control", "private, max-age=600").result(png);
    }
}
