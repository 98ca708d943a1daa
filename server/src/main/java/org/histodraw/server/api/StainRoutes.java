package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.ProjectStain;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;

/**
 * A project's stain vectors: estimated from a slice's pixels ("estimate from this slide", as
 * QuPath's "Estimate stain vectors"), stored as the project's own, typed in, or reset to the preset.
 * The segmentation trains on them (the viewer's panel sends them to the service with the stain).
 */
final class StainRoutes {
    private final Backend b;

    StainRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/slices/{id}/estimate-stains", this::estimate);
        routes.put("/api/v1/projects/{p}/stain-vectors", this::set);
        routes.delete("/api/v1/projects/{p}/stain-vectors", this::reset);
    }

    private Principal principal(Context ctx) {
        return Http.principal(ctx, b.auth());
    }

    /**
     * {@code {"stain": "hdab"}} (optional; the project's stain by default): the slice's two stains
     * measured from its pixels, beside the preset; nothing is stored.
     */
    private void estimate(Context ctx) {
        long id = Http.id(ctx, "id");
        Slice s = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(principal(ctx), s.projectId(), Role.VIEWER);
        String stain = b.projects().stainSetting(s.projectId()).stain();
        if (!ctx.body().isBlank()) {
            String asked = JsonBody.text(JsonBody.object(ctx), "stain", false);
            stain = asked == null ? stain : asked;
        }
        StainVectors preset = preset(stain);
        StainVectors estimated;
        try {
            estimated = b.ingest().tiles().estimateStains(s, preset);
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, "cannot estimate the stains of slice " + s.id() + ": " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("slice", s.id());
        out.put("stain", stain);
        out.put("vectors", estimated.toText());
        out.put("stains", stains(estimated));
        out.put("preset", preset.toText());
        out.put("degreesFromPreset", Math.round(estimated.angleTo(preset) * 10) / 10.0);
        Http.json(ctx, out);
    }

    /** {@code {"vectors": "r,g,b/r,g,b", "estimatedFrom": sliceId}}: the project's own vectors (owner). */
    private void set(Context ctx) {
        Project project = project(ctx);
        ObjectNode body = JsonBody.object(ctx);
        String text = JsonBody.text(body, "vectors", true);
        ProjectStain current = b.projects().stainSetting(project.id());
        StainVectors preset = preset(current.stain());
        StainVectors vectors;
        try {
            vectors = StainVectors.parse(text, preset);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        Long from = null;
        JsonNode slice = body.get("estimatedFrom");
        if (slice != null && !slice.isNull()) {
            if (!slice.canConvertToLong() || !slice.isIntegralNumber()) {
                throw ApiError.badRequest("estimatedFrom must be a slice id: " + slice);
            }
            Slice s = b.slides().slice(slice.asLong()).orElse(null);
            if (s == null || s.projectId() != project.id()) {
                throw ApiError.badRequest("estimatedFrom names no slice of this project: " + slice);
            }
            from = s.id();
        }
        Http.json(ctx, view(b.projects().setStainVectors(project.id(), vectors, from)));
    }

    /** Back to the preset vectors of the project's stain (owner). */
    private void reset(Context ctx) {
        Project project = project(ctx);
        Http.json(ctx, view(b.projects().setStainVectors(project.id(), null, null)));
    }

    private Project project(Context ctx) {
        long id = Http.id(ctx, "p");
        Project project = b.projects().project(id).orElseThrow(() -> ApiError.notFound("no project " + id));
        b.access().require(principal(ctx), id, Role.OWNER);
        return project;
    }

    /** The preset of a stained stain, or 400 (rgb has no stains to estimate; unknown names are named). */
    private static StainVectors preset(String stain) {
        StainVectors preset;
        try {
            preset = ProjectStain.preset(stain);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("stain must be he or hdab: " + stain);
        }
        if (preset == null) {
            throw ApiError.badRequest("the stain is " + stain + ": there are no stain vectors to estimate or set;"
                    + " choose H&E (he) or H-DAB (hdab) first");
        }
        return preset;
    }

    /**
     * The project's stain vectors as the API shows them (null for rgb): {@code vectors} (text),
     * {@code stains} (name and optical densities), {@code custom} (false: the preset),
     * {@code estimatedFrom} (a slice id, or null) and the {@code preset}.
     */
    static Map<String, Object> view(ProjectStain stain) {
        StainVectors vectors = stain.vectors();
        if (vectors == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stain", stain.stain());
        out.put("vectors", vectors.toText());
        out.put("stains", stains(vectors));
        out.put("custom", stain.custom() != null);
        out.put("estimatedFrom", stain.estimatedFrom());
        out.put("preset", ProjectStain.preset(stain.stain()).toText());
        return out;
    }

    private static List<Map<String, Object>> stains(StainVectors v) {
        return List.of(stain(v.first()), stain(v.second()));
    }

    private static Map<String, Object> stain(StainVector s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", s.name());
        out.put("opticalDensity", List.of(s.red(), s.green(), s.blue()));
        return out;
    }
}
