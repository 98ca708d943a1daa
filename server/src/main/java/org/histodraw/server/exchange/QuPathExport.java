package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;

/**
 * Writes a slice's regions as the GeoJSON FeatureCollection QuPath imports ("Import objects"),
 * region by region as they stream from the store: every class with a colour (QuPath refuses a class
 * without one), the ids, names, measurements, object types and nuclei that came in with them.
 */
public final class QuPathExport {
    private final Regions regions;
    private final RegionOrigins origins;

    public QuPathExport(Regions regions, RegionOrigins origins) {
        this.regions = regions;
        this.origins = origins;
    }

    /**
     * @param layer        the layer to export, or null for all
     * @param ontologyJson the project's ontology ({@code [{name, color: "#rrggbb"}, ...]})
     */
    public void write(Slice s, String layer, String ontologyJson, OutputStream out) throws IOException {
        Map<String, Integer> colours = colours(ontologyJson);
        Map<Long, String> externalIds = origins.externalIds(s.id());
        try (JsonGenerator g = QuPathRegions.MAPPER.getFactory().createGenerator(out)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)) {
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            g.writeArrayFieldStart("features");
            regions.queries().query(new RegionQueries.Query(s.id(), layer, null, null, 0, 0), s.width(), s.height(), r -> {
                try {
                    int rgb = r.className() == null ? -1 : QuPathRegions.colour(r.className(), colours, r.properties());
                    QuPathRegions.writeFeature(g, r, RegionIds.exportId(r.id(), externalIds.get(r.id())), rgb);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Class name to 0xRRGGBB from the project's ontology. */
    static Map<String, Integer> colours(String ontologyJson) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode c : QuPathRegions.MAPPER.readTree(ontologyJson)) {
            String hex = c.path("color").asText("");
            if (hex.matches("#[0-9a-fA-F]{6}")) {
                out.put(c.path("name").asText(), Integer.parseInt(hex.substring(1), 16));
            }
        }
        return out;
    }
}
