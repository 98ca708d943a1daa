package org.histodraw.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.collab.Messages;
import org.histodraw.server.exchange.FeatureInput;
import org.histodraw.server.geometry.Outline;
import org.histodraw.server.store.Actor;
import org.histodraw.server.store.Change;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Features;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.RegionHistory;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.ResultAcceptance;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.StagedLayers;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.slf4j.LoggerFactory;

/**
 * Regions as GeoJSON (QuPath-compatible properties: {@code classification {name, color}}, plus
 * {@code id}, {@code version}, {@code layer}, {@code provenance}), versions, layers, history,
 * restore and the change feed.
 */
final class RegionRoutes {
    static final String HUMAN = "human";
    /** Coordinates in queries beyond this (slide pixels) are refused: no slide is that large. */
    static final double MAX_COORDINATE = 1e9;
    private static final int MAX_LIMIT = 100_000;
    private final Backend b;
    private final StagedLayers staged;

    RegionRoutes(Backend b) {
        this.b = b;
        this.staged = new StagedLayers(b.db(), b.regions(), b.settings().importLimits().maxStagedRegions());
        int dropped = staged.purgeOlderThan(StagedLayers.ABANDONED_AFTER_MILLIS);
        if (dropped > 0) {
            LoggerFactory.getLogger(RegionRoutes.class).info("dropped {} staged layers abandoned for over a week", dropped);
        }
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/slices/{id}/regions", this::list);
        routes.post("/api/v1/slices/{id}/regions", this::create);
        routes.get("/api/v1/slices/{id}/regions/at", this::at);
        routes.get("/api/v1/regions/{rid}", this::get);
        routes.put("/api/v1/regions/{rid}", this::update);
        routes.delete("/api/v1/regions/{rid}", this::delete);
        routes.get("/api/v1/slices/{id}/layers", this::layers);
        routes.put("/api/v1/slices/{id}/layers/{layer}", this::replaceLayer);
        routes.get("/api/v1/slices/{id}/history", this::history);
        routes.post("/api/v1/slices/{id}/restore", this::restore);
        routes.get("/api/v1/slices/{id}/changes", this::changes);
        routes.get("/api/v1/staged/{job}", this::stagedJob);
        routes.post("/api/v1/staged/{job}/commit", this::commitStaged);
        routes.delete("/api/v1/staged/{job}", this::discardStaged);
    }

    private Principal principal(Context ctx) {
        return Http.principal(ctx, b.auth());
    }

    private Slice slice(Context ctx, Role needed) {
        long id = Http.id(ctx, "id");
        Slice s = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(principal(ctx), s.projectId(), needed);
        return s;
    }

    private long regionFor(Context ctx, Role needed) {
        long rid = Http.id(ctx, "rid");
        long sliceId = b.regions().sliceOf(rid);
        Slice s = b.slides().slice(sliceId).orElseThrow(() -> ApiError.notFound("no slice " + sliceId));
        b.access().require(principal(ctx), s.projectId(), needed);
        return rid;
    }

    static Actor actor(Principal p) {
        return new Actor(p.userId(), p.tokenId(), p.displayName());
    }

    private void list(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        String layer = ctx.queryParam("layer");
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        double[] bbox = null;
        String bboxText = ctx.queryParam("bbox");
        if (bboxText != null) {
            String[] parts = bboxText.split(",");
            if (parts.length != 4) {
                throw ApiError.badRequest("bbox must be x0,y0,x1,y1: " + bboxText);
            }
            bbox = new double[4];
            try {
                for (int i = 0; i < 4; i++) {
                    bbox[i] = Double.parseDouble(parts[i].strip());
                    if (!Double.isFinite(bbox[i]) || Math.abs(bbox[i]) > MAX_COORDINATE) {
                        throw new NumberFormatException();
                    }
                }
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("bbox must be four finite numbers x0,y0,x1,y1 (slide pixels, within +-1e9): " + bboxText);
            }
            if (!(bbox[2] >= bbox[0] && bbox[3] >= bbox[1])) {
                throw ApiError.badRequest("bbox needs x0 <= x1 and y0 <= y1: " + bboxText);
            }
        }
        int limit = intParam(ctx, "limit", 0, 1, MAX_LIMIT);
        long cursor = ctx.queryParam("cursor") == null ? 0 : Http.id(ctx.queryParam("cursor"), "cursor");
        double tolerance = tolerance(ctx);
        if (tolerance > 0 && bbox == null) {
            throw ApiError.badRequest("simplify/scale need a bbox (level of detail is for a viewport)");
        }
        long seq = b.regions().currentSeq(s.id());
        RegionQueries.Query q = new RegionQueries.Query(s.id(), layer, ctx.queryParam("class"), bbox, cursor, limit == 0 ? 0 : limit + 1, tolerance);
        double grid = tolerance >= 2 ? 1 : tolerance > 0 ? 0.1 : 0;
        ctx.contentType("application/geo+json");
        try (JsonGenerator out = Jackson.MAPPER.createGenerator(ctx.outputStream())) {
            // A failure half-way must not be closed into valid-looking (short) JSON.
            out.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            out.writeStartObject();
            out.writeStringField("type", "FeatureCollection");
            out.writeNumberField("seq", seq);
            out.writeArrayFieldStart("features");
            long[] state = {0, 0, 0}; // written, last id, dropped after simplifying
            b.regions().queries().query(q, s.width(), s.height(), region -> {
                if (limit > 0 && state[0] == limit) {
                    state[0]++; // one more than asked: there is a next page
                    return;
                }
                String json;
                if (tolerance > 0) {
                    Outline simple = Outline.parse(region.geometry()).simplified(tolerance);
                    if (simple.isEmpty()) {
                        state[2]++; // only parts below a pixel: as good as omitted
                        return;
                    }
                    json = Features.feature(region.id(), region.version(), region.layer(), simple.toJson(grid),
                            region.properties(), region.provenance());
                } else {
                    json = region.featureJson();
                }
                try {
                    out.writeRawValue(json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                state[0]++;
                state[1] = region.id();
            });
            out.writeEndArray();
            if (limit > 0 && state[0] > limit) {
                out.writeStringField("nextCursor", Long.toString(state[1]));
            }
            if (tolerance > 0) {
                out.writeNumberField("simplified", tolerance);
                out.writeNumberField("omitted", state[2] + b.regions().queries().omitted(q, s.width(), s.height()));
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The level of detail asked for, in slide pixels per screen pixel: {@code simplify=t} directly,
     * or {@code scale=s} (screen pixels per slide pixel, as OpenSeadragon's zoom gives it) as 1/s.
     * 0 when neither is given.
     */
    static double tolerance(Context ctx) {
        String simplify = ctx.queryParam("simplify");
        String scale = ctx.queryParam("scale");
        if (simplify != null && scale != null) {
            throw ApiError.badRequest("give simplify or scale, not both");
        }
        if (simplify != null) {
            double t = positive("simplify", simplify);
            return t;
        }
        if (scale != null) {
            return 1 / positive("scale", scale);
        }
        return 0;
    }

    private static double positive(String name, String text) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a number: " + text);
        }
        if (!(v > 1e-6 && v < 1e6)) {
            throw ApiError.badRequest(name + " must be a positive number below 1000000: " + text);
        }
        return v;
    }

    /**
     * Hit-testing for layers drawn as overlay tiles: the regions containing the point (or within
     * {@code tolerance} slide pixels of it), smallest first, with their full geometry.
     */
    private void at(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        double x = number(ctx, "x"), y = number(ctx, "y");
        String tolText = ctx.queryParam("tolerance");
        double tolerance = tolText == null ? 0 : number(ctx, "tolerance");
        if (tolerance < 0 || tolerance > 100_000) {
            throw ApiError.badRequest("tolerance must be 0..100000 slide pixels: " + tolText);
        }
        String layer = ctx.queryParam("layer");
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        int limit = intParam(ctx, "limit", 10, 1, 1000);
        Point point = new GeometryFactory().createPoint(new Coordinate(x, y));
        record Hit(double area, String json) {
        }
        List<Hit> hits = new ArrayList<>();
        long seq = b.regions().currentSeq(s.id());
        RegionQueries.Query q = new RegionQueries.Query(s.id(), layer, ctx.queryParam("class"),
                new double[] {x - tolerance, y - tolerance, x + tolerance, y + tolerance}, 0, 0);
        b.regions().queries().query(q, s.width(), s.height(), r -> {
            Geometry g = Outline.parse(r.geometry()).toJts();
            if (tolerance == 0 ? g.intersects(point) : g.isWithinDistance(point, tolerance)) {
                hits.add(new Hit(g.getArea(), r.featureJson()));
            }
        });
        hits.sort(Comparator.comparingDouble(Hit::area));
        ObjectNode out = Jackson.MAPPER.createObjectNode().put("type", "FeatureCollection").put("seq", seq);
        ArrayNode features = out.putArray("features");
        hits.stream().limit(limit).forEach(hit -> features.addRawValue(new RawValue(hit.json())));
        Http.geoJson(ctx, Jackson.write(out));
    }

    private static double number(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            throw ApiError.badRequest("missing ?" + name + "= (slide pixels)");
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d) || Math.abs(d) > 1e9) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a number: " + v);
        }
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        if (!v.matches("\\d{1,9}") || Integer.parseInt(v) < min || Integer.parseInt(v) > max) {
            throw ApiError.badRequest(name + " must be a whole number " + min + ".." + max + ": " + v);
        }
        return Integer.parseInt(v);
    }

    private void create(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        ObjectNode feature = JsonBody.object(ctx);
        String layer = layerOf(feature, HUMAN);
        RegionInput in = FeatureInput.of(feature, layer, provenanceOf(principal(ctx)));
        Commit commit = b.regions().create(s.id(), in, actor(principal(ctx)));
        answer(ctx, 201, commit.changes().get(0));
    }

    private void get(Context ctx) {
        long rid = regionFor(ctx, Role.VIEWER);
        Regions.Stored r = b.regions().region(rid).orElseThrow(() -> ApiError.notFound("region " + rid + " was deleted"));
        Http.geoJson(ctx, r.featureJson());
    }

    private void update(Context ctx) {
        long rid = regionFor(ctx, Role.EDITOR);
        ObjectNode feature = JsonBody.object(ctx);
        int version = version(ctx, feature);
        Regions.Stored current = b.regions().region(rid).orElse(null);
        String layer = layerOf(feature, current == null ? HUMAN : current.layer());
        // An accepted result keeps naming the model output it came from through its edits.
        String provenance = current == null ? provenanceOf(principal(ctx))
                : ResultAcceptance.keepOrigin(current.provenance(), provenanceOf(principal(ctx)));
        RegionInput in = FeatureInput.of(feature, layer, provenance);
        Commit commit = b.regions().update(rid, version, in, actor(principal(ctx)));
        answer(ctx, 200, commit.changes().get(0));
    }

    private void delete(Context ctx) {
        long rid = regionFor(ctx, Role.EDITOR);
        String v = ctx.queryParam("version");
        if (v == null) {
            throw ApiError.badRequest("DELETE needs ?version= (the version you are deleting)");
        }
        b.regions().delete(rid, (int) Http.id(v, "version"), actor(principal(ctx)));
        ctx.status(204);
    }

    private static int version(Context ctx, JsonNode feature) {
        String q = ctx.queryParam("version");
        if (q != null) {
            return (int) Http.id(q, "version");
        }
        JsonNode v = feature.has("version") ? feature.get("version") : feature.path("properties").get("version");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw ApiError.badRequest("an update needs the \"version\" it was made against (in the body, properties or ?version=)");
        }
        return v.asInt();
    }

    private static void answer(Context ctx, int status, Change change) {
        ctx.status(status).header("X-Change-Seq", Long.toString(change.seq()));
        Http.geoJson(ctx, change.featureJson());
    }

    static String provenanceOf(Principal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", p.user() == null ? null : p.user().username());
        if (p.token() != null) {
            m.put("token", p.token().name());
        }
        return Jackson.write(m);
    }

    /** The layer a feature names in its properties (a string), or {@code otherwise}. */
    private static String layerOf(JsonNode feature, String otherwise) {
        JsonNode layer = feature.path("properties").get("layer");
        if (layer == null || layer.isNull()) {
            return otherwise;
        }
        if (!layer.isTextual()) {
            throw ApiError.badRequest("properties.layer must be a layer name (a string), got " + layer);
        }
        return RegionInput.checkLayer(layer.asText());
    }

    private void layers(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> layer : b.regions().queries().layers(s.id())) {
            Map<String, Object> m = new LinkedHashMap<>(layer);
            Object prov = m.get("provenance");
            m.put("provenance", prov == null ? null : JsonBody.parse((String) prov));
            out.add(m);
        }
        Http.json(ctx, out);
    }

    /**
     * Replaces a generated layer from a FeatureCollection with {@code provenance {service, model, job}},
     * read as a stream: each feature is checked and kept in compact form, never the whole tree.
     */
    private void replaceLayer(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        String layer = RegionInput.checkLayer(ctx.pathParam("layer"));
        if (layer.equals(HUMAN)) {
            throw ApiError.badRequest("the human layer holds people's drawings and cannot be replaced; put generated regions in another layer");
        }
        boolean append = appendPart(ctx);
        List<RegionInput> inputs = new ArrayList<>();
        JsonNode provenance = null;
        boolean collection = false;
        try (InputStream in = Http.body(ctx); JsonParser parser = Jackson.STREAMING.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("layer body must be a GeoJSON FeatureCollection object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("features")) {
                    if (value != JsonToken.START_ARRAY) {
                        throw ApiError.badRequest("\"features\" must be an array");
                    }
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode feature = parser.readValueAsTree();
                        try {
                            inputs.add(FeatureInput.of(feature, layer, null));
                        } catch (LimitExceeded e) {
                            throw new LimitExceeded(e.limit(), e.max(), "feature " + inputs.size() + ": " + e.getMessage());
                        } catch (InvalidInput e) {
                            throw ApiError.badRequest("feature " + inputs.size() + ": " + e.getMessage());
                        }
                    }
                } else if (field.equals("provenance")) {
                    provenance = parser.readValueAsTree();
                } else {
                    if (field.equals("type")) {
                        collection = "FeatureCollection".equals(parser.getValueAsString());
                    }
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!collection) {
            throw ApiError.badRequest("layer body must have \"type\": \"FeatureCollection\"");
        }
        String prov = provenance(provenance);
        Principal p = principal(ctx);
        List<RegionInput> withProvenance = new ArrayList<>(inputs.size());
        for (RegionInput in : inputs) {
            withProvenance.add(new RegionInput(in.layer(), in.className(), in.geometry(), in.properties(), prov));
        }
        String stage = ctx.queryParam("stage");
        if (stage != null) {
            stageLayer(ctx, s, layer, withProvenance, prov, p, stage, append);
            return;
        }
        Regions.LayerResult result = b.regions().replaceLayer(s.id(), layer, withProvenance, prov, actor(p));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layer", layer);
        out.put("seq", result.commit().seq());
        out.put("deleted", result.deleted());
        out.put("created", result.created());
        out.put("unchanged", result.unchanged());
        Http.json(ctx, out);
    }

    // ---- staged layers: a job's results, invisible until the job commits them all at once

    private static String jobId(String text) {
        return StagedLayers.checkJobId(text);
    }

    /** The job's staging, checked to belong to the caller (a job id is only ever one user's). */
    private List<StagedLayers.Staged> ownJob(Principal p, String jobId) {
        List<StagedLayers.Staged> job = staged.job(jobId);
        if (!job.isEmpty() && !Objects.equals(job.get(0).userId(), p.userId())) {
            throw ApiError.forbidden("job " + jobId + " was staged by another user");
        }
        return job;
    }

    private void stageLayer(Context ctx, Slice s, String layer, List<RegionInput> inputs, String prov, Principal p,
                            String stageText, boolean append) {
        String jobId = jobId(stageText);
        ownJob(p, jobId);
        StagedLayers.Staged st = append ? staged.append(jobId, s.id(), layer, inputs, prov)
                : staged.stage(jobId, s.id(), s.projectId(), layer, inputs, prov, p.userId());
        Http.json(ctx, 202, stagedView(st));
    }

    /**
     * {@code append=true}: the request is the next part of a layer the job stages in parts (each part
     * within the body limit); only with {@code stage}. Checked before the body is read.
     */
    private static boolean appendPart(Context ctx) {
        String append = ctx.queryParam("append");
        if (append == null || append.equals("false")) {
            return false;
        }
        if (!append.equals("true")) {
            throw ApiError.badRequest("append must be true or false, not " + append);
        }
        if (ctx.queryParam("stage") == null) {
            throw ApiError.badRequest("append=true adds a part to a staged layer: it goes with stage=JOB");
        }
        return true;
    }

    private static Map<String, Object> stagedView(StagedLayers.Staged st) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", st.jobId());
        out.put("sliceId", st.sliceId());
        out.put("layer", st.layer());
        out.put("regions", st.regionCount());
        out.put("staged", Instant.ofEpochMilli(st.createdAt()).toString());
        return out;
    }

    private List<StagedLayers.Staged> readableJob(Context ctx, Role needed) {
        Principal p = principal(ctx);
        String jobId = jobId(ctx.pathParam("job"));
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in or send an API token to use staged layers");
        }
        List<StagedLayers.Staged> job = ownJob(p, jobId);
        for (StagedLayers.Staged st : job) {
            b.access().require(p, st.projectId(), needed);
        }
        return job;
    }

    private void stagedJob(Context ctx) {
        List<StagedLayers.Staged> job = readableJob(ctx, Role.VIEWER);
        if (job.isEmpty()) {
            throw ApiError.notFound("nothing staged under job " + ctx.pathParam("job"));
        }
        Http.json(ctx, Map.of("job", job.get(0).jobId(), "layers", job.stream().map(RegionRoutes::stagedView).toList()));
    }

    private void commitStaged(Context ctx) {
        List<StagedLayers.Staged> job = readableJob(ctx, Role.EDITOR);
        if (job.isEmpty()) {
            throw ApiError.notFound("nothing staged under job " + ctx.pathParam("job") + " (already committed or discarded?)");
        }
        List<Regions.LayerResult> results = staged.commit(job.get(0).jobId(), actor(principal(ctx)));
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Regions.LayerResult r = results.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sliceId", job.get(i).sliceId());
            m.put("layer", job.get(i).layer());
            m.put("seq", r.commit().seq());
            m.put("deleted", r.deleted());
            m.put("created", r.created());
            m.put("unchanged", r.unchanged());
            layers.add(m);
        }
        Http.json(ctx, Map.of("job", job.get(0).jobId(), "layers", layers));
    }

    private void discardStaged(Context ctx) {
        List<StagedLayers.Staged> job = readableJob(ctx, Role.EDITOR);
        if (!job.isEmpty()) {
            staged.discard(job.get(0).jobId());
        }
        ctx.status(204);
    }

    static String provenance(JsonNode p) {
        if (p == null || !p.isObject()) {
            throw ApiError.badRequest("a generated layer needs \"provenance\": {\"service\", \"model\", \"job\"} (which service, model and job made it)");
        }
        for (String field : List.of("service", "model")) {
            if (!p.path(field).isTextual() || p.get(field).asText().isBlank()) {
                throw ApiError.badRequest("provenance needs \"" + field + "\" as a non-empty string");
            }
        }
        if (p.has("job") && !p.get("job").isTextual() && !p.get("job").isNumber()) {
            throw ApiError.badRequest("provenance \"job\" must be a string or number");
        }
        String text = Jackson.write(p);
        if (text.length() > 10_000) {
            throw ApiError.badRequest("provenance is larger than 10,000 characters");
        }
        return text;
    }

    /**
     * Events newest first, {@code limit} a page. The next page starts after {@code nextCursor}
     * ("seq.eventId" of the last event given): a commit with more events than a page (an import of
     * 1,500 regions) is paged through, not skipped. {@code before=SEQ} starts at the commits before SEQ.
     */
    private void history(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        long before = ctx.queryParam("before") == null ? 0 : Http.id(ctx.queryParam("before"), "before");
        RegionHistory.Cursor from = ctx.queryParam("cursor") != null ? cursor(ctx.queryParam("cursor"))
                : before > 0 ? RegionHistory.Cursor.beforeSeq(before) : RegionHistory.Cursor.NEWEST;
        List<Change> page = b.regions().history().page(s.id(), from, limit + 1);
        List<Map<String, Object>> events = new ArrayList<>();
        for (Change c : page.subList(0, Math.min(limit, page.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", c.eventId());
            m.put("seq", c.seq());
            m.put("op", c.op());
            m.put("regionId", c.regionId());
            m.put("version", c.version());
            m.put("layer", c.layer());
            m.put("class", c.className());
            m.put("user", c.user());
            m.put("time", Instant.ofEpochMilli(c.time()).toString());
            events.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", b.regions().currentSeq(s.id()));
        out.put("events", events);
        if (page.size() > limit) {
            Change last = page.get(limit - 1);
            out.put("nextCursor", last.seq() + "." + last.eventId());
        }
        Http.json(ctx, out);
    }

    private static RegionHistory.Cursor cursor(String text) {
        if (!text.matches("\\d{1,18}\\.\\d{1,18}")) {
            throw ApiError.badRequest("cursor must be the nextCursor of a history page (seq.eventId): " + text);
        }
        int dot = text.indexOf('.');
        return new RegionHistory.Cursor(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
    }

    /**
     * {eventId} (an event of this slice), {seq} (0..the current commit; 0 is the empty slice before
     * any region) or {time} (an ISO-8601 instant): the slice's regions as they were then.
     */
    private void restore(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        ObjectNode body = JsonBody.object(ctx);
        long current = b.regions().currentSeq(s.id());
        long target;
        if (body.has("eventId")) {
            target = b.regions().history().seqOfEvent(s.id(), JsonBody.whole(body, "eventId", true));
        } else if (body.has("seq")) {
            target = JsonBody.whole(body, "seq", true);
            if (target < 0 || target > current) {
                throw ApiError.badRequest("seq must be a commit of this slice, 0.." + current + ", not " + target);
            }
        } else if (body.has("time")) {
            String t = JsonBody.text(body, "time", true);
            try {
                target = b.regions().history().seqAtTime(s.id(), Instant.parse(t).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("time must be an ISO-8601 instant such as 2026-01-31T12:00:00Z: " + t);
            }
        } else {
            throw ApiError.badRequest("restore needs \"eventId\", \"seq\" or \"time\"");
        }
        Commit commit = b.regions().restore(s.id(), target, actor(principal(ctx)));
        Http.json(ctx, Map.of("restoredTo", target, "seq", commit.seq(), "changed", commit.changes().size()));
    }

    private void changes(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        long since = ctx.queryParam("since") == null ? 0 : Http.id(ctx.queryParam("since"), "since");
        int limit = intParam(ctx, "limit", 1000, 1, 10_000);
        long seq = b.regions().currentSeq(s.id());
        List<Change> changes = b.regions().history().changesSince(s.id(), since, limit + 1);
        ObjectNode out = Jackson.MAPPER.createObjectNode().put("seq", seq).put("more", changes.size() > limit);
        ArrayNode list = out.putArray("changes");
        for (Change c : changes.subList(0, Math.min(limit, changes.size()))) {
            list.addRawValue(new RawValue(Messages.change(c)));
        }
        ctx.contentType("application/json").result(Jackson.write(out));
    }
}
