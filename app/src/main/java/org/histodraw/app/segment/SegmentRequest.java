package org.histodraw.app.segment;

import org.histodraw.engine.vector.PolygonCleaning;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code histodraw segment} job. Labels pair with images by position: {@code labels[i]}
 * trains on {@code images[i]}; images after the last labels file are only predicted (train on a few
 * images of a series, apply to all). With {@code model} present nothing is trained and
 * {@code labels} is empty.
 *
 * @param images        the images, in command-line order (at least one)
 * @param labels        GeoJSON regions or label images for the first {@code labels.size()} images
 * @param out           folder for class maps, polygons and probabilities; empty when only training
 * @param saveModel     where to save the trained model
 * @param model         a saved model to apply instead of training
 * @param features      feature settings text (engine syntax), empty for the engine's default
 * @param trees         trees in the forest
 * @param depth         maximum tree depth
 * @param seed          random seed (the same seed and inputs give the same model)
 * @param tile          tile size in pixels for tiled prediction
 * @param threads       worker threads
 * @param probabilities also write probability maps
 * @param cleaning      which traced regions are kept, and how outlines are simplified and smoothed
 * @param classNames    names of label values 1..K of label images (may be empty)
 * @param overview      also train an overview at 1/this (2, 4 or 8), 0 for none
 * @param resolution    predict at 1/this with the model's overview (a tissue map), 1 for full resolution
 * @param refine        predict full resolution coarse-to-fine: exactly only where the overview is unsure
 * @param omitted       classes whose regions are not written to the GeoJSON (still in the class map and areas)
 */
public record SegmentRequest(List<Path> images, List<Path> labels, Optional<Path> out, Optional<Path> saveModel,
                             Optional<Path> model, Optional<String> features, int trees, int depth, long seed,
                             int tile, int threads, boolean probabilities, PolygonCleaning cleaning,
                             List<String> classNames, int overview, int resolution, boolean refine,
                             Set<String> omitted) {

    public SegmentRequest {
        images = List.copyOf(images);
        labels = List.copyOf(labels);
        classNames = List.copyOf(classNames);
        omitted = Set.copyOf(omitted);
    }

    /** A job at full resolution without an overview. */
    public SegmentRequest(List<Path> images, List<Path> labels, Optional<Path> out, Optional<Path> saveModel,
                          Optional<Path> model, Optional<String> features, int trees, int depth, long seed, int tile,
                          int threads, boolean probabilities, PolygonCleaning cleaning, List<String> classNames) {
        this(images, labels, out, saveModel, model, features, trees, depth, seed, tile, threads, probabilities, cleaning,
                classNames, 0, 1, false, Set.of());
    }

    /** The overview resolution the job needs: the one asked for, else the prediction's. */
    public int overviewNeeded() {
        if (overview > 0) {
            return overview;
        }
        return resolution > 1 ? resolution : refine ? DEFAULT_REFINE_RESOLUTION : 0;
    }

    /** The overview trained for --refine when no --overview is given. */
    public static final int DEFAULT_REFINE_RESOLUTION = 8;

    /** The labels file of image {@code index}, if it has one. */
    public Optional<Path> labelsFor(int index) {
        return index < labels.size() ? Optional.of(labels.get(index)) : Optional.empty();
    }

    /** True when a model is trained (no {@code --model}). */
    public boolean trains() {
        return model.isEmpty();
    }

    /** True when images are predicted and results written (an {@code --out} folder was given). */
    public boolean predicts() {
        return out.isPresent();
    }

    /** Whether a labels file is GeoJSON regions (else a label image). */
    public static boolean isGeoJson(Path labels) {
        String name = labels.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".geojson") || name.endsWith(".json");
    }
}
