package org.histodraw.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;

/**
 * Export of a slice's or a series' regions as QuPath GeoJSON ({@code objectType},
 * {@code classification {name, color [r, g, b]}}) or MicroDraw JSON. A series is a zip with one
 * file per slice named after it; names are always reduced to letters, digits and {@code ._ -}, and
 * slices sharing a name get {@code -2}, {@code -3}... so no entry can name a folder outside the
 * archive ({@code ../}) or another entry.
 */
public final class RegionExport {
    private final Regions regions;
    private final Projects projects;

    public RegionExport(Regions regions, Projects projects) {
        this.regions = regions;
        this.projects = projects;
    }

    /** The regions of a slice (all layers, or one) as a file of the format. */
    public byte[] slice(Slice s, Format f, String layer) {
        if (layer != null) {
            RegionInput.checkLayer(layer);
        }
        Map<String, int[]> colours = colours(s.projectId());
        ObjectNode collection = Jackson.MAPPER.createObjectNode();
        collection.put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        regions.queries().query(new RegionQueries.Query(s.id(), layer, null, null, 0, 0), s.width(), s.height(), r -> {
            ObjectNode feature = features.addObject();
            feature.put("type", "Feature");
            feature.put("id", "histodraw-" + r.id());
            feature.set("geometry", stored(r.geometry()));
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
        String geojson = Jackson.write(collection);
        if (f == Format.GEOJSON) {
            return geojson.getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder();
        LabelledRegions read = features.isEmpty() ? null : GeoJson.readRegions(geojson);
        MicroDrawJson.forImageWidth(s.width()).write(read == null ? List.of() : read.regions(), out);
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

    private static JsonNode stored(String geometry) {
        try {
            return Jackson.MAPPER.readTree(geometry);
        } catch (IOException e) {
            throw new IllegalStateException("stored geometry is not JSON", e);
        }
    }

    private Map<String, int[]> colours(long projectId) {
        Map<String, int[]> out = new HashMap<>();
        for (JsonNode c : stored(projects.ontology(projectId))) {
            String hex = c.path("color").asText("");
            if (hex.matches("#[0-9a-fA-F]{6}")) {
                int v = Integer.parseInt(hex.substring(1), 16);
                out.put(c.path("name").asText(), new int[] {v >> 16 & 255, v >> 8 & 255, v & 255});
            }
        }
        return out;
    }
}
