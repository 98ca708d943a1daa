package org.histodraw.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A model's results made the user's own annotations: "accept" moves regions of a generated layer
 * ({@code generated}, {@code browser}, ...) into the human layer in one commit, where they are
 * edited, re-classed and deleted like any region. Each keeps where it came from in its provenance,
 * {@code acceptedFrom: {layer, region, version, provenance}} (the model, job and training slices of
 * the original), beside the user who accepted it. "Give back" is the undo: accepted regions return
 * to their layer with their original provenance. Moving (not copying) shows no outline twice; the
 * history keeps the original, and a job run again replaces its layer as always.
 */
public final class ResultAcceptance {
    public static final String HUMAN = "human";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One region moved: its id before and after. */
    public record Moved(long from, long to) {
    }

    /** The commit (null when nothing matched) and the regions moved, in order. */
    public record Outcome(Commit commit, List<Moved> moved) {
    }

    private final Regions regions;

    public ResultAcceptance(Regions regions) {
        this.regions = regions;
    }

    /**
     * Accepts the regions of {@code layer} (only those of {@code classes} when not empty) or, when
     * {@code ids} is not empty, exactly those regions (each must be on this slice, in a generated layer).
     *
     * @param acceptedBy the user name recorded in the accepted regions' provenance
     */
    public Outcome accept(long sliceId, String layer, Set<String> classes, List<Long> ids, String acceptedBy, Actor actor) {
        List<Regions.Stored> sources = new ArrayList<>();
        if (!ids.isEmpty()) {
            for (long id : ids) {
                Regions.Stored r = regions.region(id).orElseThrow(() -> new NotFound("no region " + id + " (deleted?)"));
                if (r.sliceId() != sliceId) {
                    throw new InvalidInput("region " + id + " is on slice " + r.sliceId() + ", not on slice " + sliceId);
                }
                if (r.layer().equals(HUMAN)) {
                    throw new InvalidInput("region " + id + " is already in the human layer");
                }
                sources.add(r);
            }
        } else {
            RegionInput.checkLayer(layer);
            if (layer.equals(HUMAN)) {
                throw new InvalidInput("the human layer holds annotations already: accept a generated layer");
            }
            regions.queries().query(new RegionQueries.Query(sliceId, layer, null, null, 0, 0), Integer.MAX_VALUE, Integer.MAX_VALUE, r -> {
                if (classes.isEmpty() || classes.contains(r.className())) {
                    sources.add(r);
                }
            });
        }
        List<Edit> edits = new ArrayList<>();
        for (Regions.Stored r : sources) {
            ObjectNode provenance = JSON.createObjectNode();
            provenance.put("user", acceptedBy);
            ObjectNode from = provenance.putObject("acceptedFrom");
            from.put("layer", r.layer()).put("region", r.id()).put("version", r.version());
            from.set("provenance", object(r.provenance()));
            edits.add(new Edit.Create(new RegionInput(HUMAN, r.className(), geometry(r), r.properties(), write(provenance))));
            edits.add(new Edit.Delete(r.id(), r.version()));
        }
        return commit(sliceId, sources, edits, actor);
    }

    /** Returns accepted human regions to the layer they came from, with their original provenance. */
    public Outcome giveBack(long sliceId, Collection<Long> humanIds, Actor actor) {
        List<Regions.Stored> sources = new ArrayList<>();
        List<Edit> edits = new ArrayList<>();
        for (long id : humanIds) {
            Regions.Stored r = regions.region(id).orElseThrow(() -> new NotFound("no region " + id + " (deleted?)"));
            JsonNode from = object(r.provenance()).path("acceptedFrom");
            if (r.sliceId() != sliceId || !r.layer().equals(HUMAN) || !from.path("layer").isTextual()) {
                throw new InvalidInput("region " + id + " is not an accepted result of slice " + sliceId);
            }
            JsonNode original = from.path("provenance");
            sources.add(r);
            edits.add(new Edit.Create(new RegionInput(RegionInput.checkLayer(from.get("layer").asText()), r.className(), geometry(r),
                    r.properties(), original.isObject() ? write(original) : null)));
            edits.add(new Edit.Delete(r.id(), r.version()));
        }
        return commit(sliceId, sources, edits, actor);
    }

    /**
     * The provenance of an edit of a region: the editor's, still naming the model result it was
     * accepted from, so an accepted region keeps its origin (and can be given back) after edits.
     */
    public static String keepOrigin(String before, String edited) {
        JsonNode from = object(before).path("acceptedFrom");
        if (from.isMissingNode()) {
            return edited;
        }
        ObjectNode after = object(edited);
        after.set("acceptedFrom", from);
        return write(after);
    }

    private Outcome commit(long sliceId, List<Regions.Stored> sources, List<Edit> edits, Actor actor) {
        if (edits.isEmpty()) {
            return new Outcome(null, List.of());
        }
        Commit commit = regions.apply(sliceId, edits, actor);
        List<Moved> moved = new ArrayList<>();
        int i = 0;
        for (Change c : commit.changes()) {
            if (c.op().equals("create")) {
                moved.add(new Moved(sources.get(i++).id(), c.regionId()));
            }
        }
        return new Outcome(commit, moved);
    }

    private static RegionGeometry geometry(Regions.Stored r) {
        try {
            return RegionGeometry.parse(JSON.readTree(r.geometry()));
        } catch (IOException e) {
            throw new UncheckedIOException("stored geometry of region " + r.id() + " is not JSON", e);
        }
    }

    private static ObjectNode object(String json) {
        if (json == null || json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(json);
            return n instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("stored provenance is not JSON", e);
        }
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
