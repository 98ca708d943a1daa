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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.histodraw.server.store.Actor;
import org.histodraw.server.store.Busy;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;

/**
 * Imports regions into the human layer: one file into a slice, or a zip of files named after the
 * slices (QuPath's one GeoJSON per image) into a series. Every file is read and checked (streamed,
 * within {@link ImportLimits}) before anything is stored; then all regions of all slices, and the
 * ontology's new classes (with the colours the files give), are stored in one transaction. So an
 * import is all or nothing: a bad second file, a limit crossed or a failure while storing leaves
 * the regions and the ontology exactly as they were.
 */
public final class RegionImport {
    /** How long an import waits for another to finish before it is refused (503). */
    static final long WAIT_SECONDS = 30;
    private final Regions regions;
    private final Projects projects;
    private final ImportLimits limits;
    private final Semaphore unpacking;

    public RegionImport(Regions regions, Projects projects, ImportLimits limits) {
        this.regions = regions;
        this.projects = projects;
        this.limits = limits;
        this.unpacking = new Semaphore(limits.concurrentImports(), true);
    }

    /** Runs an import when fewer than {@link ImportLimits#concurrentImports()} others run: memory stays bounded. */
    private Result oneAtATime(Supplier<Result> work) {
        try {
            if (!unpacking.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new Busy("the server is importing " + limits.concurrentImports() + " files already; try again shortly",
                        WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting for other imports", WAIT_SECONDS);
        }
        try {
            return work.get();
        } finally {
            unpacking.release();
        }
    }

    /** What was stored on one slice. */
    public record SliceResult(Slice slice, int imported, long seq) {
    }

    /** What an import stored; {@code unmatched} names the zip's files no slice is named after. */
    public record Result(List<SliceResult> slices, List<String> classesAdded, List<String> unmatched) {
    }

    /** One file into one slice; {@code format} null tells the format from the content. */
    public Result importSlice(Slice slice, InputStream body, Format format, Actor actor, String provenance) {
        return oneAtATime(() -> readSlice(slice, body, format, actor, provenance));
    }

    private Result readSlice(Slice slice, InputStream body, Format format, Actor actor, String provenance) {
        RegionReader.RegionCount count = new RegionReader.RegionCount(limits.maxRegionsPerImport());
        CountedInput.Budget entry = new CountedInput.Budget("maxEntryBytes", limits.maxEntryBytes(), "the file");
        RegionReader.Parsed parsed = new RegionReader(limits, format, slice.width(), provenance, "the file", count)
                .read(new CountedInput(body, entry));
        Map<Slice, RegionReader.Parsed> one = new LinkedHashMap<>();
        one.put(slice, parsed);
        return store(slice.projectId(), one, List.of(), actor);
    }

    /**
     * A zip of files, each named after a slice of {@code slices} (its name without extension, case
     * ignored); other files are listed as unmatched, folders and macOS metadata skipped.
     */
    public Result importSeries(long projectId, List<Slice> slices, InputStream zipBody, Format format, Actor actor,
                               String provenance) {
        return oneAtATime(() -> readSeries(projectId, slices, zipBody, format, actor, provenance));
    }

    private Result readSeries(long projectId, List<Slice> slices, InputStream zipBody, Format format, Actor actor,
                              String provenance) {
        Map<String, Slice> byStem = new HashMap<>();
        for (Slice s : slices) {
            byStem.putIfAbsent(stem(s.name()).toLowerCase(Locale.ROOT), s);
        }
        Map<Slice, RegionReader.Parsed> matched = new LinkedHashMap<>();
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
                matched.put(s, new RegionReader(limits, format, s.width(), provenance, file, count).read(content));
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
        return store(projectId, matched, unmatched, actor);
    }

    private Result store(long projectId, Map<Slice, RegionReader.Parsed> matched, List<String> unmatched, Actor actor) {
        List<Regions.SliceRegions> writes = new ArrayList<>();
        Map<String, String> classes = new LinkedHashMap<>();
        for (Map.Entry<Slice, RegionReader.Parsed> m : matched.entrySet()) {
            writes.add(new Regions.SliceRegions(m.getKey().id(), m.getValue().regions()));
            m.getValue().classColours().forEach(classes::putIfAbsent);
        }
        Regions.Imported<List<String>> done = regions.importAll(writes, actor, projects.addClasses(projectId, classes));
        List<SliceResult> slices = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Slice, RegionReader.Parsed> m : matched.entrySet()) {
            Commit commit = done.commits().get(i++);
            slices.add(new SliceResult(m.getKey(), m.getValue().regions().size(), commit.seq()));
        }
        return new Result(slices, done.also(), unmatched);
    }

    /** A file or slice name without its extension ({@code .ome.tif} counts as one). */
    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.endsWith(".ome") ? base.substring(0, base.length() - 4) : base;
    }
}
