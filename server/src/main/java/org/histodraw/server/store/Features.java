package org.histodraw.server.store;

/**
 * Writes stored regions as GeoJSON Features without parsing them again: the geometry and the
 * properties object are stored as compact JSON text, and the managed properties (id, version,
 * layer, provenance) are spliced in front of the stored ones.
 */
public final class Features {
    private Features() {
    }

    public static String feature(long id, int version, String layer, String geometry, String properties, String provenance) {
        StringBuilder sb = new StringBuilder(64 + (geometry == null ? 0 : geometry.length()) + (properties == null ? 0 : properties.length()));
        sb.append("{\"type\":\"Feature\",\"id\":").append(id).append(",\"geometry\":").append(geometry == null ? "null" : geometry);
        sb.append(",\"properties\":");
        properties(sb, id, version, layer, properties, provenance);
        return sb.append('}').toString();
    }

    static void properties(StringBuilder sb, long id, int version, String layer, String properties, String provenance) {
        sb.append("{\"id\":").append(id).append(",\"version\":").append(version).append(",\"layer\":\"").append(layer).append('"');
        if (provenance != null) {
            sb.append(",\"provenance\":").append(provenance);
        }
        if (properties != null && properties.length() > 2) {
            sb.append(',').append(properties, 1, properties.length());
        } else {
            sb.append('}');
        }
    }
}
