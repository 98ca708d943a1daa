package org.histodraw.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer too large for one request, cut into FeatureCollections of about {@code partBytes} each
 * (whole features; a feature larger than that makes a part of its own). Every part repeats the
 * collection's members before its features: the job's provenance. Streamed: features are copied
 * token by token from the file into the part being written, never held whole.
 */
final class LayerParts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends one part, a file deleted once it returns; {@code index} counts from 0. */
    interface Sender {
        void send(Path part, int index) throws IOException;
    }

    private LayerParts() {
    }

    /**
     * Cuts {@code collection} into parts and hands each to {@code sender} in order.
     *
     * @return how many parts were sent (at least one)
     * @throws IllegalArgumentException when the file is not a FeatureCollection whose members other
     *                                  than its features come before them
     */
    static int send(Path collection, long partBytes, Sender sender) throws IOException {
        Map<String, JsonNode> header = new LinkedHashMap<>();
        int sent = 0;
        boolean features = false;
        try (JsonParser in = JSON.getFactory().createParser(collection.toFile())) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(collection + " is not a GeoJSON FeatureCollection");
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                if (!name.equals("features")) {
                    if (features) {
                        throw new IllegalArgumentException(collection + ": member \"" + name
                                + "\" comes after the features, so it cannot lead every part");
                    }
                    header.put(name, JSON.readTree(in));
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException(collection + ": \"features\" is not an array");
                }
                features = true;
                Part part = null;
                while (in.nextToken() == JsonToken.START_OBJECT) {
                    if (part == null) {
                        part = new Part(collection, sent, header);
                    }
                    part.json.copyCurrentStructure(in);
                    if (part.bytes() >= partBytes) {
                        part.send(sender);
                        sent++;
                        part = null;
                    }
                }
                if (part != null) {
                    part.send(sender);
                    sent++;
                }
            }
        }
        if (sent == 0) { // no features: one empty part still replaces what was staged
            new Part(collection, 0, header).send(sender);
            sent = 1;
        }
        return sent;
    }

    /** A part being written beside the collection, counting its bytes. */
    private static final class Part {
        final Path file;
        final int index;
        final long[] written = new long[1];
        final JsonGenerator json;

        Part(Path collection, int index, Map<String, JsonNode> header) throws IOException {
            this.file = collection.resolveSibling(collection.getFileName() + ".part" + index);
            this.index = index;
            OutputStream counting = new FilterOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written[0] += len;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    written[0]++;
                }
            };
            this.json = JSON.getFactory().createGenerator(counting);
            json.writeStartObject();
            for (Map.Entry<String, JsonNode> e : header.entrySet()) {
                json.writeFieldName(e.getKey());
                JSON.writeTree(json, e.getValue());
            }
            json.writeFieldName("features");
            json.writeStartArray();
        }

        /** Bytes written so far, the generator's buffer included. */
        long bytes() {
            return written[0] + json.getOutputBuffered();
        }

        void send(Sender sender) throws IOException {
            try {
                json.writeEndArray();
                json.writeEndObject();
                json.close();
                sender.send(file, index);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
