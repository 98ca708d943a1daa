package org.histodraw.server.overlay;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.histodraw.server.store.Jackson;

/**
 * The colour a region is drawn in, as the viewer draws it: its class's colour in the project
 * ontology, else the {@code classification.color} it carries (QuPath writes {@code [r, g, b]} or a
 * packed int), else a colour derived from the class name (stable across tiles), else yellow.
 * Remembers what it worked out per class and per properties text, so the thousands of nuclei of
 * one class are parsed once per tile.
 */
final class ClassColours {
    private static final Color UNCLASSIFIED = new Color(255, 200, 0);
    private final Map<String, Color> ontology = new HashMap<>();
    private final Map<String, Color> byProperties = new HashMap<>();

    /** {@code ontologyJson}: the project's [{name, color: "#rrggbb"}...]. */
    ClassColours(String ontologyJson) {
        try {
            JsonNode list = Jackson.MAPPER.readTree(ontologyJson == null ? "[]" : ontologyJson);
            for (JsonNode c : list) {
                Color colour = hex(c.path("color").asText(""));
                if (colour != null && c.path("name").isTextual()) {
                    ontology.put(c.get("name").asText(), colour);
                }
            }
        } catch (IOException e) {
            // A project whose ontology cannot be read still gets its overlay, in fallback colours.
        }
    }

    Color of(String className, String properties) {
        if (className != null) {
            Color c = ontology.get(className);
            if (c != null) {
                return c;
            }
        }
        String key = (className == null ? "" : className) + '\u0000' + (properties == null ? "" : properties);
        return byProperties.computeIfAbsent(key, k -> fromProperties(className, properties));
    }

    private static Color fromProperties(String className, String properties) {
        if (properties != null && properties.contains("\"color\"")) {
            try {
                JsonNode color = Jackson.MAPPER.readTree(properties).path("classification").path("color");
                if (color.isArray() && color.size() >= 3) {
                    return new Color(clamp(color.get(0).asInt()), clamp(color.get(1).asInt()), clamp(color.get(2).asInt()));
                }
                if (color.isInt()) {
                    return new Color(color.asInt() & 0xFFFFFF);
                }
                if (color.isTextual() && hex(color.asText()) != null) {
                    return hex(color.asText());
                }
            } catch (IOException e) {
                // fall through to the class name's colour
            }
        }
        if (className == null) {
            return UNCLASSIFIED;
        }
        float hue = (className.hashCode() & 0xFFFF) / 65536f;
        return Color.getHSBColor(hue, 0.75f, 0.95f);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Color hex(String s) {
        if (s.matches("#[0-9a-fA-F]{6}")) {
            return new Color(Integer.parseInt(s.substring(1), 16));
        }
        return null;
    }
}
