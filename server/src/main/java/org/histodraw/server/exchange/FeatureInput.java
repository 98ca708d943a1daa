package org.histodraw.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.RegionGeometry;
import org.histodraw.server.store.RegionInput;

/**
 * A GeoJSON Feature as the store takes it: the geometry checked ({@link RegionGeometry}), the class
 * from QuPath's {@code classification} (an object with a name, or a plain name), the other
 * properties kept as given minus the ones the server manages (id, version, layer, provenance).
 * Anything wrong fails with an {@link InvalidInput} naming it.
 */
public final class FeatureInput {
    private static final List<String> MANAGED = List.of("id", "version", "layer", "provenance");

    private FeatureInput() {
    }

    public static RegionInput of(JsonNode feature, String layer, String provenance) {
        if (!feature.isObject()) {
            throw new InvalidInput("a feature must be a JSON object");
        }
        if (!"Feature".equals(feature.path("type").asText())) {
            throw new InvalidInput("expected a GeoJSON Feature, got " + (feature.has("type") ? "type " + feature.get("type") : "no \"type\""));
        }
        RegionGeometry geometry = RegionGeometry.parse(feature.get("geometry"));
        JsonNode props = feature.get("properties");
        ObjectNode properties;
        if (props == null || props.isNull()) {
            properties = Jackson.MAPPER.createObjectNode();
        } else if (props.isObject()) {
            properties = ((ObjectNode) props).deepCopy();
        } else {
            throw new InvalidInput("feature properties must be an object");
        }
        properties.remove(MANAGED);
        return new RegionInput(layer, className(properties.get("classification")), geometry, Jackson.write(properties),
                provenance);
    }

    /** The class a QuPath classification names: {@code {"name": ...}} or a plain string; null when none. */
    static String className(JsonNode cls) {
        if (cls != null && cls.isObject() && cls.path("name").isTextual()) {
            return cls.get("name").asText();
        }
        if (cls != null && cls.isTextual()) {
            return cls.asText();
        }
        return null;
    }
}
