package org.histodraw.service.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.service.errors.ClientError;

/**
 * The regions people drew on the training slices, turned into labels the forest can learn from:
 * one class list shared by all slices (a class is the same class on every slice when it has the
 * same name), in the order the user chose or else in order of first appearance. Regions that
 * cannot teach anything (no class, a class not chosen, a point or a line) are left out and counted.
 */
public final class TrainingRegions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> colours = new LinkedHashMap<>();
    private final List<Pending> slices = new ArrayList<>();
    private final List<String> chosen;
    private int skipped;

    private record Pending(long sliceId, List<ClassifiedPolygon> regions) {
    }

    /** @param chosenClasses the classes to train, in order; empty = every class drawn */
    public TrainingRegions(List<String> chosenClasses) {
        this.chosen = List.copyOf(chosenClasses);
    }

    /** Adds the regions of one slice, as the server's FeatureCollection text. */
    public void add(long sliceId, String featureCollection) {
        JsonNode root;
        try {
            root = JSON.readTree(featureCollection);
        } catch (IOException e) {
            throw new ClientError(502, "the server sent regions of slice " + sliceId + " that are not JSON: " + e.getMessage());
        }
        ArrayNode usable = JSON.createArrayNode();
        for (JsonNode f : root.path("features")) {
            ObjectNode clean = usable(f);
            if (clean == null) {
                skipped++;
            } else {
                usable.add(clean);
            }
        }
        ObjectNode collection = JSON.createObjectNode().put("type", "FeatureCollection");
        collection.set("features", usable);
        LabelledRegions read;
        try {
            read = GeoJson.readRegions(collection.toString());
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest("regions of slice " + sliceId + ": " + e.getMessage());
        }
        slices.add(new Pending(sliceId, read.regions()));
    }

    /** A feature with a class and an area, reduced to what training reads; null when it cannot teach. */
    private ObjectNode usable(JsonNode f) {
        String type = f.path("geometry").path("type").asText();
        if (!type.equals("Polygon") && !type.equals("MultiPolygon")) {
            return null;
        }
        JsonNode props = f.path("properties");
        JsonNode cls = props.path("classification");
        String name = cls.isTextual() ? cls.asText() : cls.path("name").asText(null);
        if (name == null || name.isBlank() || (!chosen.isEmpty() && !chosen.contains(name))) {
            return null;
        }
        ObjectNode classification = JSON.createObjectNode().put("name", name);
        int rgb = colourOf(cls.path("color"));
        Integer had = colours.get(name);
        if (had == null || (had < 0 && rgb >= 0)) {
            colours.put(name, rgb); // a class takes the first colour given for it
        }
        if (rgb >= 0) {
            classification.putArray("color").add((rgb >> 16) & 0xff).add((rgb >> 8) & 0xff).add(rgb & 0xff);
        }
        ObjectNode out = JSON.createObjectNode().put("type", "Feature");
        out.set("geometry", f.get("geometry"));
        out.putObject("properties").set("classification", classification);
        return out;
    }

    /** "#rrggbb" or [r, g, b] as 0xRRGGBB; -1 when absent or unreadable. */
    public static int colourOf(JsonNode color) {
        if (color.isTextual() && color.asText().matches("#[0-9a-fA-F]{6}")) {
            return Integer.parseInt(color.asText().substring(1), 16);
        }
        if (color.isArray() && color.size() >= 3) {
            return (clamp(color.get(0).asInt()) << 16) | (clamp(color.get(1).asInt()) << 8) | clamp(color.get(2).asInt());
        }
        return -1;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The shared class list; fails with a message a user understands when fewer than two classes are drawn. */
    public ClassList classes() {
        List<String> names = new ArrayList<>();
        if (chosen.isEmpty()) {
            names.addAll(colours.keySet());
        } else {
            List<String> missing = new ArrayList<>();
            for (String c : chosen) {
                (colours.containsKey(c) ? names : missing).add(c);
            }
            if (!missing.isEmpty()) {
                throw ClientError.badRequest("no regions of class " + String.join(", ", missing)
                        + " on the training slices: draw at least one region of each chosen class");
            }
        }
        if (names.size() < 2) {
            throw ClientError.badRequest("regions of " + (names.isEmpty() ? "no class" : "one class only ("
                    + names.get(0) + ")") + " on the training slices: a classifier needs at least two classes");
        }
        List<ImageClass> list = new ArrayList<>();
        for (String n : names) {
            int index = list.size() + 1;
            int rgb = colours.get(n);
            list.add(new ImageClass(index, n, rgb >= 0 ? rgb : ImageClass.defaultColour(index)));
        }
        return new ClassList(list);
    }

    /** The regions of a slice, in the shared class list. */
    public List<ClassifiedPolygon> regionsOf(long sliceId, ClassList shared) {
        List<ClassifiedPolygon> out = new ArrayList<>();
        for (Pending p : slices) {
            if (p.sliceId() == sliceId) {
                for (ClassifiedPolygon r : p.regions()) {
                    int index = shared.indexOf(r.imageClass().name());
                    if (index > 0) {
                        out.add(new ClassifiedPolygon(shared.get(index), r.polygon()));
                    }
                }
            }
        }
        return out;
    }

    /** Regions left out because they had no class, a class not chosen, or no area. */
    public int skipped() {
        return skipped;
    }
}
