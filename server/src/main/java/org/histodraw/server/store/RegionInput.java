package org.histodraw.server.store;

/**
 * A region as a client gives it, already checked: its layer, class name (may be null), outline, the
 * other properties as a JSON object text, and provenance as JSON object text (may be null).
 */
public record RegionInput(String layer, String className, RegionGeometry geometry, String properties, String provenance) {
    /** The largest properties object (JSON characters) a region may carry: names, notes, measurements. */
    public static final int MAX_PROPERTIES_CHARS = 65_536;

    public RegionInput {
        checkLayer(layer);
        if (className != null && className.length() > 200) {
            throw new InvalidInput("class name longer than 200 characters: " + className.substring(0, 40) + "...");
        }
        if (properties == null || !properties.startsWith("{")) {
            throw new InvalidInput("properties must be a JSON object");
        }
        if (properties.length() > MAX_PROPERTIES_CHARS) {
            throw new LimitExceeded("maxPropertiesChars", MAX_PROPERTIES_CHARS, "a region's properties take "
                    + properties.length() + " characters of JSON; at most " + MAX_PROPERTIES_CHARS + " are kept");
        }
    }

    public static String checkLayer(String layer) {
        if (layer == null || !layer.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidInput("layer name must be 1-64 letters, digits or ._- : " + layer);
        }
        return layer;
    }
}
