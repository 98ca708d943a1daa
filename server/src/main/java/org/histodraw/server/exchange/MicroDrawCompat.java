package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.geojson.Json;
import org.histodraw.engine.geojson.JsonException;
import org.histodraw.engine.geojson.JsonWriter;
import org.histodraw.engine.geojson.MicroDrawAnnotation;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.engine.geojson.QuPathReader;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.histodraw.server.store.Actor;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Edit;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.MicroDrawStore;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.RegionGeometry;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;

/**
 * MicroDraw's view of the regions, for its compatibility API and its files: a series is a MicroDraw
 * source, its slices MicroDraw's slices, the human layer's regions MicroDraw's regions (named by
 * class, carrying the uid they came with or the region's own id), and MicroDraw's lines and texts
 * are kept beside them as they came. Saves follow MicroDraw's server: a save names the regions of
 * a slice and the uids to remove; regions it does not mention are kept.
 */
public final class MicroDrawCompat {
    /** The name MicroDraw sees for a region without a class (and that makes a region unclassified). */
    public static final String UNCLASSIFIED = "Unclassified";
    private static final String HUMAN = "human";
    private static final Pattern OWN_SOURCE = Pattern.compile("(?:^|/)microdraw/source/(\\d{1,18})\\.json(?:\\?.*)?$");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Annotations one save, upload or file may hold (as many as an import of a slice). */
    public static final int MAX_ANNOTATIONS = 200_000;

    private final Regions regions;
    private final RegionOrigins origins;
    private final MicroDrawStore store;
    private final Slides slides;

    public MicroDrawCompat(Regions regions, RegionOrigins origins, MicroDrawStore store, Slides slides) {
        this.regions = regions;
        this.origins = origins;
        this.store = store;
        this.slides = slides;
    }

    // ---- addressing ----

    /** A slice as MicroDraw names it, with the series and the names its source gives slices (or null). */
    public record Target(Series series, Slice slice, String sliceName) {
    }

    /**
     * The slice MicroDraw's {@code source} and {@code slice} parameters name: a source recorded by an
     * import (per MicroDraw project), or this server's own {@code /microdraw/source/{series}.json};
     * the slice by its index in the series, or by name when the source gave names.
     *
     * @throws NotFound                 when no series or slice answers to them
     * @throws InvalidInput when a parameter is missing
     */
    public Target target(String source, String slice, String project) {
        if (source == null || source.isBlank()) {
            throw new InvalidInput("MicroDraw requests need ?source= (the URL of the series' source description)");
        }
        if (slice == null || slice.isBlank()) {
            throw new InvalidInput("MicroDraw requests need ?slice= (the slice's index, or its name)");
        }
        Long seriesId = null;
        List<Object> names = null;
        var recorded = store.source(source, project);
        if (recorded.isPresent()) {
            seriesId = recorded.get().seriesId();
            if (recorded.get().sliceNames() != null) {
                if (!(Json.parse(recorded.get().sliceNames()) instanceof List<?> stored)) {
                    throw new IllegalStateException("the slice names recorded for source " + source + " are not a JSON array");
                }
                names = new ArrayList<>(stored);
            }
        } else {
            Matcher m = OWN_SOURCE.matcher(source);
            if (m.find()) {
                seriesId = Long.parseLong(m.group(1));
            }
        }
        if (seriesId == null) {
            throw new NotFound("no series is known by the MicroDraw source " + source
                    + " (import the MicroDraw project, or use this server's /microdraw/source/{series}.json)");
        }
        long id = seriesId;
        Series series = slides.series(id).orElseThrow(() -> new NotFound("no series " + id));
        List<Slice> all = slides.slicesOf(series.id());
        int index = -1;
        if (names != null) {
            index = names.indexOf(slice);
        }
        if (index < 0 && slice.matches("\\d{1,9}")) {
            index = Integer.parseInt(slice);
        }
        if (index < 0 || index >= all.size()) {
            throw new NotFound("series " + series.name() + " has no slice " + slice + " (it has " + all.size() + ", numbered from 0)");
        }
        return new Target(series, all.get(index), slice);
    }

    /** The source description MicroDraw's viewer opens for a series: its slices' Deep Zoom images, in order. */
    public Map<String, Object> sourceDescription(Series series) {
        List<Slice> all = slides.slicesOf(series.id());
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> tiles = new ArrayList<>();
        for (Slice s : all) {
            tiles.add("/slides/" + s.id() + "/slide.dzi");
        }
        out.put("tileSources", tiles);
        out.put("names", all.stream().map(Slice::name).toList());
        out.put("name", series.name());
        out.put("fileID", "series-" + series.id());
        if (!all.isEmpty() && all.get(0).micronsPerPixel() != null) {
            out.put("pixelsPerMeter", 1e6 / all.get(0).micronsPerPixel());
        }
        return out;
    }

    // ---- reading ----

    /**
     * Writes the slice's annotations as MicroDraw's database documents (what its {@code GET /api}
     * answers): one per region of the human layer, line and text; with {@code backup}, also every
     * earlier state of a region (its earlier versions, deleted regions) marked {@code "backup": true}.
     */
    public void writeDocuments(Target t, String source, String project, boolean backup, Appendable out) {
        Slice s = t.slice();
        MicroDrawJson md = MicroDrawJson.forImageWidth(s.width());
        Map<Long, String> ids = origins.externalIds(s.id());
        String fileID = source + "&slice=" + t.sliceName();
        String hash = Long.toHexString(s.changeSeq());
        JsonWriter w = new JsonWriter(out);
        w.beginArray();
        if (backup) {
            store.pastVersions(s.id(), HUMAN, v -> {
                document(w, fileID, author(v.provenance()), project, hash, true);
                annotation(md, w, v.geometry(), v.className(), RegionIds.exportId(v.regionId(), ids.get(v.regionId())), -1);
                w.endObject();
            });
        }
        regions.queries().query(new RegionQueries.Query(s.id(), HUMAN, null, null, 0, 0), s.width(), s.height(), r -> {
            document(w, fileID, author(r.provenance()), project, hash, false);
            annotation(md, w, r.geometry(), r.className(), RegionIds.exportId(r.id(), ids.get(r.id())), colour(r.properties()));
            w.endObject();
        });
        for (MicroDrawStore.Item item : store.items(s.id())) {
            document(w, fileID, item.username() == null ? "anyone" : item.username(), project, hash, false);
            w.value(Json.parse(item.annotation()));
            w.endObject();
        }
        w.endArray();
        w.requireComplete();
    }

    /**
     * Writes the slice's regions (of {@code layer}, or all) and its lines and texts as a MicroDraw
     * file: the array of {@code {"annotation": ...}} its upload takes.
     */
    public void writeFile(Slice s, String layer, Appendable out) {
        MicroDrawJson md = MicroDrawJson.forImageWidth(s.width());
        Map<Long, String> ids = origins.externalIds(s.id());
        JsonWriter w = new JsonWriter(out);
        w.beginArray();
        regions.queries().query(new RegionQueries.Query(s.id(), layer, null, null, 0, 0), s.width(), s.height(), r -> {
            w.beginObject().name("annotation");
            annotation(md, w, r.geometry(), r.className(), RegionIds.exportId(r.id(), ids.get(r.id())), colour(r.properties()));
            w.endObject();
        });
        if (layer == null || layer.equals(HUMAN)) {
            for (MicroDrawStore.Item item : store.items(s.id())) {
                w.beginObject().name("annotation").value(Json.parse(item.annotation())).endObject();
            }
        }
        w.endArray();
        w.requireComplete();
    }

    private static void document(JsonWriter w, String fileID, String user, String project, String hash, boolean backup) {
        w.beginObject().name("fileID").value(fileID).name("user").value(user).name("project").value(project == null ? "" : project)
                .name("Hash").value(hash);
        if (backup) {
            w.name("backup").value(true);
        }
        w.name("annotation");
    }

    private static void annotation(MicroDrawJson md, JsonWriter w, String geometry, String className, String uid, int rgb) {
        md.writeAnnotation(w, polygons(geometry), className == null ? UNCLASSIFIED : className, uid, rgb < 0 ? 0x808080 : rgb);
    }

    /** A stored geometry's polygons, through the one GeoJSON reader. */
    static List<Polygon> polygons(String geometryJson) {
        return QuPathReader.read(geometryJson, null).objects().get(0).polygons();
    }

    /** Who MicroDraw shows as a region's user: the author it came with (an import), else who last changed it. */
    static String author(String provenance) {
        if (provenance != null) {
            try {
                JsonNode p = QuPathRegions.MAPPER.readTree(provenance);
                for (String field : new String[] {"author", "user"}) {
                    if (p.path(field).isTextual()) {
                        return p.get(field).asText();
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored provenance is not JSON", e);
            }
        }
        return "anyone";
    }

    private static int colour(String properties) {
        try {
            JsonNode c = QuPathRegions.MAPPER.readTree(properties).path("classification").path("color");
            return c.isArray() && c.size() >= 3 ? (c.get(0).asInt() & 255) << 16 | (c.get(1).asInt() & 255) << 8 | (c.get(2).asInt() & 255) : -1;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
    }

    // ---- writing ----

    /** What a save or an upload did. {@code classColours}: the classes it used and their colours (#rrggbb or null). */
    public record Saved(long seq, int created, int updated, int deleted, int unchanged, int linesAndTexts, List<Skipped> skipped,
                        Map<String, String> classColours) {
    }

    /**
     * MicroDraw's save ({@code POST /api} with {@code action=save}): {@code regions} is the
     * {@code annotation} it sends, {@code {"Regions": [{"path", "name", "uid"}], "RegionsToRemove": [uid]}}.
     * A region whose uid names a region of the slice updates it (its other properties, such as
     * QuPath's measurements, are kept), unchanged ones are left alone, new uids add regions, the uids
     * to remove delete theirs; lines and texts are kept as they came. One commit, all or none.
     */
    public Saved save(Target t, String regionsJson, String username, Actor actor, String provenance) {
        Object root = parse(regionsJson);
        if (!(root instanceof Map<?, ?> m) || !(m.get("Regions") instanceof List<?> list)) {
            throw new InvalidInput("annotation must be {\"Regions\": [...], \"RegionsToRemove\": [...]}, as MicroDraw sends it");
        }
        List<String> remove = new ArrayList<>();
        if (m.get("RegionsToRemove") instanceof List<?> r) {
            for (Object uid : r) {
                remove.add(uidText(uid));
            }
        }
        return apply(t.slice(), new ArrayList<>(list), remove, username, actor, provenance, false);
    }

    /**
     * MicroDraw's upload ({@code POST /api/upload} with {@code action=save} or {@code append}): a
     * file holding an array of {@code {"annotation": {"path", "name"}}}. As MicroDraw's server does,
     * every annotation gets a new random uid and is added; the slice's other regions are kept.
     */
    public Saved upload(Target t, String fileJson, String username, Actor actor, String provenance) {
        Object root = parse(fileJson);
        if (!(root instanceof List<?> list)) {
            throw new InvalidInput("Invalid annotation file: json object is not an array");
        }
        List<Object> fresh = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> doc) || !(doc.get("annotation") instanceof Map<?, ?> a)) {
                throw new InvalidInput("Invalid annotation file: items do not have an `annotation` property (item " + i + ")");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            a.forEach((k, v) -> copy.put(String.valueOf(k), v));
            copy.put("uid", newUid());
            fresh.add(copy);
        }
        return apply(t.slice(), fresh, List.of(), username, actor, provenance, true);
    }

    /**
     * A MicroDraw file imported into a slice, planned for the caller to store (with other slices'
     * in one transaction): {@code items} are the file's annotations (the array its upload takes,
     * localStorage's {@code {"Regions": [...]}}, or its database documents as {@code GET /api}
     * gives them). Regions update the regions their uids name and add the others, lines and texts
     * are kept. Database documents marked {@code backup} are earlier versions: they are left out
     * and reported ({@code histodraw import-microdraw} brings them in as history).
     */
    public Planned planFile(Slice s, List<?> items, String username, String provenance) {
        List<Object> current = new ArrayList<>();
        int backups = 0;
        for (Object item : items) {
            if (item instanceof Map<?, ?> doc && Boolean.TRUE.equals(doc.get("backup"))) {
                backups++;
            } else {
                current.add(item);
            }
        }
        Planned plan = plan(s, current, List.of(), username, provenance, false);
        if (backups == 0) {
            return plan;
        }
        Skipped left = new Skipped("the file", null, "holds " + backups + " backup documents (earlier versions): left out; "
                + "histodraw import-microdraw brings them in as history");
        return new Planned(plan.edits(), plan.alongWith(), plan.classColours(), commit -> {
            Saved saved = plan.saved(commit);
            List<Skipped> skipped = new ArrayList<>(saved.skipped());
            skipped.add(left);
            return new Saved(saved.seq(), saved.created(), saved.updated(), saved.deleted(), saved.unchanged(), saved.linesAndTexts(),
                    skipped, saved.classColours());
        });
    }

    /**
     * One of MicroDraw's saves replayed from its database (an import of a project, save by save):
     * the slice's annotations become {@code annotations}, and those whose uids are in {@code gone}
     * (there before, not in this save) are removed. {@code username} is who saved it in MicroDraw.
     */
    public Saved replay(Slice s, List<Object> annotations, Collection<String> gone, String username, Actor actor, String provenance) {
        return apply(s, annotations, new ArrayList<>(gone), username, actor, provenance, false);
    }

    private Saved apply(Slice s, List<Object> items, List<String> remove, String username, Actor actor, String provenance, boolean allNew) {
        return commit(s, plan(s, items, remove, username, provenance, allNew), actor);
    }

    /** Stores a plan in a commit of its own (a plan without edits still keeps its lines and texts). */
    private Saved commit(Slice s, Planned plan, Actor actor) {
        Commit commit;
        if (plan.edits().isEmpty()) {
            store.transaction(c -> {
                plan.alongWith().run(c, null);
                return null;
            });
            commit = new Commit(s.id(), regions.currentSeq(s.id()), List.of(), null);
        } else {
            commit = regions.apply(s.id(), plan.edits(), actor, plan.alongWith());
        }
        return plan.saved(commit);
    }

    /**
     * What a save, upload or file does to a slice, before it is stored: the edits, the work that
     * commits with them (uids of new regions, lines and texts), and what to answer once committed.
     */
    public record Planned(List<Edit> edits, Regions.AlongWith alongWith, Map<String, String> classColours, Function<Commit, Saved> answer) {
        public Saved saved(Commit commit) {
            return answer.apply(commit);
        }
    }

    private Planned plan(Slice s, List<Object> items, List<String> remove, String username, String provenance, boolean allNew) {
        if (items.size() + remove.size() > MAX_ANNOTATIONS) {
            throw new InvalidInput("a save may name at most " + MAX_ANNOTATIONS + " annotations, this one names "
                    + (items.size() + remove.size()));
        }
        MicroDrawJson md = MicroDrawJson.forImageWidth(s.width());
        Map<String, Regions.Stored> byUid = allNew ? Map.of() : named(s, items, remove);
        Set<String> itemUids = new HashSet<>();
        for (MicroDrawStore.Item item : store.items(s.id())) {
            itemUids.add(item.uid());
        }
        List<Edit> edits = new ArrayList<>();
        Map<Integer, String> createdUid = new HashMap<>(); // edit index -> uid
        List<MicroDrawStore.Item> puts = new ArrayList<>();
        Set<String> drops = new HashSet<>();
        Set<Long> touched = new HashSet<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<String, String> colours = new LinkedHashMap<>();
        int[] unchanged = {0};
        long now = System.currentTimeMillis();
        for (int i = 0; i < items.size(); i++) {
            String at = "MicroDraw region " + i;
            MicroDrawAnnotation a;
            try {
                a = md.annotation(items.get(i), at);
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped(at, null, e.getMessage()));
                continue;
            }
            String uid = a.uid() != null ? a.uid() : newUid();
            Regions.Stored current = byUid.get(uid);
            if (a.kind() != MicroDrawAnnotation.Kind.REGION) {
                Map<String, Object> kept = new LinkedHashMap<>(a.annotation());
                kept.put("uid", uid);
                puts.add(new MicroDrawStore.Item(s.id(), uid, Json.write(kept), username, now));
                if (current != null && touched.add(current.id())) {
                    edits.add(new Edit.Delete(current.id(), current.version())); // a region redrawn as a line
                }
                continue;
            }
            if (itemUids.contains(uid)) {
                drops.add(uid); // a line closed into a region
            }
            String className = UNCLASSIFIED.equals(a.name()) ? null : a.name();
            List<String> notes = new ArrayList<>();
            RegionGeometry geometry;
            try {
                geometry = QuPathRegions.geometry(a.polygons(), notes);
            } catch (QuPathRegions.Unstorable e) {
                skipped.add(new Skipped(at, uid, e.getMessage()));
                continue;
            }
            if (className != null) {
                colours.putIfAbsent(className, a.rgb() < 0 ? null : String.format(Locale.ROOT, "#%06x", a.rgb()));
            }
            if (current != null && !touched.add(current.id())) {
                skipped.add(new Skipped(at, uid, "the save names uid " + uid + " twice: this one was left out"));
                continue;
            }
            RegionInput input = new RegionInput(HUMAN, className, geometry, properties(current, className, a.rgb()), provenance);
            if (current == null) {
                createdUid.put(edits.size(), uid);
                edits.add(new Edit.Create(input));
            } else if (Objects.equals(current.className(), className) && samePolygons(md, current.geometry(), a.polygons())) {
                unchanged[0]++;
            } else {
                edits.add(new Edit.Update(current.id(), current.version(), input));
            }
        }
        for (String uid : remove) {
            Regions.Stored current = byUid.get(uid);
            if (current != null && touched.add(current.id())) {
                edits.add(new Edit.Delete(current.id(), current.version()));
            }
            if (itemUids.contains(uid)) {
                drops.add(uid);
            }
        }
        Regions.AlongWith alongWith = (c, done) -> {
            if (done != null && !done.changes().isEmpty()) {
                Map<Long, String> recorded = new LinkedHashMap<>();
                createdUid.forEach((editIndex, uid) -> recorded.put(done.changes().get(editIndex).regionId(), uid));
                RegionOrigins.record(c, s.id(), recorded);
            }
            items(c, s.id(), puts, drops);
        };
        int created = createdUid.size();
        int deleted = (int) edits.stream().filter(e -> e instanceof Edit.Delete).count();
        return new Planned(edits, alongWith, colours, commit -> new Saved(commit.seq(), created, edits.size() - created - deleted, deleted,
                unchanged[0], puts.size(), skipped, colours));
    }

    /**
     * The human layer's live regions that the save's uids name (by the uid they came with, or by
     * their own id), loaded alone: a save of a few regions on a slice of 100,000 reads a few.
     */
    private Map<String, Regions.Stored> named(Slice s, List<Object> items, List<String> remove) {
        Set<String> uids = new HashSet<>(remove);
        for (Object item : items) {
            Object uid = item instanceof Map<?, ?> m ? (m.get("annotation") instanceof Map<?, ?> a ? a.get("uid") : m.get("uid")) : null;
            if (uid != null) {
                uids.add(uidText(uid));
            }
        }
        Map<String, Long> regionOf = new HashMap<>(origins.regionsNamed(s.id(), uids));
        for (String uid : uids) {
            Long own = RegionIds.regionOf(uid);
            if (own != null) {
                regionOf.putIfAbsent(uid, own);
            }
        }
        Map<Long, Regions.Stored> live = origins.liveRegions(s.id(), regionOf.values());
        Map<String, Regions.Stored> out = new HashMap<>();
        regionOf.forEach((uid, id) -> {
            Regions.Stored r = live.get(id);
            if (r != null && r.layer().equals(HUMAN)) {
                out.put(uid, r);
            }
        });
        return out;
    }

    private static void items(Connection c, long sliceId, List<MicroDrawStore.Item> puts, Set<String> drops) throws SQLException {
        for (String uid : drops) {
            MicroDrawStore.remove(c, sliceId, uid);
        }
        for (MicroDrawStore.Item item : puts) {
            MicroDrawStore.put(c, item);
        }
    }

    /** The region's properties with the class MicroDraw gives; the others (QuPath's measurements...) kept. */
    private static String properties(Regions.Stored current, String className, int rgb) {
        try {
            ObjectNode p = current == null ? QuPathRegions.MAPPER.createObjectNode() : (ObjectNode) QuPathRegions.MAPPER.readTree(current.properties());
            if (className == null) {
                p.remove("classification");
            } else {
                ObjectNode c = p.putObject("classification").put("name", className);
                if (rgb >= 0) {
                    c.putArray("color").add(rgb >> 16 & 255).add(rgb >> 8 & 255).add(rgb & 255);
                }
            }
            return QuPathRegions.MAPPER.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
    }

    /**
     * Whether a MicroDraw client sent back the outline it was given: the stored polygons as they went
     * out (written in MicroDraw's units and read back) against the ones that came in, vertex by vertex
     * within a millionth of a pixel (the unit conversion's rounding).
     */
    private static boolean samePolygons(MicroDrawJson md, String storedGeometry, List<Polygon> incoming) {
        StringBuilder text = new StringBuilder();
        md.writeAnnotation(new JsonWriter(text), polygons(storedGeometry), "x", "x", 0);
        List<Polygon> sent = md.annotation(Json.parse(text.toString()), "stored").polygons();
        if (sent.size() != incoming.size()) {
            return false;
        }
        for (int i = 0; i < sent.size(); i++) {
            Polygon a = sent.get(i);
            Polygon b = incoming.get(i);
            if (a.holes().size() != b.holes().size() || !sameRing(a.shell(), b.shell())) {
                return false;
            }
            for (int h = 0; h < a.holes().size(); h++) {
                if (!sameRing(a.holes().get(h), b.holes().get(h))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean sameRing(Ring a, Ring b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (Math.abs(a.x(i) - b.x(i)) > 1e-6 * Math.max(1, Math.abs(a.x(i)))
                    || Math.abs(a.y(i) - b.y(i)) > 1e-6 * Math.max(1, Math.abs(a.y(i)))) {
                return false;
            }
        }
        return true;
    }

    private static String uidText(Object uid) {
        return uid instanceof Double d ? JsonWriter.number(d) : String.valueOf(uid);
    }

    /** A uid as MicroDraw makes them (random hexadecimal). */
    static String newUid() {
        return Long.toHexString(RANDOM.nextLong() >>> 12);
    }

    /** A request's or file's JSON; text that is not JSON is the caller's mistake. */
    private static Object parse(String text) {
        try {
            return Json.parse(text);
        } catch (JsonException e) {
            throw new InvalidInput("not JSON: " + e.getMessage());
        }
    }
}
