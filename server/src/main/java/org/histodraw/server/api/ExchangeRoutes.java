package org.histodraw.server.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.exchange.Format;
import org.histodraw.server.exchange.RegionExport;
import org.histodraw.server.exchange.RegionImport;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;

/**
 * Import and export of a slice's or a series' regions as QuPath GeoJSON or MicroDraw JSON (the work
 * is in {@link RegionImport} and {@link RegionExport}): imports go to the human layer, all or
 * nothing, within the import limits; a series travels as a zip with one file per slice.
 */
final class ExchangeRoutes {
    private final Backend b;
    private final RegionImport imports;
    private final RegionExport exports;

    ExchangeRoutes(Backend b) {
        this.b = b;
        this.imports = new RegionImport(b.regions(), b.projects(), b.settings().importLimits());
        this.exports = new RegionExport(b.regions(), b.projects());
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/slices/{id}/export", this::exportSlice);
        routes.post("/api/v1/slices/{id}/import", this::importSlice);
        routes.get("/api/v1/series/{s}/export", this::exportSeries);
        routes.post("/api/v1/series/{s}/import", this::importSeries);
    }

    private void exportSlice(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        Format f = Format.parse(ctx.queryParam("format"), false);
        byte[] body = exports.slice(s, f, ctx.queryParam("layer"));
        ctx.header("Content-Disposition", "attachment; filename=\"" + RegionExport.fileName(s.name(), f) + "\"");
        ctx.contentType(f.mediaType()).result(body);
    }

    private void exportSeries(Context ctx) throws IOException {
        Series series = series(ctx, Role.VIEWER);
        Format f = Format.parse(ctx.queryParam("format"), false);
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + RegionExport.safe(series.name()) + "-"
                + f.name().toLowerCase(Locale.ROOT) + ".zip\"");
        try (OutputStream out = ctx.outputStream()) {
            exports.series(b.slides().slicesOf(series.id()), f, ctx.queryParam("layer"), out);
        }
    }

    private void importSlice(Context ctx) throws IOException {
        Slice s = slice(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
        Principal p = Http.principal(ctx, b.auth());
        RegionImport.Result r;
        try (InputStream in = Http.body(ctx)) {
            r = imports.importSlice(s, in, f, RegionRoutes.actor(p), provenance(p));
        }
        RegionImport.SliceResult one = r.slices().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("imported", one.imported());
        out.put("classesAdded", r.classesAdded());
        out.put("seq", one.seq());
        Http.json(ctx, out);
    }

    /** A zip of files named after the slices; all are checked before any is stored, and stored in one transaction. */
    private void importSeries(Context ctx) throws IOException {
        Series series = series(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
        Principal p = Http.principal(ctx, b.auth());
        RegionImport.Result r;
        try (InputStream in = Http.body(ctx)) {
            r = imports.importSeries(series.projectId(), b.slides().slicesOf(series.id()), in, f, RegionRoutes.actor(p),
                    provenance(p));
        }
        List<Map<String, Object>> done = new ArrayList<>();
        for (RegionImport.SliceResult s : r.slices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("imported", s.imported());
            m.put("classesAdded", r.classesAdded());
            m.put("seq", s.seq());
            m.put("slice", s.slice().id());
            m.put("name", s.slice().name());
            done.add(m);
        }
        Http.json(ctx, Map.of("slices", done, "classesAdded", r.classesAdded(), "unmatched", r.unmatched()));
    }

    private static String provenance(Principal p) {
        return Jackson.write(Map.of("user", p.user() == null ? p.displayName() : p.user().username(), "imported", true));
    }

    private Slice slice(Context ctx, Role needed) {
        long id = Http.id(ctx, "id");
        Slice s = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(Http.principal(ctx, b.auth()), s.projectId(), needed);
        return s;
    }

    private Series series(Context ctx, Role needed) {
        long id = Http.id(ctx, "s");
        Series s = b.slides().series(id).orElseThrow(() -> ApiError.notFound("no series " + id));
        b.access().require(Http.principal(ctx, b.auth()), s.projectId(), needed);
        return s;
    }
}
