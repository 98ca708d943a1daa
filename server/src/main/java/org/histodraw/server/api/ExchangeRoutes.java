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
import org.histodraw.server.exchange.ImportGate;
import org.histodraw.server.exchange.MicroDrawCompat;
import org.histodraw.server.exchange.QuPathExport;
import org.histodraw.server.exchange.RegionExport;
import org.histodraw.server.exchange.RegionImport;
import org.histodraw.server.exchange.UpdatingImport;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.MicroDrawStore;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;

/**
 * Import and export of a slice's or a series' regions as QuPath GeoJSON or MicroDraw JSON, so users
 * of either can bring their annotations over and take them back (what each direction keeps:
 * docs/interop.md). Routes only translate HTTP: the work is in {@link RegionImport} and
 * {@link RegionExport}. An import reads every feature it can and reports the others with the
 * reason, stores all or nothing within the import limits, updates the regions an earlier import or
 * export of the same objects made (by their ids), and adds unknown classes to the ontology.
 * Annotations go to the human layer, QuPath's detections and cells to layer {@code detections}
 * ({@code ?layer=} puts everything in one layer). A series travels as a zip with one file per slice.
 */
final class ExchangeRoutes {
    private final Backend b;
    private final RegionImport imports;
    private final RegionExport exports;

    ExchangeRoutes(Backend b, ImportGate gate) {
        this.b = b;
        RegionOrigins origins = new RegionOrigins(b.db());
        MicroDrawCompat microDraw = new MicroDrawCompat(b.regions(), origins, new MicroDrawStore(b.db()), b.slides());
        this.imports = new RegionImport(b.regions(), b.projects(), new UpdatingImport(origins), microDraw, b.settings().importLimits(),
                gate);
        this.exports = new RegionExport(new QuPathExport(b.regions(), origins), microDraw, b.projects());
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
        RegionImport.Importer who = importer(ctx);
        RegionImport.Result r;
        try (InputStream in = Http.body(ctx)) {
            r = imports.importSlice(s, in, f, who);
        }
        RegionImport.SliceResult one = r.slices().get(0);
        Map<String, Object> out = new LinkedHashMap<>(one.report());
        out.put("classesAdded", r.classesAdded());
        out.put("seq", one.seq());
        Http.json(ctx, out);
    }

    /** A zip of files named after the slices; all are checked before any is stored, and stored in one transaction. */
    private void importSeries(Context ctx) throws IOException {
        Series series = series(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
        RegionImport.Importer who = importer(ctx);
        RegionImport.Result r;
        try (InputStream in = Http.body(ctx)) {
            r = imports.importSeries(series.projectId(), b.slides().slicesOf(series.id()), in, f, who);
        }
        List<Map<String, Object>> done = new ArrayList<>();
        for (RegionImport.SliceResult s : r.slices()) {
            Map<String, Object> m = new LinkedHashMap<>(s.report());
            m.put("classesAdded", r.classesAdded());
            m.put("seq", s.seq());
            m.put("slice", s.slice().id());
            m.put("name", s.slice().name());
            done.add(m);
        }
        Http.json(ctx, Map.of("slices", done, "classesAdded", r.classesAdded(), "unmatched", r.unmatched()));
    }

    /** The caller as an importer; {@code ?layer=} puts every region in that layer. */
    private RegionImport.Importer importer(Context ctx) {
        String layer = ctx.queryParam("layer");
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        Principal p = Http.principal(ctx, b.auth());
        String user = p.user() == null ? p.displayName() : p.user().username();
        return new RegionImport.Importer(RegionRoutes.actor(p), user, layer,
                Jackson.write(Map.of("user", user, "imported", true)));
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
