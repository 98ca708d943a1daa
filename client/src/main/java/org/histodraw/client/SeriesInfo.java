package org.histodraw.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A series and its slices in the server's order. */
public record SeriesInfo(long id, long projectId, String name, List<SliceInfo> slices) {

    public SeriesInfo {
        slices = List.copyOf(slices);
    }

    static SeriesInfo of(JsonNode n) {
        List<SliceInfo> slices = new ArrayList<>();
        for (JsonNode s : n.path("slices")) {
            slices.add(SliceInfo.of(s));
        }
        return new SeriesInfo(n.path("id").asLong(), n.path("projectId").asLong(), n.path("name").asText(), slices);
    }
}
