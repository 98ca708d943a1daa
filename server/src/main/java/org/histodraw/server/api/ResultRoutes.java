package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.geometry.RegionMeasures;
import org.histodraw.server.store.ResultAcceptance;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;

/**
 * A model's results as annotations: accept them into the human layer (and give them back), and
 * measure the regions of a slice or a series.
 */
final class ResultRoutes {
    private static final int MAX_IDS = 100_000;
    private final Backend b;
    private final ResultAcceptance acceptance;

    ResultRoutes(Backend b) {
        this.b = b;
        this.acceptance = new ResultAcceptance(b.regions());
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/slices/{id}/accept", this::accept);
        routes.post("/api/v1/slices/{id}/unaccept", this::unaccept);
        routes.get("/api/v1/slices/{id}/measurements", this::sliceMeasurements);
        routes.get("/api/v1/series/{s}/measurements", this::seriesMeasurements);
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

    /** {@code {"layer": "generated", "classes": [..]?}} or {@code {"regions": [ids]}}. */
    private void accept(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        ObjectNode body = JsonBody.object(ctx);
        List<Long> ids = ids(body);
        String layer = JsonBody.text(body, "layer", ids.isEmpty());
        Set<String> classes = new LinkedHashSet<>();
        for (JsonNode c : body.path("classes")) {
            if (!c.isTextual()) {
                throw ApiError.badRequest("\"classes\" must be class names: " + c);
            }
            classes.add(c.asText());
        }
        Principal p = principal(ctx);
        ResultAcceptance.Outcome o = acceptance.accept(s.id(), layer, classes, ids, p.user() == null ? p.displayName() : p.user().username(),
                RegionRoutes.actor(p));
        answer(ctx, "accepted", o);
    }

    /** {@code {"regions": [ids of accepted human regions]}}: back to their layers. */
    private void unaccept(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        List<Long> ids = ids(JsonBody.object(ctx));
        if (ids.isEmpty()) {
            throw ApiError.badRequest("say which accepted regions to give back: {\"regions\": [ids]}");
        }
        ResultAcceptance.Outcome o = acceptance.giveBack(s.id(), ids, RegionRoutes.actor(principal(ctx)));
        answer(ctx, "returned", o);
    }

    private static List<Long> ids(JsonNode body) {
        JsonNode list = body.path("regions");
        if (!list.isMissingNode() && !list.isArray()) {
            throw ApiError.badRequest("\"regions\" must be a list of region ids");
        }
        if (list.size() > MAX_IDS) {
            throw ApiError.badRequest("at most " + MAX_IDS + " regions at once, got " + list.size());
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode id : list) {
            if (!id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() <= 0) {
                throw ApiError.badRequest("\"regions\" must be region ids: " + id);
            }
            ids.add(id.asLong());
        }
        return ids;
    }

    private static void answer(Context ctx, String what, ResultAcceptance.Outcome o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(what, o.moved().size());
        out.put("seq", o.commit() == null ? null : o.commit().seq());
        out.put("regions", o.moved().stream().map(m -> Map.of("from", m.from(), "to", m.to())).toList());
        Http.json(ctx, out);
    }

    private String layerParam(Context ctx) {
        String layer = ctx.queryParam("layer");
        if (layer != null && !layer.matches("[A-Za-z0-9._-]{1,64}")) {
            throw ApiError.badRequest("layer name must be 1-64 letters, digits or ._- : " + layer);
        }
        return layer;
    }

    private void sliceMeasurements(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("slice", s.id());
        out.put("name", s.name());
        out.put("micronsPerPixel", s.micronsPerPixel());
        out.put("regions", RegionMeasures.regions(b.regions(), s, layerParam(ctx)));
        Http.json(ctx, out);
    }

    private void seriesMeasurements(Context ctx) {
        long id = Http.id(ctx, "s");
        Series series = b.slides().series(id).orElseThrow(() -> ApiError.notFound("no series " + id));
        b.access().require(principal(ctx), series.projectId(), Role.VIEWER);
        List<Slice> slices = b.slides().slicesOf(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", id);
        out.put("slices", slices.stream().map(sl -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", sl.id());
            m.put("name", sl.name());
            m.put("micronsPerPixel", sl.micronsPerPixel());
            return m;
        }).toList());
        out.put("totals", RegionMeasures.totals(b.regions(), slices, layerParam(ctx)));
        Http.json(ctx, out);
    }
}
