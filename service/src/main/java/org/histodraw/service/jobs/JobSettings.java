package org.histodraw.service.jobs;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.histodraw.client.SliceInfo;
import org.histodraw.engine.pipeline.Overview;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.service.errors.ClientError;
import org.histodraw.slides.pipeline.SlideSegmentation;

/**
 * How a job runs: the layer its results go to, tile size and threads, how the traced regions are
 * cleaned (the engine's {@link PolygonCleaning}, as {@code histodraw segment} and Spark do it), the
 * service's name for the provenance, and at which resolution the model predicts (QuPath's
 * "resolution" choice, as {@code histodraw segment --resolution} and {@code --refine}).
 *
 * @param resolution 1: every pixel of the slice; 2, 4 or 8: a tissue map from the slice downsampled
 *                   that many times, by the model's overview (whose resolution it must be)
 * @param refine     full resolution coarse-to-fine: the overview first, then the model's exact
 *                   prediction wherever the overview is not settled (resolution 1 only)
 * @param omitted    classes whose regions are not published (their areas are still counted), as
 *                   QuPath makes objects of the classes one picks: e.g. a background with a hole
 *                   per nucleus
 */
public record JobSettings(String layer, int tileSize, int threads, PolygonCleaning cleaning, String serviceName,
                          int resolution, boolean refine, Set<String> omitted) {
    public static final String GENERATED = "generated";

    public JobSettings {
        if (!layer.matches("[A-Za-z0-9._-]{1,64}") || layer.equals("human")) {
            throw ClientError.badRequest("results go to a generated layer (1-64 letters, digits or ._-, not human): " + layer);
        }
        if (tileSize < 64 || tileSize > 4096) {
            throw ClientError.badRequest("tile size must be 64..4096: " + tileSize);
        }
        if (threads < 1) {
            throw ClientError.badRequest("threads must be at least 1: " + threads);
        }
        Objects.requireNonNull(cleaning, "cleaning");
        omitted = Set.copyOf(omitted);
        if (resolution != 1 && !Overview.RESOLUTIONS.contains(resolution)) {
            throw ClientError.badRequest("resolution is 1 (every pixel) or 2, 4 or 8 (a tissue map), not " + resolution);
        }
        if (refine && resolution != 1) {
            throw ClientError.badRequest("refine predicts every pixel: it goes with resolution 1, not " + resolution);
        }
    }

    /** At full resolution, every pixel exactly. */
    public JobSettings(String layer, int tileSize, int threads, PolygonCleaning cleaning, String serviceName) {
        this(layer, tileSize, threads, cleaning, serviceName, 1, false, Set.of());
    }

    /** Tiles of small slices: so a slice of 512 px still keeps two threads busy. */
    public static final int SMALL_TILE = 256;

    public static JobSettings defaults(int threads, String serviceName) {
        return new JobSettings(GENERATED, SMALL_TILE, threads, PolygonCleaning.defaults(), serviceName);
    }

    /**
     * The tile size of a job whose request names none: {@code histodraw segment}'s 512 px when every
     * slice, at the job's resolution, has at least 8 such tiles per thread (a tile's halo is then a
     * smaller share of what is computed: a whole 30k slide of nuclei took 6-8% less time), else
     * {@value #SMALL_TILE} px so small slices keep every thread busy. Results are the same whatever
     * the tile size.
     */
    public static int tileSizeFor(List<SliceInfo> slices, int resolution, int threads) {
        int large = SlideSegmentation.DEFAULT_TILE_SIZE;
        for (SliceInfo s : slices) {
            long columns = ((s.width() + resolution - 1L) / resolution) / large;
            long rows = ((s.height() + resolution - 1L) / resolution) / large;
            if (columns * rows < 8L * threads) {
                return SMALL_TILE;
            }
        }
        return large;
    }

    /** Whether the job predicts through the model's overview (a tissue map or coarse-to-fine). */
    public boolean usesOverview() {
        return resolution > 1 || refine;
    }

    /** At which resolution a job with these settings predicts, for people. */
    public String describe(SegmentationModel model) {
        if (resolution > 1) {
            return "a tissue map at 1/" + resolution;
        }
        return refine ? "every pixel, coarse-to-fine from 1/" + model.overview().resolution() : "every pixel";
    }

    /**
     * Refuses a model that cannot run these settings, naming what to train instead.
     *
     * @throws ClientError 400 when the job needs an overview the model does not have
     */
    public void requireFits(SegmentationModel model) {
        model.classes().firstUnknown(omitted).ifPresent(name -> {
            throw ClientError.badRequest("\"omit\": model " + model.name() + " has no class " + name + " (its classes: "
                    + String.join(", ", model.classes().names()) + ")");
        });
        if (omitted.size() == model.classes().size()) {
            throw ClientError.badRequest("\"omit\" names every class of model " + model.name() + ": no region would be published");
        }
        if (!usesOverview()) {
            return;
        }
        int wanted = refine ? 0 : resolution;
        if (model.overview() == null) {
            throw ClientError.badRequest("model " + model.name() + " has no overview for " + (refine ? "coarse-to-fine"
                    : "a tissue map at 1/" + resolution) + ": train it with a tissue-map resolution (\"overview\": "
                    + (refine ? 8 : resolution) + ")");
        }
        if (wanted > 0 && model.overview().resolution() != wanted) {
            throw ClientError.badRequest("model " + model.name() + " has an overview at 1/" + model.overview().resolution()
                    + ", not 1/" + wanted + ": ask for resolution " + model.overview().resolution() + " or train again");
        }
    }
}
