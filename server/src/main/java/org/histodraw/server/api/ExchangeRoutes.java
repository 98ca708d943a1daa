package org.histodraw.server.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.histodraw.engine.geojson.JsonException;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.server.Backend;
import org.histodraw.server.auth.ApiError;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.exchange.ImportReport;
import org.histodraw.server.exchange.IncomingRegion;
import org.histodraw.server.exchange.MicroDrawCompat;
import org.histodraw.server.exchange.Ontologies;
import org.histodraw.server.exchange.QuPathExport;
import org.histodraw.server.exchange.QuPathImport;
import org.histodraw.server.exchange.UpdatingImport;
import org.histodraw.server.store.MicroDrawStore;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;

/**
 * Import and export of a slice's or a series' regions as QuPath GeoJSON or MicroDraw JSON, so users
 * of either can bring their annotations over and take them back (what each direction keeps:
 * docs/interop.md). Routes only translate HTTP: reading, storing and writing live in
 * {@code org.histodraw.server.exchange}. An import reads every feature it can and reports the
 * others with the reason; it stores in one commit per slice, updating the regions an earlier
 * import or export of the same objects made (by their ids) instead of adding copies, and adds
 * unknown classes to the project's ontology with the colour the file gives. Annotations go to the
 * human layer, QuPath's detections and cells to layer {@code detections} ({@code ?layer=} puts
 * everything in one layer). A series travels as a zip with one file per slice, named after the slice.
 */
final class ExchangeRoutes {
    private static final int MAX_IMPORTED_REGIONS = 200_000;
    private static final long MAX_ZIP_ENTRY_BYTES = 256L << 20;
    private final Backend b;
    private final QuPathExport qupathExport;
    private final UpdatingImport updatingImport;
    private final MicroDrawCompat microDraw;

    ExchangeRoutes(Backend b) {
        this.b = b;
        RegionOrigins origins = new RegionOrigins(b.db());
        this.qupathExport = new QuPathExport(b.regions(), origins);
        this.updatingImport = new UpdatingImport(b.regions(), origins);
        this.microDraw = new MicroDrawCompat(b.regions(), origins, new MicroDrawStore(b.db()), b.slides());
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/slices/{id}/export", this::exportSlice);
        routes.post("/api/v1/slices/{id}/import", this::importSlice);
        routes.get("/api/v1/series/{s}/export", this::exportSeries);
        routes.post("/api/v1/series/{s}/import", this::importSeries);
    }

    /** The two formats; {@code auto} on import looks at the content. */
    enum Format {
        GEOJSON("geojson", "application/geo+json"), MICRODRAW("json", "application/json");

        final String extension;
        final String mediaType;

        Format(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }

        static Format parse(String value, boolean allowAuto) {
            if (value == null || value.isBlank()) {
                return allowAuto ? null : GEOJSON;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "geojson", "qupath" -> GEOJSON;
                case "microdraw" -> MICRODRAW;
                case "auto" -> {
                    if (allowAuto) {
                        yield null;
                    }
                    throw ApiError.badRequest("format must be geojson or microdraw for an export");
                }
                default -> throw ApiError.badRequest("unknown format \"" + value + "\": use geojson (QuPath) or microdraw");
            };
        }
    }

    // ---- export ----

    private void exportSlice(Context ctx) {
        Slice s = slice(ctx, Role.VIEWER);
        Format f = Format.parse(ctx.queryParam("format"), false);
        byte[] body = export(s, f, ctx.queryParam("layer"));
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(s, f) + "\"");
        ctx.contentType(f.mediaType).result(body);
    }

    private void exportSeries(Context ctx) throws IOException {
        Series series = series(ctx, Role.VIEWER);
        Format f = Format.parse(ctx.queryParam("format"), false);
        String layer = ctx.queryParam("layer");
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + safe(series.name()) + "-" + f.name().toLowerCase(Locale.ROOT) + ".zip\"");
        // Streamed: one slice's regions in memory at a time.
        try (OutputStream out = ctx.outputStream(); ZipOutputStream zip = new ZipOutputStream(out)) {
            Set<String> used = new LinkedHashSet<>();
            for (Slice s : b.slides().slicesOf(series.id())) {
                String name = fileName(s, f);
                for (int i = 2; !used.add(name); i++) {
                    name = stem(s.name()) + "-" + i + "." + f.extension;
                }
                zip.putNextEntry(new ZipEntry(name));
                zip.write(export(s, f, layer));
                zip.closeEntry();
            }
        }
    }

    private byte[] export(Slice s, Format f, String layer) {
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        if (f == Format.GEOJSON) {
            ByteArrayOutputStream geojson = new ByteArrayOutputStream();
            try {
                qupathExport.write(s, layer, b.projects().ontology(s.projectId()), geojson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return geojson.toByteArray();
        }
        StringBuilder out = new StringBuilder();
        microDraw.writeFile(s, layer, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- import ----

    private void importSlice(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
        Principal p = Http.principal(ctx, b.auth());
        Parsed parsed = parse(s, ctx.bodyAsBytes(), f, "the file", ctx.queryParam("layer"), provenance(p));
        Http.json(ctx, store(s, parsed, p, "the file"));
    }

    /** A zip of files named after the slices (QuPath's one GeoJSON per image); all are checked before any is stored. */
    private void importSeries(Context ctx) throws IOException {
        Series series = series(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
        Principal p = Http.principal(ctx, b.auth());
        Map<String, Slice> byStem = new HashMap<>();
        for (Slice s : b.slides().slicesOf(series.id())) {
            byStem.putIfAbsent(stem(s.name()).toLowerCase(Locale.ROOT), s);
        }
        Map<Slice, Parsed> matched = new LinkedHashMap<>();
        List<String> unmatched = new ArrayList<>();
        try (InputStream in = ctx.bodyInputStream(); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            boolean any = false;
            while ((e = zip.getNextEntry()) != null) {
                any = true;
                if (e.isDirectory() || e.getName().startsWith("__MACOSX") || e.getName().contains("/.")) {
                    continue;
                }
                String file = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                Slice s = byStem.get(stem(file).toLowerCase(Locale.ROOT));
                if (s == null) {
                    unmatched.add(file);
                    continue;
                }
                if (matched.containsKey(s)) {
                    throw ApiError.badRequest("two files in the zip are for slice " + s.name() + ": " + file + " and another");
                }
                matched.put(s, parse(s, readBounded(zip, file), f, file, ctx.queryParam("layer"), provenance(p)));
            }
            if (!any) {
                throw ApiError.badRequest("the body is not a zip file (or an empty one): send a zip of one GeoJSON or MicroDraw file per slice");
            }
        }
        if (matched.isEmpty()) {
            throw ApiError.badRequest("no file in the zip is named after a slice of this series (unmatched: " + String.join(", ", unmatched) + ")");
        }
        List<Map<String, Object>> done = new ArrayList<>();
        for (Map.Entry<Slice, Parsed> m : matched.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>(store(m.getKey(), m.getValue(), p, m.getKey().name()));
            r.put("slice", m.getKey().id());
            r.put("name", m.getKey().name());
            done.add(r);
        }
        Http.json(ctx, Map.of("slices", done, "unmatched", unmatched));
    }

    private static byte[] readBounded(ZipInputStream zip, String file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = zip.read(buf)) > 0; ) {
            total += n;
            if (total > MAX_ZIP_ENTRY_BYTES) {
                throw ApiError.badRequest(file + " in the zip is larger than " + (MAX_ZIP_ENTRY_BYTES >> 20) + " MB");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Regions read and ready to store, and the report of what became of every feature. */
    private record Parsed(List<IncomingRegion> regions, ImportReport report, String microDrawText) {
    }

    /**
     * Reads a file through the engine's shared reader: every feature either becomes a region or is
     * in the report with the reason; only a file that is not JSON, or not GeoJSON or MicroDraw JSON
     * at all, is refused as a whole.
     */
    private Parsed parse(Slice s, byte[] bytes, Format format, String what, String layer, String provenance) {
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            throw ApiError.badRequest(what + " is empty");
        }
        Format f = format != null ? format : detect(text);
        ImportReport report = new ImportReport();
        if (f == Format.MICRODRAW) {
            return new Parsed(List.of(), report, text); // read while storing: regions update by uid, lines and texts are kept
        }
        try {
            List<IncomingRegion> regions = QuPathImport.read(text, layer != null ? layer : RegionRoutes.HUMAN,
                    layer != null ? layer : QuPathImport.DETECTIONS, provenance, report);
            if (regions.size() > MAX_IMPORTED_REGIONS) {
                throw ApiError.badRequest(what + " holds " + regions.size() + " regions; at most " + MAX_IMPORTED_REGIONS + " per slice");
            }
            return new Parsed(regions, report, null);
        } catch (ApiError e) {
            throw e;
        } catch (JsonException e) {
            throw ApiError.badRequest(what + " is not JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(what + " is neither GeoJSON nor MicroDraw JSON: " + e.getMessage());
        }
    }

    private Map<String, Object> storeMicroDraw(Slice s, String text, Principal p, String file) {
        MicroDrawCompat.Saved saved;
        try {
            saved = microDraw.importFile(s, text, p.user() == null ? p.displayName() : p.user().username(), RegionRoutes.actor(p),
                    provenance(p));
        } catch (JsonException e) {
            throw ApiError.badRequest(file + " is not JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(file + " (MicroDraw JSON): " + e.getMessage());
        }
        ImportReport report = new ImportReport();
        for (Skipped skipped : saved.skipped()) {
            report.skipped(skipped.at(), skipped.id(), skipped.reason());
        }
        Map<String, Object> out = report.toMap();
        out.put("imported", saved.created() + saved.updated() + saved.unchanged());
        out.put("created", saved.created());
        out.put("updated", saved.updated());
        out.put("unchanged", saved.unchanged());
        out.put("linesAndTexts", saved.linesAndTexts());
        out.put("classesAdded", Ontologies.addClasses(b.projects(), s.projectId(), saved.classColours()));
        out.put("seq", saved.seq());
        return out;
    }

    private static Format detect(String text) {
        if (text.startsWith("[") && text.contains("\"annotation\"")) {
            return Format.MICRODRAW;
        }
        if (text.startsWith("{") && text.contains("\"Regions\"") && !text.contains("\"features\"")) {
            return Format.MICRODRAW;
        }
        return Format.GEOJSON;
    }

    private static String provenance(Principal p) {
        return Json.write(Map.of("user", p.user() == null ? p.displayName() : p.user().username(), "imported", true));
    }

    private Map<String, Object> store(Slice s, Parsed parsed, Principal p, String file) {
        if (parsed.microDrawText() != null) {
            return storeMicroDraw(s, parsed.microDrawText(), p, file);
        }
        Map<String, String> colours = new LinkedHashMap<>();
        for (IncomingRegion r : parsed.regions()) {
            if (r.input().className() != null) {
                colours.merge(r.input().className(), r.classColour() == null ? "" : r.classColour(), (a, c) -> a.isEmpty() ? c : a);
            }
        }
        List<String> added = Ontologies.addClasses(b.projects(), s.projectId(), colours);
        String layerProvenance = Json.write(Map.of("service", "import", "model", file, "job",
                "imported by " + (p.user() == null ? p.displayName() : p.user().username())));
        long seq = updatingImport.store(s.id(), parsed.regions(), parsed.report(), RegionRoutes.actor(p), layerProvenance);
        Map<String, Object> out = parsed.report().toMap();
        out.put("classesAdded", added);
        out.put("seq", seq);
        return out;
    }

    // ---- helpers ----

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

    private static String fileName(Slice s, Format f) {
        return safe(stem(s.name())) + "." + f.extension;
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.endsWith(".ome") ? base.substring(0, base.length() - 4) : base;
    }

    private static String safe(String name) {
        return name.replaceAll("[^\\p{L}\\p{N}._ -]", "_");
    }
}
