package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.server.Backend;
import org.histodraw.server.auth.ApiError;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;

/**
 * Import and export of a slice's or a series' regions as QuPath GeoJSON or MicroDraw JSON, so users
 * of either can bring their annotations over and take them back. Export writes QuPath's form
 * ({@code objectType}, {@code classification {name, color [r, g, b]}}); import adds the regions to
 * the human layer in one commit (all or none) and adds unknown classes to the project's ontology
 * with the colour the file gives. A series travels as a zip with one file per slice, named after
 * the slice.
 */
final class ExchangeRoutes {
    private static final int MAX_IMPORTED_REGIONS = 200_000;
    private static final long MAX_ZIP_ENTRY_BYTES = 256L << 20;
    private final Backend b;

    ExchangeRoutes(Backend b) {
        this.b = b;
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
        Map<String, int[]> colours = colours(s.projectId());
        ObjectNode collection = Json.MAPPER.createObjectNode();
        collection.put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        b.regions().query(new Regions.Query(s.id(), layer, null, null, 0, 0), s.width(), s.height(), r -> {
            ObjectNode feature = features.addObject();
            feature.put("type", "Feature");
            feature.put("id", "histodraw-" + r.id());
            feature.set("geometry", Json.parse(r.geometry()));
            ObjectNode props = feature.putObject("properties");
            props.put("objectType", "annotation");
            // MicroDraw regions are named by class; an unclassified one needs a name too.
            String className = r.className() != null ? r.className() : f == Format.MICRODRAW ? "Unclassified" : null;
            if (className != null) {
                ObjectNode cls = props.putObject("classification");
                cls.put("name", className);
                int[] rgb = colours.get(className);
                if (rgb != null) {
                    cls.putArray("color").add(rgb[0]).add(rgb[1]).add(rgb[2]);
                }
            }
            props.put("layer", r.layer());
        });
        String geojson = Json.write(collection);
        if (f == Format.GEOJSON) {
            return geojson.getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder();
        LabelledRegions regions = features.isEmpty() ? null : GeoJson.readRegions(geojson);
        MicroDrawJson.forImageWidth(s.width()).write(regions == null ? List.of() : regions.regions(), out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- import ----

    private void importSlice(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
        Parsed parsed = parse(s, ctx.bodyAsBytes(), f, "the file");
        Http.json(ctx, store(s, parsed, Http.principal(ctx, b.auth())));
    }

    /** A zip of files named after the slices (QuPath's one GeoJSON per image); all are checked before any is stored. */
    private void importSeries(Context ctx) throws IOException {
        Series series = series(ctx, Role.EDITOR);
        Format f = Format.parse(ctx.queryParam("format"), true);
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
                matched.put(s, parse(s, readBounded(zip, file), f, file));
            }
            if (!any) {
                throw ApiError.badRequest("the body is not a zip file (or an empty one): send a zip of one GeoJSON or MicroDraw file per slice");
            }
        }
        if (matched.isEmpty()) {
            throw ApiError.badRequest("no file in the zip is named after a slice of this series (unmatched: " + String.join(", ", unmatched) + ")");
        }
        Principal p = Http.principal(ctx, b.auth());
        List<Map<String, Object>> done = new ArrayList<>();
        for (Map.Entry<Slice, Parsed> m : matched.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>(store(m.getKey(), m.getValue(), p));
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

    /** Regions checked and ready to store, and the classes they bring. */
    private record Parsed(List<ObjectNode> features, Map<String, String> classColours) {
    }

    private Parsed parse(Slice s, byte[] bytes, Format format, String what) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            throw ApiError.badRequest(what + " is empty");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest(what + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Format f = format != null ? format : detect(root);
        List<ObjectNode> features = new ArrayList<>();
        if (f == Format.MICRODRAW) {
            try {
                LabelledRegions regions = MicroDrawJson.forImageWidth(s.width()).readRegions(text);
                root = Json.MAPPER.readTree(GeoJson.toText(regions.regions()));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(what + " (MicroDraw JSON): " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (root.isArray()) {
            root.forEach(n -> features.add(feature(n, what)));
        } else if ("FeatureCollection".equals(root.path("type").asText())) {
            root.path("features").forEach(n -> features.add(feature(n, what)));
        } else if ("Feature".equals(root.path("type").asText())) {
            features.add((ObjectNode) root);
        } else {
            throw ApiError.badRequest(what + " is neither GeoJSON (a FeatureCollection, a Feature or an array of them) nor MicroDraw JSON");
        }
        if (features.size() > MAX_IMPORTED_REGIONS) {
            throw ApiError.badRequest(what + " holds " + features.size() + " regions; at most " + MAX_IMPORTED_REGIONS + " per slice");
        }
        Map<String, String> colours = new LinkedHashMap<>();
        for (ObjectNode feature : features) {
            JsonNode cls = feature.path("properties").path("classification");
            String name = cls.isTextual() ? cls.asText() : cls.path("name").asText(null);
            if (name != null && !colours.containsKey(name)) {
                colours.put(name, hex(cls.path("color")));
            }
        }
        return new Parsed(features, colours);
    }

    private static ObjectNode feature(JsonNode n, String what) {
        if (!n.isObject()) {
            throw ApiError.badRequest(what + ": a feature must be a JSON object, got " + Json.kind(n));
        }
        return (ObjectNode) n;
    }

    private static Format detect(JsonNode root) {
        if (root.isObject() && root.has("Regions")) {
            return Format.MICRODRAW;
        }
        if (root.isArray() && !root.isEmpty() && root.get(0).has("annotation")) {
            return Format.MICRODRAW;
        }
        return Format.GEOJSON;
    }

    private Map<String, Object> store(Slice s, Parsed parsed, Principal p) {
        String provenance = Json.write(Map.of("user", p.user() == null ? p.displayName() : p.user().username(), "imported", true));
        List<RegionInput> inputs = new ArrayList<>(parsed.features().size());
        int index = 0;
        for (ObjectNode feature : parsed.features()) {
            ObjectNode f = feature.deepCopy();
            if (f.path("properties").isObject()) {
                ((ObjectNode) f.get("properties")).remove(List.of("objectType", "isLocked"));
            }
            try {
                inputs.add(RegionRoutes.input(f, RegionRoutes.HUMAN, provenance));
            } catch (ApiError e) {
                throw ApiError.badRequest("region " + index + ": " + e.getMessage());
            }
            index++;
        }
        List<String> added = addClasses(s.projectId(), parsed.classColours());
        Commit commit = b.regions().createAll(s.id(), inputs, RegionRoutes.actor(p));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("imported", inputs.size());
        out.put("classesAdded", added);
        out.put("seq", commit.seq());
        return out;
    }

    /** Classes the file uses that the ontology lacks are added, with the file's colour. */
    private List<String> addClasses(long projectId, Map<String, String> used) {
        ArrayNode ontology = (ArrayNode) Json.parse(b.projects().ontology(projectId));
        Set<String> known = new LinkedHashSet<>();
        ontology.forEach(c -> known.add(c.path("name").asText()));
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, String> u : used.entrySet()) {
            if (known.add(u.getKey())) {
                ontology.addObject().put("name", u.getKey()).put("color", u.getValue() != null ? u.getValue() : defaultColour(known.size()));
                added.add(u.getKey());
            }
        }
        if (!added.isEmpty()) {
            b.projects().setOntology(projectId, Json.write(ontology));
        }
        return added;
    }

    private static String hex(JsonNode color) {
        if (color.isArray() && color.size() >= 3) {
            return String.format(Locale.ROOT, "#%02x%02x%02x", clamp(color.get(0).asInt()), clamp(color.get(1).asInt()), clamp(color.get(2).asInt()));
        }
        if (color.isTextual() && color.asText().matches("#[0-9a-fA-F]{6}")) {
            return color.asText().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static String defaultColour(int index) {
        int rgb = org.histodraw.engine.classes.ImageClass.defaultColour(Math.max(1, Math.min(255, index)));
        return String.format(Locale.ROOT, "#%06x", rgb & 0xffffff);
    }

    private Map<String, int[]> colours(long projectId) {
        Map<String, int[]> out = new HashMap<>();
        for (JsonNode c : Json.parse(b.projects().ontology(projectId))) {
            String hex = c.path("color").asText("");
            if (hex.matches("#[0-9a-fA-F]{6}")) {
                int v = Integer.parseInt(hex.substring(1), 16);
                out.put(c.path("name").asText(), new int[] {v >> 16 & 255, v >> 8 & 255, v & 255});
            }
        }
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
