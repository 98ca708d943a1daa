package org.histodraw.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.pipeline.Overview;
import org.histodraw.engine.pipeline.SegmentationModel;
import java.util.Optional;
import java.util.Set;
import org.histodraw.engine.vector.PolygonCleaning;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/**
 * What a cohort run is asked to do: which model, which slides, where the results go, and how the
 * slides are cut and their polygons cleaned (the same options, defaults and units as
 * {@code histodraw segment}, so the two give the same files).
 *
 * @param model    the saved model ({@code .hdm}); read on the driver and broadcast
 * @param slides   slide paths as the executors will see them, in the order of the summary
 * @param out      the results folder; on a cluster it must be shared by all executors
 * @param tile     tile size in pixels (the unit of work)
 * @param master   Spark master to use when none is configured ({@code spark-submit --master} wins);
 *                 {@value #DEFAULT_MASTER} when empty
 * @param cleaning which traced regions are kept and how their outlines are simplified and smoothed:
 *                 areas in µm² on slides that know their pixel size, else px², as for {@code segment}
 * @param server   the annotation server for {@code slice:ID:NAME} slides, {@code series} and {@code postBack}
 * @param series   series of the server whose slices join the cohort (listed on the driver)
 * @param postBack send each slide's polygons back to the server as its layer {@code generated},
 *                 published together when the job ends (none when the job fails)
 * @param resolution 1: every pixel; 2, 4 or 8: a tissue map from each slide's level 1/N by the
 *                 model's overview, as {@code histodraw segment --resolution N}
 * @param omitted  classes whose regions are not written to the GeoJSON, as {@code segment --omit}
 */
public record CohortOptions(Path model, List<String> slides, Path out, int tile, Optional<String> master,
                            PolygonCleaning cleaning, Optional<ServerAccess> server, List<Long> series, boolean postBack,
                            int resolution, Set<String> omitted) {
    public static final int DEFAULT_TILE = 512;
    /** As for {@code histodraw segment}: a tile's features take (tile + 2 halo)² x features x 4 bytes. */
    public static final int MAX_TILE = 16_384;
    /** Every core of the machine the driver runs on. */
    public static final String DEFAULT_MASTER = "local[*]";

    public CohortOptions {
        series = List.copyOf(series);
        if (slides.isEmpty() && series.isEmpty()) {
            throw new IllegalArgumentException("no slides: give --slides LIST.txt, --slide PATH or --server URL --series ID");
        }
        if (server.isEmpty() && (!series.isEmpty() || postBack || slides.stream().anyMatch(SlideSource::isSlice))) {
            throw new IllegalArgumentException("--series, --post-back and slice:ID slides need --server URL (and a token)");
        }
        if (tile < 16 || tile > MAX_TILE) {
            throw new IllegalArgumentException("--tile must be 16.." + MAX_TILE + " pixels, not " + tile);
        }
        Objects.requireNonNull(cleaning, "cleaning");
        if (resolution != 1 && !Overview.RESOLUTIONS.contains(resolution)) {
            throw new IllegalArgumentException("--resolution must be 1 (every pixel) or 2, 4 or 8 (a tissue map), not " + resolution);
        }
        slides = List.copyOf(slides);
        omitted = Set.copyOf(omitted);
    }

    /** Files on a local master, cleaned as {@code histodraw segment} cleans by default ({@link PolygonCleaning#defaults()}). */
    public static CohortOptions of(Path model, List<String> slides, Path out, int tile) {
        return new CohortOptions(model, slides, out, tile, Optional.empty(), PolygonCleaning.defaults(), Optional.empty(),
                List.of(), false, 1, Set.of());
    }

    /** The same job with its regions cleaned otherwise. */
    public CohortOptions withCleaning(PolygonCleaning other) {
        return new CohortOptions(model, slides, out, tile, master, other, server, series, postBack, resolution, omitted);
    }

    /** The same job as tissue maps at 1/{@code n} (1: every pixel). */
    public CohortOptions withResolution(int n) {
        return new CohortOptions(model, slides, out, tile, master, cleaning, server, series, postBack, n, omitted);
    }

    /** The same job with no regions of these classes in the GeoJSON. */
    public CohortOptions omitting(Set<String> classes) {
        return new CohortOptions(model, slides, out, tile, master, cleaning, server, series, postBack, resolution, classes);
    }

    /**
     * Refuses a model that cannot make these tissue maps, naming what to train.
     *
     * @throws IllegalArgumentException when a resolution is asked and the model has no overview there
     */
    public void requireFits(SegmentationModel model) {
        model.classes().firstUnknown(omitted).ifPresent(name -> {
            throw new IllegalArgumentException("--omit: model " + model.name() + " has no class " + name + " (its classes: "
                    + String.join(", ", model.classes().names()) + ")");
        });
        if (resolution == 1) {
            return;
        }
        if (model.overview() == null) {
            throw new IllegalArgumentException("--resolution " + resolution + ": model " + model.name()
                    + " has no overview; train it with histodraw segment --overview " + resolution);
        }
        if (model.overview().resolution() != resolution) {
            throw new IllegalArgumentException("--resolution " + resolution + ": model " + model.name()
                    + " has an overview at 1/" + model.overview().resolution() + "; use --resolution "
                    + model.overview().resolution());
        }
    }

    /** Parses a command line (the options of {@link CohortArguments}); a problem is a {@link ParameterException}. */
    public static CohortOptions parse(String... args) {
        Command command = new Command();
        new CommandLine(command).parseArgs(args);
        return command.arguments.options();
    }

    /** The command the options belong to when parsed alone. */
    @CommandLine.Command(name = "cohort")
    static final class Command {
        @Mixin
        CohortArguments arguments;
    }
}
