package org.histodraw.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.histodraw.client.ServerClient;
import org.histodraw.client.SliceInfo;
import org.histodraw.engine.pipeline.SegmentationModel;

/** The driver's dealings with an annotation server: listing a series' slices, sending results back. */
final class CohortSlides {
    static final String LAYER = "generated";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CohortSlides() {
    }

    /** The cohort's slides: those given, then every slice of each series, in the server's order. */
    static List<String> list(CohortOptions options) {
        List<String> slides = new ArrayList<>(options.slides());
        if (!options.series().isEmpty()) {
            ServerClient client = options.server().orElseThrow().client();
            for (long series : options.series()) {
                for (SliceInfo slice : client.series(series).slices()) {
                    slides.add(SlideSource.location(slice));
                }
            }
        }
        return List.copyOf(new LinkedHashSet<>(slides));
    }

    /**
     * Sends each server slice's polygons back as its layer {@value #LAYER}, with provenance. Each
     * is staged under the job's id and all are published in one step at the end, so the viewer never
     * shows a half-posted cohort; a failure discards the staging and fails the job.
     */
    static int postBack(ServerAccess server, Path out, List<SlideOutcome> outcomes, SegmentationModel model, String jobId) {
        ServerClient client = server.client();
        int posted = 0;
        try {
            for (SlideOutcome o : outcomes) {
                if (!o.ok() || !SlideSource.isSlice(o.slide())) {
                    continue;
                }
                Path geojson = out.resolve(SlidePlan.baseName(o.slide()) + ".geojson");
                ObjectNode collection = (ObjectNode) JSON.readTree(geojson.toFile());
                ObjectNode provenance = collection.putObject("provenance");
                provenance.put("service", "histodraw-spark");
                provenance.put("model", model.id());
                provenance.put("modelName", model.name());
                provenance.put("job", jobId);
                client.putLayer(SlideSource.sliceId(o.slide()), LAYER, JSON.writeValueAsString(collection), jobId);
                posted++;
            }
            if (posted > 0) {
                client.commitStaged(jobId);
            }
            return posted;
        } catch (IOException e) {
            client.discardStaged(jobId);
            throw new UncheckedIOException("cannot send the results back to " + server.url() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            try {
                client.discardStaged(jobId);
            } catch (RuntimeException ignored) {
                // the server will drop the staging itself after a week
            }
            throw e;
        }
    }
}
