package org.histodraw.service.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.colour.UncertaintyRamp;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.service.ServiceConfig;
import org.histodraw.client.SeriesInfo;
import org.histodraw.client.ServerClient;
import org.histodraw.client.ServerException;
import org.histodraw.client.SliceInfo;
import org.histodraw.service.jobs.ApplyJob;
import org.histodraw.service.jobs.JobSettings;
import org.histodraw.service.jobs.Jobs;
import org.histodraw.service.live.Workbench;
import org.histodraw.service.models.ModelRef;
import org.histodraw.service.models.ModelStore;
import org.histodraw.service.models.SavedModel;
import org.histodraw.service.preview.PreviewTiles;
import org.histodraw.service.training.Trainer;
import org.histodraw.service.training.TrainingRegions;
import org.histodraw.service.training.TrainingRequest;
import org.histodraw.slides.pipeline.ClassAreas;

/**
 * The service's HTTP API and page. JSON in and out; errors are {@code {"error": "..."}} with a
 * 4xx status naming the problem (502 when the annotation server cannot be reached). Requests that
 * change something must say {@code Content-Type: application/json}, which a page of another site
 * cannot send without the browser asking first: the service acts with its token for its callers.
 */
public final class ServiceApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TILE = Pattern.compile("(\\d{1,7})_(\\d{1,7})\\.(png|jpg|jpeg)");

    private final ServiceConfig config;
    private final ServerClient server;
    private final Trainer trainer;
    private final Workbench workbench;
    private final ModelStore models;
    private final Jobs jobs;
    private final PreviewTiles preview;

    public ServiceApi(ServiceConfig config, ServerClient server, Trainer trainer, Workbench workbench, ModelStore models,
                      Jobs jobs, PreviewTiles preview) {
        this.config = config;
        this.server = server;
        this.trainer = trainer;
        this.workbench = workbench;
        this.models = models;
        this.jobs = jobs;
        this.preview = preview;
    }

    public void register(RoutesConfig r) {
        r.exception(NotFoundError.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        r.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        r.exception(IllegalStateException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        r.exception(ServerException.class, (e, ctx) -> error(ctx, e.status() >= 400 && e.status() < 500 ? e.status() : 502,
                "annotation server: " + e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            org.slf4j.LoggerFactory.getLogger(ServiceApi.class).error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the service log");
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        // The viewer of the annotation server (another origin) may call the API: it saves a model
        // trained in the browser and applies it to a series. No other site may.
        // The viewer's segmentation panel calls the API and loads the preview tiles from the server's
        // pages (another origin), sending the server token it obtained as Authorization: Bearer.
        java.util.Set<String> viewerOrigins = viewerOrigins(server.server());
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
            if ((m.equals("POST") || m.equals("PUT") || m.equals("DELETE"))
                    && !String.valueOf(ctx.header("Content-Type")).startsWith("application/json")) {
                throw new IllegalArgumentException(m + " requests need Content-Type: application/json");
            }
        });

        r.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
        r.get("/page.js", ctx -> page(ctx, "page.js", "text/javascript; charset=utf-8"));

        r.get("/api/info", this::info);
        r.get("/api/projects", ctx -> json(ctx, server.projects()));
        r.get("/api/projects/{p}/series", ctx -> json(ctx, server.seriesOf(id(ctx, "p"))));
        r.get("/api/series/{s}", ctx -> json(ctx, server.series(id(ctx, "s"))));
        r.get("/api/slices/{id}/classes", this::classesOf);

        r.post("/api/train", this::train);
        r.get("/api/state", this::state);

        r.get("/api/models", ctx -> json(ctx, models.list()));
        r.post("/api/models", this::saveModel);
        r.post("/api/models/import", this::importModel);
        r.post("/api/models/{name}/{version}/use", this::useModel);

        r.get("/api/jobs", ctx -> json(ctx, jobs.list()));
        r.post("/api/jobs", this::startJob);
        r.get("/api/jobs/{id}", ctx -> json(ctx, jobs.view(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx))));
        r.post("/api/jobs/{id}/cancel", this::cancelJob);
        r.get("/api/jobs/{id}/areas", this::areasJson);
        r.get("/api/jobs/{id}/areas.csv", this::areasCsv);

        r.get("/preview/{id}/slide.dzi", ctx -> ctx.contentType("application/xml").result(preview.dzi(id(ctx, "id"))));
        r.get("/preview/{id}/slide_files/{level}/{tile}", this::previewTile);
        // The slide's own pyramid, fetched with the service's token so the page needs none.
        r.get("/slides/{id}/slide.dzi", ctx -> proxy(ctx, "/slides/" + id(ctx, "id") + "/slide.dzi"));
        r.get("/slides/{id}/slide_files/{level}/{tile}", ctx -> {
            Matcher m = TILE.matcher(ctx.pathParam("tile"));
            if (!ctx.pathParam("level").matches("\\d{1,2}") || !m.matches()) {
                throw new IllegalArgumentException("tile path must be slide_files/{level}/{column}_{row}.{jpg|png}");
            }
            proxy(ctx, "/slides/" + id(ctx, "id") + "/slide_files/" + ctx.pathParam("level") + "/" + ctx.pathParam("tile"));
        });
    }

    // ---- plumbing

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(write(Map.of("error", message == null ? "error" : message)));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
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
        try {
            JsonNode n = JSON.readTree(text);
            if (!n.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static long id(Context ctx, String name) {
        String v = ctx.pathParam(name);
        if (!v.matches("\\d{1,18}")) {
            throw new IllegalArgumentException(name + " must be a whole number: " + v);
        }
        return Long.parseLong(v);
    }

    private static RuntimeException notFound(Context ctx) {
        return new NotFoundError("no job " + ctx.pathParam("id"));
    }

    /** 404 with a message. */
    static final class NotFoundError extends RuntimeException {
        NotFoundError(String message) {
            super(message);
        }
    }

    private void page(Context ctx, String name, String type) throws IOException {
        try (InputStream in = ServiceApi.class.getResourceAsStream("/org/histodraw/service/web/" + name)) {
            if (in == null) {
                throw new NotFoundError("page file missing from the build: " + name);
            }
            ctx.contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
        }
    }

    private void proxy(Context ctx, String path) {
        ServerClient.Fetched f = server.fetch(path);
        ctx.contentType(f.contentType()).header("Cache-Control", "private, max-age=3600").result(f.body());
    }

    // ---- endpoints

    private void info(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", config.name());
        out.put("server", server.server().toString());
        out.put("threads", config.threads());
        out.put("layer", JobSettings.GENERATED);
        out.put("viewerScript", config.effectiveViewerScript());
        out.put("uncertaintyRamp", UncertaintyRamp.css());
        out.put("stains", List.of("he", "hdab", "rgb"));
        out.put("defaultFeatures", FeatureSettings.defaults().toText());
        json(ctx, out);
    }

    /** The classes drawn on a slice (human layer): name, colour and how many regions. */
    private void classesOf(Context ctx) {
        long slice = id(ctx, "id");
        JsonNode fc;
        try {
            fc = JSON.readTree(server.regions(slice, Trainer.HUMAN_LAYER));
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

    private void train(Context ctx) {
        JsonNode b = body(ctx);
        List<Long> slices = new ArrayList<>();
        for (JsonNode s : b.path("slices")) {
            if (!s.canConvertToLong()) {
                throw new IllegalArgumentException("\"slices\" must be slice ids: " + s);
            }
            slices.add(s.asLong());
        }
        List<String> classes = new ArrayList<>();
        for (JsonNode c : b.path("classes")) {
            classes.add(c.asText());
        }
        FeatureSettings features = b.hasNonNull("features") ? FeatureSettings.parse(b.get("features").asText())
                : null; // chosen from the slices and their regions
        // The project's stain fixes the channels of chosen features; their scales are still chosen.
        ChannelSet channels = b.hasNonNull("stain") && features == null ? channelsOf(b.get("stain").asText()) : null;
        if (b.hasNonNull("stainVectors") && features == null) {
            // A project's own stain vectors: the default bank on the stain's channels, unmixed with
            // those vectors (the automatic choice measures the preset vectors' channels only).
            FeatureSettings base = FeatureSettings.defaults();
            features = withStainVectors(channels == null ? base : base.withChannels(channels), b.get("stainVectors").asText());
        }
        ForestSettings forest = ForestSettings.defaults();
        if (b.has("trees")) {
            forest = forest.toBuilder().trees(b.get("trees").asInt()).build();
        }
        if (b.has("depth")) {
            forest = forest.toBuilder().maxDepth(b.get("depth").asInt()).build();
        }
        boolean live = !b.has("live") || b.get("live").asBoolean();
        workbench.train(new TrainingRequest(slices, classes, features, channels, forest), live);
        state(ctx);
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
            default -> throw new IllegalArgumentException("stain must be he, hdab or rgb: " + stain);
        };
    }

    /**
     * The project's own stain vectors ({@code r,g,b/r,g,b}, e.g. estimated from a slide) in place of
     * the preset of the stain's channels; the trained model records them in its feature settings.
     */
    static FeatureSettings withStainVectors(FeatureSettings features, String vectors) {
        StainVectors preset = features.channels().presetStains();
        if (preset == null) {
            throw new IllegalArgumentException("stain vectors need a stain with two stains (he or hdab), not "
                    + features.channels().token());
        }
        return features.withStains(StainVectors.parse(vectors, preset));
    }

    private void state(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        Workbench.Current c = workbench.current();
        out.put("version", c == null ? 0 : c.version());
        if (c != null) {
            out.put("model", Map.of("id", c.model().id(), "name", c.ref().name(), "version", c.ref().version(),
                    "trainingSlices", c.ref().trainingSlices(), "features", c.model().features().toText()));
            out.put("report", c.report());
            out.put("live", c.live());
            out.put("lastError", c.lastError());
            out.put("classes", c.request() == null ? List.of() : c.request().classes());
            out.put("trainedAt", c.trainedAt());
        }
        out.put("retrainings", workbench.retrainings());
        json(ctx, out);
    }

    private Workbench.Current requireModel() {
        Workbench.Current c = workbench.current();
        if (c == null) {
            throw new IllegalStateException("no model yet: train one (POST /api/train) or use a saved one");
        }
        return c;
    }

    private void saveModel(Context ctx) {
        JsonNode b = body(ctx);
        Workbench.Current c = requireModel();
        SavedModel saved = models.save(ModelStore.checkName(b.path("name").asText(null)), c.model(),
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
        JsonNode b = body(ctx);
        String name = ModelStore.checkName(b.path("name").asText(null));
        byte[] file;
        try {
            file = java.util.Base64.getDecoder().decode(b.path("file").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file must be the model file in Base64: " + e.getMessage());
        }
        if (file.length == 0) {
            throw new IllegalArgumentException("file (the .hdm model file in Base64) is missing");
        }
        SegmentationModel model;
        try {
            model = ModelCodec.read(file);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a model file: " + e.getMessage());
        }
        List<Long> slices = new ArrayList<>();
        for (JsonNode s : b.path("trainingSlices")) {
            slices.add(s.asLong());
        }
        ctx.status(201);
        json(ctx, models.save(name, model, slices, server.server().toString()));
    }

    /**
     * The origins (scheme://host[:port], as a browser sends them) of the annotation server's pages:
     * its URL's, and on the loopback interface also the other names of this machine (a server at
     * 127.0.0.1:8080 is opened as localhost:8080 as often).
     */
    static java.util.Set<String> viewerOrigins(java.net.URI server) {
        String tail = server.getPort() < 0 ? "" : ":" + server.getPort();
        java.util.Set<String> origins = new java.util.LinkedHashSet<>();
        origins.add(server.getScheme() + "://" + server.getHost() + tail);
        if (List.of("127.0.0.1", "localhost", "[::1]").contains(server.getHost())) {
            for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
                origins.add(server.getScheme() + "://" + host + tail);
            }
        }
        return origins;
    }

    private SavedModel saved(String name, String versionText) {
        if (!versionText.matches("\\d{1,6}")) {
            throw new IllegalArgumentException("version must be a whole number (0 = latest): " + versionText);
        }
        int version = Integer.parseInt(versionText);
        return models.find(ModelStore.checkName(name), version).orElseThrow(() ->
                new NotFoundError("no saved model " + name + (version == 0 ? "" : " version " + version)));
    }

    private void useModel(Context ctx) {
        SavedModel saved = saved(ctx.pathParam("name"), ctx.pathParam("version"));
        workbench.use(saved, models.load(saved));
        state(ctx);
    }

    /**
     * {@code {"series": id, "from": i, "to": j}} (1-based positions in the series, inclusive; all
     * when absent) or {@code {"slices": [ids]}}; {@code "model": {"name", "version"}} to apply a saved
     * model, else the current one.
     */
    private void startJob(Context ctx) {
        JsonNode b = body(ctx);
        PolygonCleaning cleaning = cleaning(b);
        SegmentationModel model;
        ModelRef ref;
        if (b.path("model").isObject()) {
            SavedModel saved = saved(b.path("model").path("name").asText(""), b.path("model").path("version").asText("0"));
            model = models.load(saved);
            ref = saved.ref();
        } else {
            Workbench.Current c = requireModel();
            model = c.model();
            ref = c.ref();
        }
        List<SliceInfo> slices = new ArrayList<>();
        if (b.has("slices")) {
            for (JsonNode s : b.get("slices")) {
                slices.add(server.slice(s.asLong()));
            }
        } else if (b.has("series")) {
            SeriesInfo series = server.series(b.get("series").asLong());
            int from = b.path("from").asInt(1), to = b.path("to").asInt(series.slices().size());
            if (from < 1 || to > series.slices().size() || from > to) {
                throw new IllegalArgumentException("range " + from + ".." + to + " is not within the series' "
                        + series.slices().size() + " slices");
            }
            slices.addAll(series.slices().subList(from - 1, to));
        } else {
            throw new IllegalArgumentException("say which slices: {\"series\": id} (with \"from\", \"to\") or {\"slices\": [ids]}");
        }
        JobSettings defaults = JobSettings.defaults(config.threads(), config.name());
        JobSettings settings = new JobSettings(defaults.layer(), b.path("tile").asInt(defaults.tileSize()), defaults.threads(),
                cleaning, defaults.serviceName());
        ApplyJob job = jobs.submit(model, ref, slices, settings);
        ctx.status(202).header("Location", "/api/jobs/" + job.id());
        json(ctx, job.view());
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
                throw new IllegalArgumentException("\"" + field + "\" must be a number: " + b.get(field));
            }
        }
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
                throw new IllegalArgumentException("\"smoothing\" must be a whole number of passes: " + b.get("smoothing"));
            }
            c = c.withSmoothing(b.get("smoothing").asInt());
        }
        return c;
    }

    private void cancelJob(Context ctx) {
        String id = ctx.pathParam("id");
        if (jobs.view(id).isEmpty()) {
            throw notFound(ctx);
        }
        boolean cancelled = jobs.cancel(id);
        json(ctx, Map.of("id", id, "cancelled", cancelled));
    }

    private List<ClassAreas.Row> areas(Context ctx) {
        return jobs.areas(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx));
    }

    private void areasJson(Context ctx) {
        json(ctx, areas(ctx));
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
            throw new IllegalArgumentException("tile path must be slide_files/{level}/{column}_{row}.png");
        }
        String kindText = ctx.queryParam("kind");
        PreviewTiles.Kind kind = kindText == null || kindText.equals("classes") ? PreviewTiles.Kind.CLASSES
                : kindText.equals("uncertainty") ? PreviewTiles.Kind.UNCERTAINTY : null;
        if (kind == null) {
            throw new IllegalArgumentException("kind must be classes or uncertainty: " + kindText);
        }
        byte[] png = preview.tile(id(ctx, "id"), Integer.parseInt(ctx.pathParam("level")), Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), kind);
        ctx.contentType("image/png").header("Cache-Control", "private, max-age=600").result(png);
    }
}
