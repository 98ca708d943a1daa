package org.histodraw.server.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.server.store.Actor;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;

/**
 * Imports regions: one file into a slice, or a zip of files named after the slices (QuPath's one
 * GeoJSON per image) into a series. Every file is read feature by feature ({@link RegionReader}:
 * streamed, within {@link ImportLimits}, each feature that gives no region reported with the
 * reason) before anything is stored; then all regions of all slices, and the ontology's new
 * classes (with the colours the files give), are stored in one transaction. A region whose file id
 * names a region of the slice updates it ({@link UpdatingImport}; MicroDraw's uids likewise,
 * {@link MicroDrawCompat}). So an import is all or nothing: a bad second file, a limit crossed or a
 * failure while storing leaves the regions and the ontology exactly as they were.
 */
public final class RegionImport {
    /** The layer QuPath's detections, cells and tiles go to unless the caller names one. */
    public static final String DETECTIONS = "detections";
    /** The layer people draw in, where annotations go unless the caller names another. */
    public static final String HUMAN = "human";
    private final Regions regions;
    private final Projects projects;
    private final UpdatingImport updating;
    private final MicroDrawCompat microDraw;
    private final ImportLimits limits;
    private final ImportGate gate;

    /** @param gate shared with the other ways in of region files (MicroDraw's API), so together they stay bounded */
    public RegionImport(Regions regions, Projects projects, UpdatingImport updating, MicroDrawCompat microDraw, ImportLimits limits,
                        ImportGate gate) {
        this.regions = regions;
        this.projects = projects;
        this.updating = updating;
        this.microDraw = microDraw;
        this.limits = limits;
        this.gate = gate;
    }

    /**
     * Who imports, and where the regions go.
     *
     * @param layer      the layer for every region, or null: annotations to the human layer, QuPath's
     *                   detections, cells and tiles to {@value #DETECTIONS}
     * @param provenance what the imported regions carry as provenance
     */
    public record Importer(Actor actor, String username, String layer, String provenance) {
        RegionReader.Layers layers() {
            return new RegionReader.Layers(layer != null ? layer : HUMAN, layer != null ? layer : DETECTIONS);
        }
    }

    /** What was stored on one slice: the report of every feature (JSON-ready values), with the slice's sequence number. */
    public record SliceResult(Slice slice, Map<String, Object> report, long seq) {
    }

    /** What an import stored; {@code unmatched} names the zip's files no slice is named after. */
    public record Result(List<SliceResult> slices, List<String> classesAdded, List<String> unmatched) {
    }

    /** One file into one slice; {@code format} null tells the format from the content. */
    public Result importSlice(Slice slice, InputStream body, Format format, Importer who) {
        return gate.oneAtATime(() -> readSlice(slice, body, format, who));
    }

    private Result readSlice(Slice slice, InputStream body, Format format, Importer who) {
        RegionReader.RegionCount count = new RegionReader.RegionCount(limits.maxRegionsPerImport());
        CountedInput.Budget entry = new CountedInput.Budget("maxEntryBytes", limits.maxEntryBytes(), "the file");
        RegionReader.Parsed parsed = new RegionReader(limits, format, slice.width(), who.layers(), who.provenance(), "the file", count)
                .read(new CountedInput(body, entry));
        Map<Slice, Entry> one = new LinkedHashMap<>();
        one.put(slice, new Entry("the file", parsed));
        return store(slice.projectId(), one, List.of(), who);
    }

    /** A file of the import and what was read from it. */
    private record Entry(String file, RegionReader.Parsed parsed) {
    }

    /**
     * A zip of files, each named after a slice of {@code slices} (its name without extension, case
     * ignored); other files are listed as unmatched, folders and macOS metadata skipped.
     */
    public Result importSeries(long projectId, List<Slice> slices, InputStream zipBody, Format format, Importer who) {
        return gate.oneAtATime(() -> readSeries(projectId, slices, zipBody, format, who));
    }

    private Result readSeries(long projectId, List<Slice> slices, InputStream zipBody, Format format, Importer who) {
        Map<String, Slice> byStem = new HashMap<>();
        for (Slice s : slices) {
            byStem.putIfAbsent(stem(s.name()).toLowerCase(Locale.ROOT), s);
        }
        Map<Slice, Entry> matched = new LinkedHashMap<>();
        List<String> unmatched = new ArrayList<>();
        RegionReader.RegionCount count = new RegionReader.RegionCount(limits.maxRegionsPerImport());
        CountedInput.Budget total = new CountedInput.Budget("maxImportBytes", limits.maxImportBytes(), "the zip");
        try (ZipInputStream zip = new ZipInputStream(zipBody)) {
            ZipEntry e;
            int entries = 0;
            while ((e = zip.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new LimitExceeded("maxEntries", limits.maxEntries(), "the zip holds more than " + limits.maxEntries() + " entries");
                }
                String name = e.getName();
                String file = name.substring(name.lastIndexOf('/') + 1);
                CountedInput content = new CountedInput(zip,
                        new CountedInput.Budget("maxEntryBytes", limits.maxEntryBytes(), file.isEmpty() ? name : file), total);
                Slice s = e.isDirectory() || name.startsWith("__MACOSX") || name.contains("/.") || file.startsWith(".")
                        ? null : byStem.get(stem(file).toLowerCase(Locale.ROOT));
                if (s == null) {
                    if (!e.isDirectory() && !name.startsWith("__MACOSX") && !file.startsWith(".")) {
                        unmatched.add(file);
                    }
                    content.transferTo(OutputStream.nullOutputStream()); // counted: an unmatched bomb is still a bomb
                    continue;
                }
                if (matched.containsKey(s)) {
                    throw new InvalidInput("two files in the zip are for slice " + s.name() + ": " + file + " and another");
                }
                matched.put(s, new Entry(file, new RegionReader(limits, format, s.width(), who.layers(), who.provenance(), file, count)
                        .read(content)));
                content.transferTo(OutputStream.nullOutputStream());
            }
            if (entries == 0) {
                throw new InvalidInput("the body is not a zip file (or an empty one): send a zip of one GeoJSON or MicroDraw file per slice");
            }
        } catch (ZipException e) {
            throw new InvalidInput("the body is not a readable zip file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (matched.isEmpty()) {
            throw new InvalidInput("no file in the zip is named after a slice of this series (unmatched: " + String.join(", ", unmatched) + ")");
        }
        return store(projectId, matched, unmatched, who);
    }

    /** Plans every slice's edits, then stores them all, with the classes they bring, in one transaction. */
    private Result store(long projectId, Map<Slice, Entry> matched, List<String> unmatched, Importer who) {
        List<Regions.SliceEdits> writes = new ArrayList<>();
        List<Function<Commit, Map<String, Object>>> answers = new ArrayList<>();
        Map<String, String> classes = new LinkedHashMap<>();
        for (Map.Entry<Slice, Entry> m : matched.entrySet()) {
            Slice slice = m.getKey();
            RegionReader.Parsed parsed = m.getValue().parsed();
            if (parsed.microDraw() != null) {
                MicroDrawCompat.Planned plan = microDraw.planFile(slice, parsed.microDraw(), who.username(), who.provenance());
                writes.add(new Regions.SliceEdits(slice.id(), plan.edits(), plan.alongWith()));
                plan.classColours().forEach((name, colour) -> classes.merge(name, colour == null ? "" : colour, RegionImport::given));
                answers.add(commit -> microDrawReport(plan.saved(commit)));
                continue;
            }
            for (IncomingRegion r : parsed.regions()) {
                if (r.input().className() != null) {
                    classes.merge(r.input().className(), r.classColour() == null ? "" : r.classColour(), RegionImport::given);
                }
            }
            String layerProvenance = Jackson.write(Map.of("service", "import", "model", m.getValue().file(), "job",
                    "imported by " + who.username()));
            UpdatingImport.Plan plan = updating.plan(slice.id(), parsed.regions(), parsed.report(), layerProvenance);
            writes.add(new Regions.SliceEdits(slice.id(), plan.edits(), plan.alongWith()));
            answers.add(commit -> {
                plan.report().accept(commit);
                return parsed.report().toMap();
            });
        }
        Regions.Imported<List<String>> done = regions.importAll(writes, who.actor(), projects.addingClasses(projectId, classes));
        List<SliceResult> slices = new ArrayList<>();
        int i = 0;
        for (Slice slice : matched.keySet()) {
            Commit commit = done.commits().get(i);
            slices.add(new SliceResult(slice, answers.get(i).apply(commit), commit.seq()));
            i++;
        }
        return new Result(slices, done.also(), unmatched);
    }

    /** The first colour a file gives a class wins; "" stands for none. */
    private static String given(String first, String next) {
        return first.isEmpty() ? next : first;
    }

    /** A MicroDraw file's outcome in the words of an import report. */
    private static Map<String, Object> microDrawReport(MicroDrawCompat.Saved saved) {
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
        return out;
    }

    /** A file or slice name without its extension ({@code .ome.tif} counts as one). */
    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.endsWith(".ome") ? base.substring(0, base.length() - 4) : base;
    }
}
