package org.histodraw.server.store;

/**
 * A region as a client gives it, already checked: its layer, class name (may be null), outline, the
 * other properties as a JSON object text, and provenance as JSON object text (may be null).
 */
public record RegionInput(String layer, String className, RegionGeometry geometry, String properties, String provenance) {
    public RegionInput {
        checkLayer(layer);
        if (className != null && className.length() > 200) {
            throw new IllegalArgumentException("class name longer than 200 characters: " + className.substring(0, 40) + "...");
        }
        if (properties == null || !properties.startsWith("{")) {
            throw new IllegalArgumentException("properties must be a JSON object");
        }
    }

    public static String checkLayer(String layer) {
        if (layer == null || !layer.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("layer name must be 1-64 letters, digits or ._- : " + layer);
        }
        return layer;
    }
}
