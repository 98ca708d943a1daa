package org.histodraw.server.exchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.Slice;

/**
 * Export of a slice's or a series' regions as QuPath GeoJSON ({@link QuPathExport}: ids, classes
 * with colours, measurements...) or MicroDraw JSON ({@link MicroDrawCompat}: uids, lines and texts
 * kept). A series is a zip with one file per slice named after it; names are always reduced to
 * letters, digits and {@code ._ -}, and slices sharing a name get {@code -2}, {@code -3}... so no
 * entry can name a folder outside the archive ({@code ../}) or another entry.
 */
public final class RegionExport {
    private final QuPathExport qupath;
    private final MicroDrawCompat microDraw;
    private final Projects projects;

    public RegionExport(QuPathExport qupath, MicroDrawCompat microDraw, Projects projects) {
        this.qupath = qupath;
        this.microDraw = microDraw;
        this.projects = projects;
    }

    /** The regions of a slice (all layers, or one) as a file of the format. */
    public byte[] slice(Slice s, Format f, String layer) {
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        if (f == Format.GEOJSON) {
            ByteArrayOutputStream geojson = new ByteArrayOutputStream();
            try {
                qupath.write(s, layer, projects.ontology(s.projectId()), geojson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return geojson.toByteArray();
        }
        StringBuilder out = new StringBuilder();
        microDraw.writeFile(s, layer, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Streams the series' slices as a zip, one slice's regions in memory at a time. */
    public void series(List<Slice> slices, Format f, String layer, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            Set<String> used = new HashSet<>();
            for (Slice s : slices) {
                zip.putNextEntry(new ZipEntry(uniqueFileName(s.name(), f, used)));
                zip.write(slice(s, f, layer));
                zip.closeEntry();
            }
        }
    }

    /** The file name of a slice's regions: its name without extension, made safe, with the format's extension. */
    public static String fileName(String sliceName, Format f) {
        return safe(RegionImport.stem(sliceName)) + "." + f.extension();
    }

    /** As {@link #fileName}, with {@code -2}, {@code -3}... when {@code used} has it already (compared ignoring case). */
    static String uniqueFileName(String sliceName, Format f, Set<String> used) {
        String stem = safe(RegionImport.stem(sliceName));
        String name = stem + "." + f.extension();
        for (int i = 2; !used.add(name.toLowerCase(Locale.ROOT)); i++) {
            name = stem + "-" + i + "." + f.extension();
        }
        return name;
    }

    /**
     * A name reduced to letters, digits, {@code .}, {@code _}, {@code -} and spaces, never starting
     * with a dot (so neither {@code ..} nor a hidden file), never empty.
     */
    public static String safe(String name) {
        String s = name.replaceAll("[^\\p{L}\\p{N}._ -]", "_").strip();
        while (s.startsWith(".")) {
            s = "_" + s.substring(1);
        }
        return s.isEmpty() ? "_" : s;
    }
}
