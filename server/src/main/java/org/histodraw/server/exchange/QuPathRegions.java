package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.geojson.Classification;
import org.histodraw.engine.geojson.Json;
import org.histodraw.engine.geojson.QuPathObject;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.histodraw.server.geometry.JtsPolygonRepair;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.RegionGeometry;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.Regions;
import org.locationtech.jts.geom.util.GeometryFixer;

/**
 * The one mapping between QuPath objects and stored regions, used by import and export alike, so
 * that what comes in goes back out. A region keeps in its properties what QuPath wrote about the
 * object: {@code classification} (name and colour), {@code objectType} (when not an annotation),
 * {@code name}, {@code measurements} (NaN and infinities as QuPath's strings), a cell's
 * {@code nucleusGeometry}, {@code color}, {@code isLocked}, {@code metadata}, {@code plane},
 * {@code isEllipse} and any other property as it was. The object's id lives beside the region
 * ({@link org.histodraw.server.store.RegionOrigins}), not in its properties.
 */
public final class QuPathRegions {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Properties the server manages itself: never taken from a file. */
    static final Set<String> MANAGED = Set.of("id", "version", "layer", "provenance");
    /** Properties that go back into the geometry object on export. */
    private static final Set<String> GEOMETRY_FIELDS = Set.of("plane", "isEllipse");

    private QuPathRegions() {
    }

    /** Thrown when an object cannot be stored (its outline stays invalid, its class name is too long...). */
    static final class Unstorable extends RuntimeException {
        Unstorable(String reason) {
            super(reason, null, false, false);
        }
    }

    // ---- import ----

    /** The object as a region of {@code layer}; fails with {@link Unstorable} naming why not. */
    static IncomingRegion incoming(QuPathObject o, String layer, String provenance) {
        List<String> notes = new ArrayList<>(o.notes());
        RegionGeometry geometry = geometry(o.polygons(), notes);
        ObjectNode properties = MAPPER.createObjectNode();
        Classification c = o.classification();
        if (c != null) {
            ObjectNode cls = properties.putObject("classification").put("name", c.name());
            if (c.hasColour()) {
                cls.putArray("color").add(c.rgb() >> 16 & 255).add(c.rgb() >> 8 & 255).add(c.rgb() & 255);
            }
        }
        if (!o.objectType().equals(QuPathObject.ANNOTATION)) {
            properties.put("objectType", o.objectType());
        }
        if (o.name() != null) {
            properties.put("name", o.name());
        }
        if (!o.measurements().isEmpty()) {
            ObjectNode m = properties.putObject("measurements");
            for (Map.Entry<String, Double> e : o.measurements().entrySet()) {
                double v = e.getValue();
                if (Double.isNaN(v)) {
                    m.put(e.getKey(), "NaN");
                } else if (Double.isInfinite(v)) {
                    m.put(e.getKey(), v > 0 ? "Infinity" : "-Infinity");
                } else {
                    m.put(e.getKey(), v);
                }
            }
        }
        if (!o.nucleus().isEmpty()) {
            properties.set("nucleusGeometry", geoJson(o.nucleus()));
        }
        for (Map.Entry<String, Object> e : o.properties().entrySet()) {
            if (!MANAGED.contains(e.getKey()) && !properties.has(e.getKey())) {
                properties.set(e.getKey(), tree(e.getValue()));
            }
        }
        String text;
        try {
            text = MAPPER.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("properties of " + o.at() + " cannot be written as JSON", e);
        }
        RegionInput input;
        try {
            input = new RegionInput(layer, c == null ? null : c.name(), geometry, text, provenance);
        } catch (LimitExceeded e) {
            throw e; // a limit protects the server: crossing it refuses the import, naming the limit
        } catch (InvalidInput e) {
            throw new Unstorable(e.getMessage());
        }
        String colour = c != null && c.hasColour() ? String.format(Locale.ROOT, "#%06x", c.rgb()) : null;
        return new IncomingRegion(o.at(), o.id(), input, colour, notes);
    }

    /** A value as the engine read it, as a Jackson tree; numbers as the file wrote them (255, not 255.0). */
    private static JsonNode tree(Object value) {
        try {
            return MAPPER.readTree(Json.write(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the engine wrote JSON Jackson cannot read", e);
        }
    }

    /**
     * The store's checked geometry. The engine's validity check and JTS's differ at the edges (JTS
     * also refuses an interior cut in two by touching rings): what JTS refuses is fixed by JTS.
     */
    static RegionGeometry geometry(List<Polygon> polygons, List<String> notes) {
        try {
            return RegionGeometry.parse(geoJson(polygons));
        } catch (LimitExceeded e) {
            throw e;
        } catch (InvalidInput invalid) {
            if (!String.valueOf(invalid.getMessage()).startsWith("invalid polygon")) {
                throw new Unstorable(invalid.getMessage());
            }
            List<Polygon> fixed = JtsPolygonRepair.fromJts(GeometryFixer.fix(JtsPolygonRepair.toJts(polygons)));
            try {
                RegionGeometry g = RegionGeometry.parse(geoJson(fixed));
                notes.add("repaired: " + invalid.getMessage());
                return g;
            } catch (LimitExceeded e) {
                throw e;
            } catch (InvalidInput stillInvalid) {
                throw new Unstorable(invalid.getMessage() + ", and it could not be repaired");
            }
        }
    }

    /** Polygons as a GeoJSON Polygon (one) or MultiPolygon (several), rings closed. */
    static ObjectNode geoJson(List<Polygon> polygons) {
        ObjectNode g = MAPPER.createObjectNode();
        if (polygons.size() == 1) {
            g.put("type", "Polygon");
            rings(g.putArray("coordinates"), polygons.get(0));
        } else {
            g.put("type", "MultiPolygon");
            ArrayNode parts = g.putArray("coordinates");
            for (Polygon p : polygons) {
                rings(parts.addArray(), p);
            }
        }
        return g;
    }

    private static void rings(ArrayNode out, Polygon p) {
        ring(out.addArray(), p.shell());
        for (Ring h : p.holes()) {
            ring(out.addArray(), h);
        }
    }

    private static void ring(ArrayNode out, Ring r) {
        for (int i = 0; i <= r.size(); i++) {
            out.addArray().add(r.x(i % r.size())).add(r.y(i % r.size()));
        }
    }

    // ---- export ----

    /**
     * Writes a stored region as the Feature QuPath reads: its id, geometry (with plane and ellipse
     * flag), a cell's nucleus, objectType, name, classification with a colour (a derived class as
     * {@code names}), measurements and the other properties, plus HistoDraw's {@code layer}.
     *
     * @param rgb the class colour (0xRRGGBB), or -1 for an unclassified region
     */
    static void writeFeature(JsonGenerator g, Regions.Stored r, String id, int rgb) throws IOException {
        ObjectNode properties = (ObjectNode) MAPPER.readTree(r.properties());
        g.writeStartObject();
        g.writeStringField("type", "Feature");
        g.writeStringField("id", id);
        ObjectNode geometry = (ObjectNode) MAPPER.readTree(r.geometry());
        for (String field : GEOMETRY_FIELDS) {
            if (properties.has(field)) {
                geometry.set(field, properties.remove(field));
            }
        }
        g.writeFieldName("geometry");
        MAPPER.writeTree(g, geometry);
        JsonNode nucleus = properties.remove("nucleusGeometry");
        if (nucleus != null) {
            g.writeFieldName("nucleusGeometry");
            MAPPER.writeTree(g, nucleus);
        }
        g.writeObjectFieldStart("properties");
        JsonNode type = properties.remove("objectType");
        g.writeStringField("objectType", type != null && type.isTextual() ? type.asText() : QuPathObject.ANNOTATION);
        JsonNode name = properties.remove("name");
        if (name != null) {
            g.writeFieldName("name");
            MAPPER.writeTree(g, name);
        }
        properties.remove("classification");
        if (r.className() != null) {
            g.writeObjectFieldStart("classification");
            List<String> parts = new Classification(r.className(), -1).parts();
            if (parts.size() == 1) {
                g.writeStringField("name", r.className());
            } else {
                g.writeArrayFieldStart("names");
                for (String part : parts) {
                    g.writeString(part);
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("color");
            g.writeNumber(rgb >> 16 & 255);
            g.writeNumber(rgb >> 8 & 255);
            g.writeNumber(rgb & 255);
            g.writeEndArray();
            g.writeEndObject();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!MANAGED.contains(e.getKey())) {
                g.writeFieldName(e.getKey());
                MAPPER.writeTree(g, e.getValue());
            }
        }
        g.writeStringField("layer", r.layer());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The colour a class is exported with: the ontology's, else the one the region was imported
     * with, else a default that depends on the name only (the same in every export).
     */
    static int colour(String className, Map<String, Integer> ontology, String storedProperties) {
        Integer known = ontology.get(className);
        if (known != null) {
            return known;
        }
        try {
            JsonNode color = MAPPER.readTree(storedProperties).path("classification").path("color");
            if (color.isArray() && color.size() >= 3) {
                return (color.get(0).asInt() & 255) << 16 | (color.get(1).asInt() & 255) << 8 | (color.get(2).asInt() & 255);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
        return ImageClass.defaultColour(1 + Math.floorMod(className.hashCode(), 16));
    }
}
