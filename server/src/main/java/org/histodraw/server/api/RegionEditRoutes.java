package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.geometry.MagicWand;
import org.histodraw.server.geometry.Outline;
import org.histodraw.server.geometry.RegionShapes;
import org.histodraw.server.store.Change;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Conflict;
import org.histodraw.server.store.Edit;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.RegionGeometry;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.io.SlideException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * Shape edits done on the server, each one atomic commit with history and live broadcast like any
 * other edit: split a region by a line, merge regions, fill holes, and the magic wand (a flood fill
 * on the slide's pixels that becomes a region). Versions are checked: a stale one is 409.
 */
final class RegionEditRoutes {
    private static final GeometryFactory FACTORY = new GeometryFactory();
    private final Backend b;

    RegionEditRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/regions/{rid}/split", this::split);
        routes.post("/api/v1/regions/{rid}/fill-holes", this::fillHoles);
        routes.post("/api/v1/slices/{id}/regions/merge", this::merge);
        routes.post("/api/v1/slices/{id}/magic-wand", this::magicWand);
    }

    private Principal principal(Context ctx) {
        return Http.principal(ctx, b.auth());
    }

    private Slice slice(Context ctx) {
        long id = Http.id(ctx, "id");
        Slice s = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(principal(ctx), s.projectId(), Role.EDITOR);
        return s;
    }

    /** The region named in the path, current, after checking the caller may edit its slice. */
    private Regions.Stored region(Context ctx) {
        long rid = Http.id(ctx, "rid");
        long sliceId = b.regions().sliceOf(rid);
        Slice s = b.slides().slice(sliceId).orElseThrow(() -> ApiError.notFound("no slice " + sliceId));
        b.access().require(principal(ctx), s.projectId(), Role.EDITOR);
        return b.regions().region(rid).orElseThrow(() -> new Conflict("region " + rid + " was deleted", Map.of("deleted", true)));
    }

    private static int version(JsonNode body) {
        Long v = JsonBody.whole(body, "version", true);
        return v.intValue();
    }

    /** The new shape of a region, keeping its layer, class and other properties. */
    private static RegionInput reshaped(Regions.Stored r, Geometry g, Principal p) {
        String provenance = r.layer().equals(RegionRoutes.HUMAN) || r.provenance() == null ? RegionRoutes.provenanceOf(p) : r.provenance();
        return new RegionInput(r.layer(), r.className(), geometry(g), r.properties(), provenance);
    }

    static RegionGeometry geometry(Geometry g) {
        try {
            return RegionGeometry.of(g);
        } catch (LimitExceeded e) {
            throw e;
        } catch (InvalidInput e) {
            throw ApiError.badRequest("the result is not a valid region: " + e.getMessage());
        }
    }

    /** The regions a shape edit left (as features) and the ids it deleted, with the commit's seq. */
    private static void answer(Context ctx, int status, Commit commit) {
        ObjectNode out = Jackson.MAPPER.createObjectNode().put("type", "FeatureCollection").put("seq", commit.seq());
        ArrayNode features = out.putArray("features");
        ArrayNode deleted = out.putArray("deleted");
        for (Change c : commit.changes()) {
            if (c.op().equals("delete")) {
                deleted.add(c.regionId());
            } else {
                features.addRawValue(new RawValue(c.featureJson()));
            }
        }
        ctx.status(status).contentType("application/geo+json").header("X-Change-Seq", Long.toString(commit.seq()))
                .result(Jackson.write(out));
    }

    private void split(Context ctx) {
        Regions.Stored r = region(ctx);
        ObjectNode body = JsonBody.object(ctx);
        int version = version(body);
        LineString line = line(body.get("line"));
        List<Polygon> parts;
        try {
            parts = RegionShapes.split(Outline.parse(r.geometry()).toJts(), line);
        } catch (InvalidInput e) {
            throw ApiError.badRequest(e.getMessage() + " (region " + r.id() + ")");
        }
        Principal p = principal(ctx);
        List<Edit> edits = new ArrayList<>();
        edits.add(new Edit.Update(r.id(), version, reshaped(r, parts.get(0), p)));
        for (Polygon part : parts.subList(1, parts.size())) {
            edits.add(new Edit.Create(reshaped(r, part, p)));
        }
        answer(ctx, 200, b.regions().apply(r.sliceId(), edits, RegionRoutes.actor(p)));
    }

    /** A GeoJSON LineString (or a Feature holding one) with at least two points. */
    static LineString line(JsonNode node) {
        if (node != null && "Feature".equals(node.path("type").asText())) {
            node = node.get("geometry");
        }
        if (node == null || !node.isObject() || !"LineString".equals(node.path("type").asText())) {
            throw ApiError.badRequest("\"line\" must be a GeoJSON LineString: {\"type\": \"LineString\", \"coordinates\": [[x, y], ...]}");
        }
        JsonNode coords = node.get("coordinates");
        if (coords == null || !coords.isArray() || coords.size() < 2 || coords.size() > 100_000) {
            throw ApiError.badRequest("the line needs 2..100000 points");
        }
        Coordinate[] c = new Coordinate[coords.size()];
        for (int i = 0; i < c.length; i++) {
            JsonNode pt = coords.get(i);
            if (!pt.isArray() || pt.size() < 2 || !pt.get(0).isNumber() || !pt.get(1).isNumber()
                    || !Double.isFinite(pt.get(0).asDouble()) || !Double.isFinite(pt.get(1).asDouble())) {
                throw ApiError.badRequest("line point " + i + ": expected [x, y] numbers, got " + pt);
            }
            c[i] = new Coordinate(pt.get(0).asDouble(), pt.get(1).asDouble());
        }
        LineString l = FACTORY.createLineString(c);
        if (l.getLength() == 0) {
            throw ApiError.badRequest("the line has no length");
        }
        return l;
    }

    private void merge(Context ctx) {
        Slice s = slice(ctx);
        ObjectNode body = JsonBody.object(ctx);
        JsonNode ids = body.get("ids");
        JsonNode versions = body.get("versions");
        if (ids == null || !ids.isArray() || ids.size() < 2 || ids.size() > 10_000) {
            throw ApiError.badRequest("merge needs \"ids\": an array of 2 or more region ids");
        }
        if (versions == null || !versions.isArray() || versions.size() != ids.size()) {
            throw ApiError.badRequest("merge needs \"versions\": the version of each region, in the order of \"ids\"");
        }
        List<Regions.Stored> regions = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).canConvertToLong() || !versions.get(i).canConvertToInt()) {
                throw ApiError.badRequest("ids and versions must be whole numbers: " + ids.get(i) + ", " + versions.get(i));
            }
            long id = ids.get(i).asLong();
            if (!seen.add(id)) {
                throw ApiError.badRequest("region " + id + " is listed twice");
            }
            Regions.Stored r = b.regions().region(id).orElse(null);
            if (r == null) {
                long on = b.regions().sliceOf(id); // 404 when it never existed
                throw new Conflict("region " + id + (on == s.id() ? " was deleted" : " is not on slice " + s.id()), Map.of("deleted", true));
            }
            if (r.sliceId() != s.id()) {
                throw ApiError.badRequest("region " + id + " is on slice " + r.sliceId() + ", not on slice " + s.id()
                        + "; only regions of one slice merge");
            }
            regions.add(r);
        }
        List<Geometry> shapes = new ArrayList<>();
        for (Regions.Stored r : regions) {
            shapes.add(Outline.parse(r.geometry()).toJts());
        }
        Geometry merged = RegionShapes.merge(shapes);
        Principal p = principal(ctx);
        List<Edit> edits = new ArrayList<>();
        edits.add(new Edit.Update(regions.get(0).id(), versions.get(0).asInt(), reshaped(regions.get(0), merged, p)));
        for (int i = 1; i < regions.size(); i++) {
            edits.add(new Edit.Delete(regions.get(i).id(), versions.get(i).asInt()));
        }
        answer(ctx, 200, b.regions().apply(s.id(), edits, RegionRoutes.actor(p)));
    }

    private void fillHoles(Context ctx) {
        Regions.Stored r = region(ctx);
        ObjectNode body = JsonBody.object(ctx);
        int version = version(body);
        Double maxArea = JsonBody.number(body, "maxArea");
        Geometry filled;
        try {
            filled = RegionShapes.fillHoles(Outline.parse(r.geometry()).toJts(), maxArea == null ? 0 : maxArea);
        } catch (InvalidInput e) {
            throw ApiError.badRequest(e.getMessage() + " (region " + r.id() + ")");
        }
        Principal p = principal(ctx);
        answer(ctx, 200, b.regions().apply(r.sliceId(), List.of(new Edit.Update(r.id(), version, reshaped(r, filled, p))),
                RegionRoutes.actor(p)));
    }

    /**
     * {x, y, tolerance?, downsample?, class?, layer?}: the area around the click whose colour is
     * within tolerance of the clicked pixel ({@link MagicWand#around}), read from the pyramid level
     * that matches {@code downsample} (slide pixels per screen pixel, as the user sees it).
     * {@code ?preview=true} only returns the outline.
     */
    private void magicWand(Context ctx) {
        Slice s = slice(ctx);
        ObjectNode body = JsonBody.object(ctx);
        Double x = JsonBody.number(body, "x"), y = JsonBody.number(body, "y");
        if (x == null || y == null) {
            throw ApiError.badRequest("magic wand needs the click as \"x\" and \"y\" (slide pixels)");
        }
        Double tol = JsonBody.number(body, "tolerance");
        double tolerance = tol == null ? 30 : tol;
        if (tolerance < 0 || tolerance > 442) {
            throw ApiError.badRequest("tolerance is a colour distance 0..442 (RGB), got " + tolerance);
        }
        Double ds = JsonBody.number(body, "downsample");
        double downsample = ds == null ? 1 : ds;
        if (downsample < 1 || downsample > 4096) {
            throw ApiError.badRequest("downsample (slide pixels per screen pixel) must be 1..4096, got " + downsample);
        }
        String layer = body.has("layer") ? JsonBody.text(body, "layer", false) : RegionRoutes.HUMAN;
        String className = JsonBody.text(body, "class", false);
        MagicWand.PictureReader pixels = (window, w, h) -> {
            BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            picture.setRGB(0, 0, w, h, b.ingest().tiles().picture(s, window, w, h), 0, w);
            return picture;
        };
        MagicWand.Selection selection;
        try {
            selection = MagicWand.around(pixels, s.width(), s.height(), x, y, downsample, tolerance);
        } catch (UncheckedIOException | SlideException e) {
            throw new ApiError(422, "slice " + s.id() + " has no readable pixels for the magic wand", Map.of());
        }
        RegionGeometry geometry = geometry(selection.geometry());
        if ("true".equals(ctx.queryParam("preview"))) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "Feature");
            out.put("geometry", JsonBody.parse(geometry.json()));
            out.put("properties", Map.of("area", selection.geometry().getArea(), "pixels", selection.pixels(),
                    "truncated", selection.truncated(), "downsample", downsample));
            Http.json(ctx, out);
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        if (className != null) {
            properties.put("classification", Map.of("name", className));
        }
        RegionInput in = new RegionInput(layer, className, geometry, Jackson.write(properties),
                RegionRoutes.provenanceOf(principal(ctx)));
        Commit commit = b.regions().create(s.id(), in, RegionRoutes.actor(principal(ctx)));
        Change c = commit.changes().get(0);
        ctx.status(201).contentType("application/geo+json").header("X-Change-Seq", Long.toString(c.seq()))
                .header("X-Wand-Truncated", Boolean.toString(selection.truncated())).result(c.featureJson());
    }
}
