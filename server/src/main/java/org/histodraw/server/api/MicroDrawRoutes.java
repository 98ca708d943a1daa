package org.histodraw.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.histodraw.engine.geojson.JsonException;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.exchange.ImportGate;
import org.histodraw.server.exchange.MicroDrawCompat;
import org.histodraw.server.store.Conflict;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.MicroDrawStore;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;

/**
 * MicroDraw's HTTP API under {@value #PREFIX}, with its parameters and JSON, so that MicroDraw's
 * client and scripts work against HistoDraw by changing only the server they talk to (see
 * docs/interop.md):
 * <ul>
 *   <li>{@code GET /microdraw/api?source=&slice=[&project=][&backup]}: the slice's annotations as
 *       MicroDraw's database documents;</li>
 *   <li>{@code POST /microdraw/api} with {@code action=save, source, slice, project, Hash, annotation}
 *       (JSON, as MicroDraw's client posts it, or a form): MicroDraw's save;</li>
 *   <li>{@code POST /microdraw/api/upload?action=save|append&source=&slice=} with the file in the
 *       multipart field {@code data}: MicroDraw's scripted upload;</li>
 *   <li>{@code GET /microdraw/source/{series}.json}: a series as a MicroDraw source description.</li>
 * </ul>
 * Instead of MicroDraw's cookies, callers send a HistoDraw API token: as MicroDraw's scripts send
 * their token, in {@code ?token=}, or in {@code Authorization: Bearer}. A browser session works too;
 * a write through it must come as JSON (as MicroDraw's client sends it: no other site's page can
 * post JSON here) or carry the session's CSRF header. Errors answer {@code {"error": ..., "msg": ...}}
 * ({@code msg} is where MicroDraw puts its messages).
 */
final class MicroDrawRoutes {
    static final String PREFIX = "/microdraw";
    /** An uploaded file of annotations, at most (as a request body). */
    static final long MAX_FILE_BYTES = 64L << 20;
    /** MicroDraw's client sends a slice's annotations as one JSON string: as long as a request body may be. */
    private static final ObjectMapper BODY = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) MAX_FILE_BYTES).build()).build());
    private final Backend b;
    private final MicroDrawCompat compat;
    private final MicroDrawStore store;
    private final ImportGate gate;

    MicroDrawRoutes(Backend b, ImportGate gate) {
        this.b = b;
        this.gate = gate;
        this.store = new MicroDrawStore(b.db());
        this.compat = new MicroDrawCompat(b.regions(), new RegionOrigins(b.db()), store, b.slides());
    }

    void register(RouteTable routes) {
        routes.get(PREFIX + "/api", withMsg(this::load));
        // Saves and uploads unpack files as imports do: through the same gate, so their memory stays bounded.
        routes.post(PREFIX + "/api", withMsg(ctx -> gate.oneAtATime(() -> {
            save(ctx);
            return null;
        })));
        routes.post(PREFIX + "/api/upload", withMsg(ctx -> gate.oneAtATime(() -> {
            upload(ctx);
            return null;
        })));
        routes.get(PREFIX + "/source/{file}", withMsg(this::source));
    }

    /** Client errors also carry the message as {@code msg}, where MicroDraw's scripts read it. */
    private static Handler withMsg(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (ApiError e) {
                Map<String, Object> details = new LinkedHashMap<>(e.details());
                details.put("msg", e.getMessage());
                throw new ApiError(e.status(), e.getMessage(), details);
            } catch (NotFound e) {
                throw new ApiError(404, e.getMessage(), Map.of("msg", e.getMessage()));
            } catch (Conflict e) {
                Map<String, Object> details = new LinkedHashMap<>(e.details());
                details.put("msg", e.getMessage());
                throw new ApiError(409, e.getMessage(), details);
            } catch (LimitExceeded e) {
                throw new ApiError(413, e.getMessage(), Map.of("msg", e.getMessage(), "limit", e.limit(), "max", e.max()));
            } catch (InvalidInput e) {
                throw new ApiError(400, e.getMessage(), Map.of("msg", e.getMessage()));
            }
        };
    }

    /** The caller: bearer header, MicroDraw's {@code ?token=}, or the session cookie. */
    private Principal principal(Context ctx, boolean writes) {
        Principal p = ctx.attribute(Http.PRINCIPAL);
        if (p == null) {
            p = b.auth().authenticate(ctx.header("Authorization"), ctx.cookie(Authenticator.SESSION_COOKIE), ctx.queryParam("token"));
            ctx.attribute(Http.PRINCIPAL, p);
        }
        if (writes) {
            if (p.anonymous()) {
                throw ApiError.unauthorized("Invalid user: send a HistoDraw API token (?token= or Authorization: Bearer)");
            }
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/json")) {
                b.auth().checkCsrf(p, ctx.method().name(), ctx.header(Authenticator.CSRF_HEADER));
            }
        }
        return p;
    }

    private MicroDrawCompat.Target target(Context ctx, String source, String slice, String project, Role needed, boolean writes) {
        Principal p = principal(ctx, writes);
        MicroDrawCompat.Target t = compat.target(source, slice, project);
        b.access().require(p, t.series().projectId(), needed);
        return t;
    }

    private void load(Context ctx) {
        String source = ctx.queryParam("source");
        String project = ctx.queryParam("project");
        MicroDrawCompat.Target t = target(ctx, source, ctx.queryParam("slice"), project, Role.VIEWER, false);
        boolean backup = ctx.queryParam("backup") != null;
        ctx.contentType("application/json");
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            compat.writeDocuments(t, source, project, backup, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MicroDraw's save: its client posts JSON, older clients and scripts a form; a multipart file is taken as an upload. */
    private void save(Context ctx) {
        if (ctx.isMultipartFormData()) {
            upload(ctx);
            return;
        }
        principal(ctx, true); // an anonymous caller is refused before its body is read
        Map<String, String> body = new LinkedHashMap<>();
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            JsonNode json;
            try {
                json = BODY.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("the body is not JSON: " + e.getOriginalMessage());
            }
            if (!json.isObject()) {
                throw ApiError.badRequest("the body must be a JSON object {action, source, slice, project, Hash, annotation}");
            }
            json.fields().forEachRemaining(e -> body.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        } else {
            for (String name : List.of("action", "source", "slice", "project", "Hash", "annotation")) {
                body.put(name, ctx.formParam(name));
            }
        }
        ctx.queryParamMap().forEach((k, v) -> body.putIfAbsent(k, v.isEmpty() ? null : v.get(0)));
        if (!"save".equals(body.get("action"))) {
            throw ApiError.badRequest("actions other than save are no longer supported (got action=" + body.get("action") + ")");
        }
        MicroDrawCompat.Target t = target(ctx, body.get("source"), body.get("slice"), body.get("project"), Role.EDITOR, true);
        if (body.get("annotation") == null) {
            throw ApiError.badRequest("a save needs \"annotation\": {\"Regions\": [...], \"RegionsToRemove\": [...]} as JSON text");
        }
        Principal p = principal(ctx, true);
        MicroDrawCompat.Saved saved;
        try {
            saved = compat.save(t, body.get("annotation"), username(p), RegionRoutes.actor(p), RegionRoutes.provenanceOf(p));
        } catch (JsonException e) {
            throw ApiError.badRequest("annotation is not JSON: " + e.getMessage());
        }
        answer(ctx, t, saved, Map.of("success", true));
    }

    private void upload(Context ctx) {
        String action = ctx.queryParam("action");
        if (!"save".equals(action) && !"append".equals(action)) {
            throw ApiError.badRequest("actions other than save and append are no longer supported (got action=" + action + ")");
        }
        MicroDrawCompat.Target t = target(ctx, ctx.queryParam("source"), ctx.queryParam("slice"), ctx.queryParam("project"),
                Role.EDITOR, true);
        Principal p = principal(ctx, true);
        if (!ctx.isMultipartFormData()) {
            throw ApiError.badRequest("Invalid annotation file: send it as multipart/form-data in the field \"data\"");
        }
        List<UploadedFile> files = ctx.uploadedFiles("data");
        if (files.isEmpty()) {
            throw ApiError.badRequest("Invalid annotation file: the multipart field \"data\" is missing");
        }
        if (files.get(0).size() > MAX_FILE_BYTES) {
            throw new ApiError(413, "Invalid annotation file: larger than " + (MAX_FILE_BYTES >> 20) + " MB", Map.of());
        }
        String text;
        try (InputStream in = files.get(0).content()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MicroDrawCompat.Saved saved;
        try {
            saved = compat.upload(t, text, username(p), RegionRoutes.actor(p), RegionRoutes.provenanceOf(p));
        } catch (JsonException e) {
            throw ApiError.badRequest("Invalid annotation file: not JSON: " + e.getMessage());
        }
        answer(ctx, t, saved, Map.of("msg", "Annotation successfully saved"));
    }

    private void answer(Context ctx, MicroDrawCompat.Target t, MicroDrawCompat.Saved saved, Map<String, Object> microDraws) {
        List<String> added = b.projects().addClasses(t.series().projectId(), saved.classColours());
        Map<String, Object> out = new LinkedHashMap<>(microDraws);
        out.put("seq", saved.seq());
        out.put("created", saved.created());
        out.put("updated", saved.updated());
        out.put("deleted", saved.deleted());
        out.put("unchanged", saved.unchanged());
        out.put("linesAndTexts", saved.linesAndTexts());
        out.put("skipped", saved.skipped().stream().map(Skipped::message).toList());
        out.put("classesAdded", added);
        Http.json(ctx, out);
    }

    private void source(Context ctx) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".json")) {
            throw ApiError.notFound("a MicroDraw source is /microdraw/source/{series}.json");
        }
        long id = Http.id(file.substring(0, file.length() - 5), "series");
        Series series = b.slides().series(id).orElseThrow(() -> ApiError.notFound("no series " + id));
        b.access().require(principal(ctx, false), series.projectId(), Role.VIEWER);
        Http.json(ctx, compat.sourceDescription(series));
    }

    private static String username(Principal p) {
        return p.user() == null ? p.displayName() : p.user().username();
    }
}
