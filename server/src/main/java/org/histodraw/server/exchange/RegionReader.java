package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.geojson.Json;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.engine.geojson.QuPathObject;
import org.histodraw.engine.geojson.QuPathReader;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.server.geometry.JtsPolygonRepair;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.RegionGeometry;

/**
 * Reads the regions of one file (QuPath GeoJSON or MicroDraw JSON) as it streams in: the parser
 * walks the file token by token, and only one feature at a time is held whole, after its bytes
 * were copied into a buffer that refuses to grow past {@link ImportLimits#maxRegionBytes()}. So a
 * file of any size costs at most one feature's worth of memory beyond the regions kept, and every
 * limit (bytes per region, numbers per region, regions per file and per import) stops the reading
 * the moment it is crossed, with a {@link LimitExceeded} that names it.
 *
 * <p>Each GeoJSON feature is read by the engine's {@link QuPathReader} (the one reader of region
 * files; invalid outlines repaired by {@link JtsPolygonRepair}): a feature that gives no region is
 * in the {@link ImportReport} with the reason, annotations go to one layer, QuPath's detections,
 * cells and tiles to another. Accepted: a FeatureCollection, a single Feature or geometry, or an
 * array of them. MicroDraw files (an array of {@code {"annotation": ...}}, or
 * {@code {"Regions": [...]}}) are read annotation by annotation, each refused when its curves
 * could flatten into too many points, and kept for {@link MicroDrawCompat} to store (regions by
 * uid, lines and texts as they came).
 */
final class RegionReader {
    /** Numbers one region may hold beyond its vertices' coordinates (class colours, measurements). */
    private static final int EXTRA_NUMBERS = 40_000;
    /** A MicroDraw region whose curves could flatten into more points than this is refused unread. */
    static final long MAX_FLATTENED_POINTS = 4L * RegionGeometry.MAX_VERTICES;
    private static final Set<String> GEOMETRY_TYPES = Set.of("Point", "MultiPoint", "LineString", "MultiLineString",
            "Polygon", "MultiPolygon", "GeometryCollection");

    /**
     * A file read: its regions ready to store and the report of every feature, or (for MicroDraw
     * JSON) its annotations as MicroDraw wrote them.
     */
    record Parsed(List<IncomingRegion> regions, ImportReport report, List<Object> microDraw) {
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

    /** Where regions go: annotations to one layer, QuPath's analysis results (detections, cells, tiles) to another. */
    record Layers(String annotations, String detections) {
    }

    private final ImportLimits limits;
    private final JsonFactory factory;
    private final Format format;
    private final int imageWidth;
    private final Layers layers;
    private final String provenance;
    private final String what;
    private final RegionCount importCount;
    private final List<IncomingRegion> regions = new ArrayList<>();
    private final ImportReport report = new ImportReport();
    private List<Object> microDraw;
    private int read;

    /**
     * @param format     the file's format, or null to tell from its content
     * @param imageWidth the slice's width in pixels (MicroDraw coordinates scale with it)
     * @param provenance what the imported regions carry as provenance
     * @param what       how messages name the file ("the file", "slice-03.geojson")
     */
    RegionReader(ImportLimits limits, Format format, int imageWidth, Layers layers, String provenance, String what,
                 RegionCount importCount) {
        this.limits = limits;
        this.format = format;
        this.imageWidth = imageWidth;
        this.layers = layers;
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
        return new Parsed(List.copyOf(regions), report, microDraw == null ? null : List.copyOf(microDraw));
    }

    private InvalidInput notRegions() {
        return new InvalidInput(what + " is neither GeoJSON (a FeatureCollection, a Feature or an array of them) nor MicroDraw JSON");
    }

    /** An array of Features or of MicroDraw annotations (told apart by the first element when the format is not given). */
    private void readArray(JsonParser p, Format known) throws IOException {
        Format f = known;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw new InvalidInput(what + " ends inside an array");
            }
            byte[] element = bounded(p);
            Object value = Json.parse(new String(element, StandardCharsets.UTF_8));
            if (f == null) {
                f = value instanceof Map<?, ?> m && m.containsKey("annotation") ? Format.MICRODRAW : Format.GEOJSON;
            }
            if (f == Format.MICRODRAW) {
                microDraw(element, value);
            } else {
                feature(value);
            }
        }
    }

    /**
     * A FeatureCollection (its features streamed), MicroDraw's {@code {"Regions": [...]}}, or a
     * single Feature or geometry (kept whole: it is one region).
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
                readArray(p, Format.MICRODRAW);
            } else {
                rest.set(field, Jackson.MAPPER.readTree(bounded(p)));
            }
        }
        String type = rest.path("type").asText("");
        if (features && rest.has("type") && !type.equals("FeatureCollection")) {
            throw new InvalidInput(what + ": an object with \"features\" must have \"type\": \"FeatureCollection\", not " + rest.get("type"));
        }
        if (!features) {
            if (!type.equals("Feature") && !GEOMETRY_TYPES.contains(type)) {
                throw notRegions();
            }
            feature(Json.parse(Jackson.write(rest)));
        }
    }

    /** One feature through the engine's reader: it may give several objects (a hierarchy) or none (reported). */
    private void feature(Object feature) {
        QuPathReader.readFeature(feature, read++, JtsPolygonRepair.INSTANCE, new QuPathReader.Sink() {
            @Override
            public void object(QuPathObject o) {
                count();
                try {
                    regions.add(QuPathRegions.incoming(o, o.isDetection() ? layers.detections() : layers.annotations(), provenance));
                } catch (QuPathRegions.Unstorable e) {
                    report.skipped(o.at(), o.id(), e.getMessage());
                }
            }

            @Override
            public void skipped(Skipped s) {
                report.skipped(s.at(), s.id(), s.reason());
            }
        });
    }

    /** One MicroDraw annotation, kept as it came once its curves are known to stay within the vertex limit. */
    private void microDraw(byte[] element, Object value) throws IOException {
        long points = MicroDrawBounds.flattenedPoints(Jackson.MAPPER.readTree(element), MicroDrawJson.forImageWidth(imageWidth).pixelsPerUnit());
        if (points > MAX_FLATTENED_POINTS) {
            throw new LimitExceeded("maxVertices", RegionGeometry.MAX_VERTICES, what + ", MicroDraw region " + read
                    + ": its curves would flatten into up to " + points + " points");
        }
        count();
        read++;
        if (microDraw == null) {
            microDraw = new ArrayList<>();
        }
        microDraw.add(value);
    }

    private void count() {
        if (regions.size() + (microDraw == null ? 0 : microDraw.size()) >= limits.maxRegionsPerSlice()) {
            throw new LimitExceeded("maxRegionsPerSlice", limits.maxRegionsPerSlice(), what + " holds more than "
                    + limits.maxRegionsPerSlice() + " regions; at most that many per slice");
        }
        importCount.add(what);
    }

    /**
     * The value at the parser, as JSON text, after copying its tokens into a buffer that refuses
     * to grow past the region limit and counting its numbers (a region holds at most
     * {@value RegionGeometry#MAX_VERTICES} vertices): a huge value is refused before it is built.
     */
    private byte[] bounded(JsonParser p) throws IOException {
        Bounded buffer = new Bounded(limits.maxRegionBytes());
        long numbers = 0;
        long maxNumbers = 2L * RegionGeometry.MAX_VERTICES + EXTRA_NUMBERS;
        try (JsonGenerator g = Jackson.STREAMING.getFactory().createGenerator(buffer)) {
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                if (t.isNumeric() && ++numbers > maxNumbers) {
                    throw new LimitExceeded("maxVertices", RegionGeometry.MAX_VERTICES, what + ", feature " + read
                            + ": more numbers than " + RegionGeometry.MAX_VERTICES + " vertices can hold");
                }
                if (t == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(p.getDoubleValue())) {
                    throw new InvalidInput(what + ", feature " + read + ": the number " + p.getText() + " is out of range");
                }
                g.copyCurrentEvent(p);
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0 && p.nextToken() != null);
        }
        return buffer.toByteArray();
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
                throw new LimitExceeded("maxRegionBytes", max, what + ", feature " + read + " is larger than "
                        + Limits.bytes(max) + " of JSON");
            }
        }
    }
}
