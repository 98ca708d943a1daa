package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.RegionGeometry;
import org.histodraw.server.store.RegionInput;

/**
 * Reads the regions of one file (QuPath GeoJSON or MicroDraw JSON) as it streams in: the parser
 * walks the file token by token, and only one region at a time is held as a tree, after its bytes
 * were copied into a buffer that refuses to grow past {@link ImportLimits#maxRegionBytes()}. So a
 * file of any size costs at most one region's worth of memory beyond the regions kept, and every
 * limit (bytes per region, numbers per region, regions per file and per import) stops the reading
 * the moment it is crossed, with a {@link LimitExceeded} that names it.
 *
 * <p>Accepted: a FeatureCollection, a single Feature or an array of Features (GeoJSON); an array
 * of {@code {"annotation": ...}} or {@code {"Regions": [...]}} (MicroDraw), where each region is
 * handed to the engine's {@link MicroDrawJson} reader on its own.
 */
final class RegionReader {
    /** Numbers one region may hold beyond its vertices' coordinates (class colours, measurements). */
    private static final int EXTRA_NUMBERS = 40_000;
    /** A MicroDraw region whose curves could flatten into more points than this is refused unread. */
    static final long MAX_FLATTENED_POINTS = 4L * RegionGeometry.MAX_VERTICES;

    /** The regions of a file, ready to store, and the classes they use with the colour the file gives (or null). */
    record Parsed(List<RegionInput> regions, Map<String, String> classColours) {
    }

    /** Counts regions across the files of one import. */
    static final class RegionCount {
        private final int max;
        private int count;

        RegionCount(int max) {
            this.max = max;
        }

        void add(String what) {
            if (++count > max) {
                throw new LimitExceeded("maxRegionsPerImport", max, what + ": the import holds more than " + max + " regions");
            }
        }
    }

    private final ImportLimits limits;
    private final JsonFactory factory;
    private final Format format;
    private final int imageWidth;
    private final String provenance;
    private final String what;
    private final RegionCount importCount;
    private final List<RegionInput> regions = new ArrayList<>();
    private final Map<String, String> colours = new LinkedHashMap<>();

    /**
     * @param format     the file's format, or null to tell from its content
     * @param imageWidth the slice's width in pixels (MicroDraw coordinates scale with it)
     * @param provenance what the imported regions carry as provenance
     * @param what       how messages name the file ("the file", "slice-03.geojson")
     */
    RegionReader(ImportLimits limits, Format format, int imageWidth, String provenance, String what, RegionCount importCount) {
        this.limits = limits;
        this.format = format;
        this.imageWidth = imageWidth;
        this.provenance = provenance;
        this.what = what;
        this.importCount = importCount;
        this.factory = Jackson.STREAMING.getFactory().rebuild()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE - 16, limits.maxRegionBytes()))
                        .maxNestingDepth(64).build())
                .build();
    }

    /** Reads the whole stream (which the caller bounds) into regions; fails on anything that is not a region file. */
    Parsed read(InputStream in) {
        try (JsonParser p = factory.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InvalidInput(what + " is empty");
            }
            if (first == JsonToken.START_ARRAY) {
                readArray(p, format);
            } else if (first == JsonToken.START_OBJECT) {
                readObject(p);
            } else {
                throw notRegions();
            }
            if (p.nextToken() != null) {
                throw new InvalidInput(what + ": unexpected content after the end of the JSON value at line "
                        + p.currentLocation().getLineNr());
            }
        } catch (StreamConstraintsException e) {
            throw new LimitExceeded("maxRegionBytes", limits.maxRegionBytes(), what + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidInput(what + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Parsed(List.copyOf(regions), colours);
    }

    private InvalidInput notRegions() {
        return new InvalidInput(what + " is neither GeoJSON (a FeatureCollection, a Feature or an array of them) nor MicroDraw JSON");
    }

    /** An array of Features or of MicroDraw annotations (told apart by the first element when the format is not given). */
    private void readArray(JsonParser p, Format known) throws IOException {
        Format f = known;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidInput(what + ", region " + regions.size() + ": expected a JSON object, got " + describe(p.currentToken()));
            }
            ObjectNode element = (ObjectNode) bounded(p);
            if (f == null) {
                f = element.has("annotation") ? Format.MICRODRAW : Format.GEOJSON;
            }
            if (f == Format.MICRODRAW) {
                microDraw(element, false);
            } else {
                feature(element);
            }
        }
    }

    /**
     * A FeatureCollection (its features streamed), MicroDraw's {@code {"Regions": [...]}}, or a
     * single Feature (kept whole: it is one region).
     */
    private void readObject(JsonParser p) throws IOException {
        ObjectNode rest = Jackson.MAPPER.createObjectNode();
        boolean features = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("features") && value == JsonToken.START_ARRAY && format != Format.MICRODRAW) {
                features = true;
                readArray(p, Format.GEOJSON);
            } else if (field.equals("Regions") && value == JsonToken.START_ARRAY && format != Format.GEOJSON) {
                features = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    microDraw(bounded(p), true);
                }
            } else {
                rest.set(field, bounded(p));
            }
        }
        String type = rest.path("type").asText("");
        if (features && rest.has("type") && !type.equals("FeatureCollection")) {
            throw new InvalidInput(what + ": an object with \"features\" must have \"type\": \"FeatureCollection\", not " + rest.get("type"));
        }
        if (!features) {
            if (!type.equals("Feature")) {
                throw notRegions();
            }
            feature(rest);
        }
    }

    private void feature(JsonNode node) {
        int index = regions.size();
        count(index);
        JsonNode props = node.path("properties");
        if (props.isObject()) {
            ((ObjectNode) props).remove(List.of("objectType", "isLocked"));
        }
        try {
            regions.add(FeatureInput.of(node, "human", provenance));
        } catch (LimitExceeded e) {
            throw new LimitExceeded(e.limit(), e.max(), what + ", region " + index + ": " + e.getMessage());
        } catch (InvalidInput e) {
            throw new InvalidInput(what + ", region " + index + ": " + e.getMessage());
        }
        JsonNode cls = node.path("properties").path("classification");
        String name = FeatureInput.className(cls);
        if (name != null && !colours.containsKey(name)) {
            colours.put(name, hex(cls.path("color")));
        }
    }

    /** One MicroDraw region through the engine's reader: it may give several polygons (a CompoundPath). */
    private void microDraw(JsonNode element, boolean storageForm) {
        int index = regions.size();
        MicroDrawJson reader = MicroDrawJson.forImageWidth(imageWidth);
        long points = MicroDrawBounds.flattenedPoints(element, reader.pixelsPerUnit());
        if (points > MAX_FLATTENED_POINTS) {
            throw new LimitExceeded("maxVertices", RegionGeometry.MAX_VERTICES, what + ", region " + index
                    + ": its curves would flatten into up to " + points + " points");
        }
        String text = Jackson.write(element);
        LabelledRegions read;
        try {
            read = reader.readRegions(storageForm ? "{\"Regions\":[" + text + "]}" : "[" + text + "]");
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(what + " (MicroDraw JSON), region " + index + ": " + e.getMessage());
        }
        if (read.regions().isEmpty()) {
            return; // a line or a text: not a region
        }
        try {
            for (JsonNode f : Jackson.MAPPER.readTree(GeoJson.toText(read.regions())).path("features")) {
                feature(f);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the engine wrote GeoJSON Jackson cannot read", e);
        }
    }

    private void count(int index) {
        if (index >= limits.maxRegionsPerSlice()) {
            throw new LimitExceeded("maxRegionsPerSlice", limits.maxRegionsPerSlice(), what + " holds more than "
                    + limits.maxRegionsPerSlice() + " regions; at most that many per slice");
        }
        importCount.add(what);
    }

    /**
     * The value at the parser, as a tree, after copying its tokens into a buffer that refuses to
     * grow past the region limit and counting its numbers (a region holds at most
     * {@value RegionGeometry#MAX_VERTICES} vertices): a huge value is refused before it is built.
     */
    private JsonNode bounded(JsonParser p) throws IOException {
        Bounded buffer = new Bounded(limits.maxRegionBytes());
        long numbers = 0;
        long maxNumbers = 2L * RegionGeometry.MAX_VERTICES + EXTRA_NUMBERS;
        try (JsonGenerator g = Jackson.STREAMING.getFactory().createGenerator(buffer)) {
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                if (t.isNumeric() && ++numbers > maxNumbers) {
                    throw new LimitExceeded("maxVertices", RegionGeometry.MAX_VERTICES, what + ", region " + regions.size()
                            + ": more numbers than " + RegionGeometry.MAX_VERTICES + " vertices can hold");
                }
                if (t == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(p.getDoubleValue())) {
                    throw new InvalidInput(what + ", region " + regions.size() + ": the number " + p.getText() + " is out of range");
                }
                g.copyCurrentEvent(p);
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0 && p.nextToken() != null);
        }
        return Jackson.MAPPER.readTree(buffer.toByteArray());
    }

    /** A byte buffer that fails instead of growing past its limit. */
    private final class Bounded extends ByteArrayOutputStream {
        private final long max;

        Bounded(long max) {
            super(1024);
            this.max = max;
        }

        @Override
        public void write(int b) {
            check(1);
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        private void check(int more) {
            if ((long) count + more > max) {
                throw new LimitExceeded("maxRegionBytes", max, what + ", region " + regions.size() + " is larger than "
                        + Limits.bytes(max) + " of JSON");
            }
        }
    }

    private static String describe(JsonToken t) {
        return t == null ? "the end of the file" : t.asString() != null ? "'" + t.asString() + "'" : t.name().toLowerCase(Locale.ROOT);
    }

    /** A colour as QuPath writes it ([r, g, b]) or as #rrggbb; null when there is none. */
    private static String hex(JsonNode color) {
        if (color.isArray() && color.size() >= 3) {
            return String.format(Locale.ROOT, "#%02x%02x%02x", clamp(color.get(0).asInt()), clamp(color.get(1).asInt()),
                    clamp(color.get(2).asInt()));
        }
        if (color.isTextual() && color.asText().matches("#[0-9a-fA-F]{6}")) {
            return color.asText().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
