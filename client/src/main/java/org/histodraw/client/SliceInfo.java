package org.histodraw.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A slice as the server describes it.
 *
 * @param micronsPerPixel the pixel size, or null when the image did not record it
 * @param seq             the slice's change sequence when it was read
 */
public record SliceInfo(long id, long seriesId, long projectId, String name, double position, int width, int height,
                        Double micronsPerPixel, long seq) {

    static SliceInfo of(JsonNode n) {
        JsonNode mpp = n.path("micronsPerPixel");
        return new SliceInfo(n.path("id").asLong(), n.path("seriesId").asLong(), n.path("projectId").asLong(),
                n.path("name").asText(), n.path("position").asDouble(), n.path("width").asInt(), n.path("height").asInt(),
                mpp.isNumber() ? mpp.asDouble() : null, n.path("seq").asLong());
    }
}
