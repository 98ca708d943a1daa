package org.histodraw.app.microdraw;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.histodraw.engine.geojson.Json;
import org.histodraw.engine.geojson.JsonWriter;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.server.api.Backend;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.exchange.MicroDrawCompat;
import org.histodraw.server.store.Actor;
import org.histodraw.server.store.MicroDrawStore;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.User;

/**
 * Moves a MicroDraw project into a server's data folder: its source description
 * ({@code {"tileSources": [...], "names": [...], "pixelsPerMeter": ...}}) becomes a series, each
 * tile source (a Deep Zoom image, or the original image given instead) a slice, and its annotation
 * documents the slices' regions, save by save: every MicroDraw save (the current one and its
 * {@code backup}s) becomes one commit of the slice's history, so the backups are earlier versions of
 * the regions, not copies of them. Regions keep their uids (so MicroDraw's clients find them again
 * through the compatibility API) and their author (provenance {@code author}); lines and texts are
 * kept as MicroDraw wrote them. The source URL is recorded, so MicroDraw's old URLs keep working.
 */
public final class MicroDrawProjectImport {
    /** What to import. {@code images}: originals to use instead of the Deep Zoom images (empty: the pyramids). */
    public record Request(Path source, Path root, String sourceUrl, String microDrawProject, List<Path> annotations,
                          List<Path> images, Double micronsPerPixel, Path labels, long maxPixels) {
    }

    /** Hears one line per step. */
    public interface Log {
        void line(String text);
    }

    private final HistoDrawServer server;
    private final Log log;

    public MicroDrawProjectImport(HistoDrawServer server, Log log) {
        this.server = server;
        this.log = log;
    }

    /** Imports into {@code series} (new or empty) as {@code importer}; fails with what and where. */
    public void run(Request r, Series series, User importer, Path scratch) throws IOException {
        Backend b = server.backend();
        Object description = Json.parse(Files.readString(r.source(), StandardCharsets.UTF_8));
        if (!(description instanceof Map<?, ?> d)) {
            throw new IllegalArgumentException(r.source().getFileName() + ": a MicroDraw source is a JSON object with \"tileSources\"");
        }
        Object tiles = d.containsKey("tileCodeY") ? d.get("tileCodeY") : d.get("tileSources"); // tileCodeY: the BigBrain's form
        if (!(tiles instanceof List<?> tileSources) || tileSources.isEmpty()) {
            throw new IllegalArgumentException(r.source().getFileName() + ": \"tileSources\" must be a non-empty array");
        }
        List<String> names = new ArrayList<>();
        if (d.get("names") instanceof List<?> given) {
            given.forEach(n -> names.add(String.valueOf(n)));
            if (names.size() != tileSources.size()) {
                throw new IllegalArgumentException(r.source().getFileName() + ": \"names\" has " + names.size() + " entries for "
                        + tileSources.size() + " tile sources");
            }
        }
        if (!r.images().isEmpty() && r.images().size() != tileSources.size()) {
            throw new IllegalArgumentException("--images gives " + r.images().size() + " images for " + tileSources.size() + " tile sources");
        }
        Double mpp = r.micronsPerPixel();
        if (mpp == null && d.get("pixelsPerMeter") instanceof Number ppm && ppm.doubleValue() > 0) {
            mpp = 1e6 / ppm.doubleValue();
        }
        if (!b.slides().slicesOf(series.id()).isEmpty()) {
            throw new IllegalArgumentException("series " + series.name() + " already has slices: import a MicroDraw project into a new series");
        }
        if (r.labels() != null) {
            labels(r.labels(), series.projectId());
        }

        // everything is read and checked before the first slice is made
        List<MicroDrawDocuments.Document> documents = new ArrayList<>();
        for (Path file : r.annotations()) {
            documents.addAll(MicroDrawDocuments.read(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString(),
                    documents.size()));
        }
        String sourceUrl = sourceUrl(r, documents);
        List<DeepZoomImage> pyramids = new ArrayList<>();
        if (r.images().isEmpty()) {
            for (int i = 0; i < tileSources.size(); i++) {
                Path dzi = local(tileSources.get(i), r, i);
                DeepZoomImage deepZoom = DeepZoomImage.open(dzi);
                if ((long) deepZoom.width() * deepZoom.height() > r.maxPixels()) {
                    throw new IllegalArgumentException(dzi.getFileName() + " is " + deepZoom.width() + " x " + deepZoom.height()
                            + " px, more than --max-pixels " + r.maxPixels());
                }
                pyramids.add(deepZoom);
            }
        }

        // slices, in the source's order
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < tileSources.size(); i++) {
            long t0 = System.nanoTime();
            Path image;
            String name;
            boolean made = false;
            if (!r.images().isEmpty()) {
                image = r.images().get(i);
                name = image.getFileName().toString();
            } else {
                DeepZoomImage deepZoom = pyramids.get(i);
                name = deepZoom.name();
                image = scratch.resolve(i + "-" + name + ".png");
                try (OutputStream out = Files.newOutputStream(image)) {
                    deepZoom.writePng(out, Optional.ofNullable(mpp));
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(image);
                    throw new IOException(e.getMessage() + (i == 0 ? "" : "; the series holds the " + i
                            + " slices before it: delete it before importing again"), e);
                }
                made = true;
            }
            if (!names.isEmpty()) {
                name = names.get(i);
            }
            try {
                slices.add(server.ingest(series.id(), image, name, (double) i, mpp));
            } finally {
                if (made) {
                    Files.deleteIfExists(image);
                }
            }
            Slice s = slices.get(i);
            log.line(String.format(Locale.ROOT, "slice %d (%s): %d x %d px from %s, in %.1f s", i, name, s.width(), s.height(),
                    r.images().isEmpty() ? "its Deep Zoom tiles" : image.getFileName(), (System.nanoTime() - t0) / 1e9));
        }

        MicroDrawStore store = new MicroDrawStore(b.db());
        store.register(new MicroDrawStore.Source(sourceUrl, r.microDrawProject() == null ? "" : r.microDrawProject(), series.id(),
                names.isEmpty() ? null : Json.write(names)));
        log.line("source " + sourceUrl + (r.microDrawProject() == null || r.microDrawProject().isEmpty() ? "" : " (MicroDraw project "
                + r.microDrawProject() + ")") + " now names series " + series.name() + ": MicroDraw's clients reach it under /microdraw/api");
        Map<String, List<MicroDrawDocuments.Document>> bySlice = new TreeMap<>();
        int otherSources = 0;
        for (MicroDrawDocuments.Document doc : documents) {
            if (!doc.source().equals(sourceUrl)) {
                otherSources++;
            } else if (r.microDrawProject() == null || r.microDrawProject().isEmpty() || r.microDrawProject().equals(doc.project())) {
                bySlice.computeIfAbsent(doc.slice(), k -> new ArrayList<>()).add(doc);
            }
        }
        if (otherSources > 0) {
            log.line(otherSources + " annotation documents of other sources left out");
        }
        MicroDrawCompat compat = new MicroDrawCompat(b.regions(), new RegionOrigins(b.db()), store, b.slides());
        Actor actor = new Actor(importer.id(), null, importer.username());
        for (Map.Entry<String, List<MicroDrawDocuments.Document>> e : bySlice.entrySet()) {
            int index = names.indexOf(e.getKey());
            if (index < 0 && e.getKey().matches("\\d{1,9}")) {
                index = Integer.parseInt(e.getKey());
            }
            if (index < 0 || index >= slices.size()) {
                log.line("warning: " + e.getValue().size() + " documents name slice " + e.getKey() + ", which the source does not have: left out");
                continue;
            }
            replay(compat, slices.get(index), e.getKey(), e.getValue(), importer, actor);
        }
    }

    /** Every save of a slice, oldest first, as one commit each; then the current state, exactly. */
    private void replay(MicroDrawCompat compat, Slice slice, String sliceName, List<MicroDrawDocuments.Document> documents, User importer,
                        Actor actor) {
        Backend b = server.backend();
        List<MicroDrawDocuments.Save> saves = MicroDrawDocuments.saves(documents);
        Set<String> before = new LinkedHashSet<>();
        int commits = 0;
        int lines = 0;
        List<Skipped> skipped = new ArrayList<>();
        Map<String, String> colours = new LinkedHashMap<>();
        List<MicroDrawDocuments.Document> current = documents.stream().filter(d -> !d.backup()).toList();
        List<List<MicroDrawDocuments.Document>> states = new ArrayList<>();
        for (MicroDrawDocuments.Save save : saves) {
            states.add(save.documents());
        }
        // a save that emptied the slice left no documents: the current state says what is there now
        if (states.isEmpty() || !uids(states.get(states.size() - 1)).equals(uids(current))) {
            states.add(current);
        }
        for (List<MicroDrawDocuments.Document> state : states) {
            Set<String> now = uids(state);
            Set<String> gone = new LinkedHashSet<>(before);
            gone.removeAll(now);
            MicroDrawDocuments.Document first = state.isEmpty() ? null : state.get(0);
            String author = first == null ? importer.username() : first.user();
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("user", importer.username());
            provenance.put("imported", "microdraw");
            provenance.put("author", author);
            if (first != null && first.seconds() >= 0) {
                provenance.put("savedAt", Instant.ofEpochSecond(first.seconds()).toString());
            }
            List<Object> annotations = new ArrayList<>();
            for (MicroDrawDocuments.Document d : state) {
                annotations.add(d.annotation());
            }
            MicroDrawCompat.Saved saved = compat.replay(slice, annotations, gone, author, actor, Json.write(provenance));
            commits++;
            lines = saved.linesAndTexts();
            if (state == states.get(states.size() - 1)) {
                skipped.addAll(saved.skipped());
            }
            saved.classColours().forEach(colours::putIfAbsent);
            before = now;
        }
        List<String> added = b.projects().addClasses(slice.projectId(), colours);
        int backups = (int) documents.stream().filter(MicroDrawDocuments.Document::backup).count();
        int regions = b.regions().queries().query(new RegionQueries.Query(slice.id(), "human", null, null, 0, 0), slice.width(), slice.height(), x -> {
        });
        log.line(String.format(Locale.ROOT, "slice %s: %d documents (%d backups) in %d saves -> %d commits; %d regions, %d lines and texts%s",
                sliceName, documents.size(), backups, saves.size(), commits, regions, lines,
                added.isEmpty() ? "" : "; classes added: " + String.join(", ", added)));
        for (Skipped s : skipped) {
            log.line("warning: slice " + sliceName + ", " + s.message());
        }
    }

    private static Set<String> uids(List<MicroDrawDocuments.Document> documents) {
        Set<String> out = new LinkedHashSet<>();
        for (MicroDrawDocuments.Document d : documents) {
            Object uid = d.annotation().get("uid");
            if (uid != null) {
                out.add(uid instanceof Double n ? JsonWriter.number(n) : uid.toString());
            }
        }
        return out;
    }

    /** The URL the clients knew the source by: given, the one the documents name, or the source file's path under the root. */
    private static String sourceUrl(Request r, List<MicroDrawDocuments.Document> documents) {
        if (r.sourceUrl() != null && !r.sourceUrl().isBlank()) {
            return r.sourceUrl();
        }
        Set<String> named = new LinkedHashSet<>();
        documents.forEach(d -> named.add(d.source()));
        if (named.size() == 1) {
            return named.iterator().next();
        }
        if (named.size() > 1) {
            String file = r.source().getFileName().toString();
            List<String> likely = named.stream().filter(n -> n.equals(file) || n.endsWith("/" + file)).toList();
            if (likely.size() == 1) {
                return likely.get(0);
            }
            throw new IllegalArgumentException("the annotations name " + named.size() + " sources (" + String.join(", ", named)
                    + "): say which is this one with --source-url");
        }
        Path root = r.root() != null ? r.root() : r.source().toAbsolutePath().getParent();
        Path abs = r.source().toAbsolutePath().normalize();
        return abs.startsWith(root.toAbsolutePath().normalize()) ? "/" + root.toAbsolutePath().normalize().relativize(abs).toString().replace('\\', '/')
                : "/" + abs.getFileName();
    }

    /**
     * The local file of a tile source: a path under {@code --root} (MicroDraw's public folder), or
     * relative to the source file, or found in the folders above it; a URL's path is looked up the same way.
     */
    private static Path local(Object tileSource, Request r, int i) throws IOException {
        if (!(tileSource instanceof String url)) {
            throw new IllegalArgumentException("tile source " + i + " is " + (tileSource instanceof Map<?, ?> ? "an object (" + ((Map<?, ?>) tileSource).keySet()
                    + ")" : String.valueOf(tileSource)) + ", not the URL of a Deep Zoom image: give the original images with --images");
        }
        String path = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "").replaceFirst("[?#].*$", "");
        if (!path.toLowerCase(Locale.ROOT).endsWith(".dzi")) {
            throw new IllegalArgumentException("tile source " + i + " (" + url + ") is not a Deep Zoom .dzi: give the original images with --images");
        }
        String relative = path.replaceFirst("^/+", "");
        List<Path> tried = new ArrayList<>();
        if (r.root() != null) {
            tried.add(r.root().resolve(relative).normalize());
        } else {
            Path folder = r.source().toAbsolutePath().getParent();
            if (!path.startsWith("/")) {
                tried.add(folder.resolve(relative).normalize());
            }
            for (Path up = folder; up != null; up = up.getParent()) {
                tried.add(up.resolve(relative).normalize());
            }
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("tile source " + i + " (" + url + "): no file " + tried.get(0)
                + (r.root() == null ? " (nor in the folders above; name MicroDraw's public folder with --root)" : ""));
    }

    /** MicroDraw's label set ({@code {"labels": [{"name", "color": [r, g, b]}]}}) into the ontology. */
    private void labels(Path file, long projectId) throws IOException {
        Object root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(root instanceof Map<?, ?> m) || !(m.get("labels") instanceof List<?> labels)) {
            throw new IllegalArgumentException(file.getFileName() + ": a MicroDraw label set is {\"labels\": [{\"name\", \"color\": [r, g, b]}]}");
        }
        Map<String, String> classes = new LinkedHashMap<>();
        for (Object l : labels) {
            if (l instanceof Map<?, ?> label && label.get("name") instanceof String name && !name.isBlank()) {
                String hex = null;
                if (label.get("color") instanceof List<?> c && c.size() >= 3 && c.stream().allMatch(v -> v instanceof Number)) {
                    hex = String.format(Locale.ROOT, "#%02x%02x%02x", ((Number) c.get(0)).intValue() & 255,
                            ((Number) c.get(1)).intValue() & 255, ((Number) c.get(2)).intValue() & 255);
                }
                classes.put(name, hex);
            }
        }
        List<String> added = server.backend().projects().addClasses(projectId, classes);
        log.line("label set " + file.getFileName() + ": " + added.size() + " classes added to the ontology");
    }
}
