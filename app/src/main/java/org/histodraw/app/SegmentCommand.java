package org.histodraw.app;

import org.histodraw.engine.vector.PolygonSimplifier;
import org.histodraw.engine.vector.PolygonCleaning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.segment.SegmentRequest;
import org.histodraw.app.segment.SegmentationRunner;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.pipeline.Overview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code histodraw segment}: train on labelled images (or apply a saved model) and segment images. */
@Command(name = "segment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Train a random forest on labelled images, or apply a saved model, and segment the images.",
                "",
                "Labels pair with images by position: the first --labels trains on the first --image, and so on. "
                        + "Images after the last --labels are only predicted, so the labels of one image can train "
                        + "a model that segments a whole series.",
                ""},
        footer = {
                "",
                "Examples:",
                "  histodraw segment --image 01.png --image 02.png --labels 01_scribbles.png \\",
                "      --classes Background,Nucleus --out results",
                "  histodraw segment --image slide.tif --labels regions.geojson \\",
                "      --save-model m.hdm --out results",
                "  histodraw segment --image b.tif --model m.hdm --out results --probabilities"})
public final class SegmentCommand extends HistoDrawCommand {
    private static final Set<String> LABEL_IMAGE_ENDINGS = Set.of(".png", ".tif", ".tiff");

    private final SegmentationRunner runner;

    @Option(names = "--image", required = true, paramLabel = "FILE",
            description = "An image to segment: PNG, JPEG or TIFF (tiled and pyramidal TIFF too). Repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Training labels for the image at the same position: GeoJSON regions (.geojson, .json) "
                    + "or a label image (.png, .tif; 0 = unlabelled, 1..K = classes). Repeatable.")
    List<Path> labels = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the results (class maps, polygons, probabilities). Needed unless only --save-model.")
    Path out;

    @Option(names = "--save-model", paramLabel = "FILE", description = "Save the trained model here (e.g. m.hdm).")
    Path saveModel;

    @Option(names = "--model", paramLabel = "FILE", description = "Apply this saved model instead of training (no --labels then).")
    Path model;

    @Option(names = "--features", paramLabel = "TEXT", description = "Feature settings (default: the engine's standard set).")
    String features;

    @Option(names = "--trees", paramLabel = "N", defaultValue = "" + ForestSettings.DEFAULT_TREES, description = "Trees in the forest (default: ${DEFAULT-VALUE}).")
    int trees;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "16", description = "Maximum tree depth (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed; the same seed gives the same model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tile", paramLabel = "PX", defaultValue = "512", description = "Tile size for prediction, in pixels (default: ${DEFAULT-VALUE}).")
    int tile;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--probabilities", description = "Also write a probability map per class.")
    boolean probabilities;

    @Option(names = "--simplify", paramLabel = "PX", defaultValue = "1.0",
            description = "Polygon simplification tolerance in pixels, 0 for none (default: ${DEFAULT-VALUE}).")
    double simplify;

    @Option(names = "--smooth", paramLabel = "N", defaultValue = "0",
            description = "Passes of corner cutting that round the outlines after simplifying, 0-6 (default: ${DEFAULT-VALUE}).")
    int smooth;

    @Option(names = "--min-area", paramLabel = "AREA",
            description = "Drop regions smaller than this: µm² when the image records its pixel size, else px² "
                    + "(default: 10 µm², or 40 px² without a pixel size; 0 keeps all).")
    Double minArea;

    @Option(names = "--min-hole", paramLabel = "AREA",
            description = "Fill holes smaller than this, in the same units (default: as --min-area's default; 0 keeps all).")
    Double minHole;

    @Option(names = "--overview", paramLabel = "N",
            description = "Also train an overview at 1/N (2, 4 or 8): a coarse forest for --resolution and --refine, kept in the model.")
    Integer overview;

    @Option(names = "--resolution", paramLabel = "N", defaultValue = "1",
            description = "Predict at 1/N (2, 4 or 8) with the model's overview: a tissue map of the slide (class map at 1/N, "
                    + "polygons in the slide's pixels). Default: ${DEFAULT-VALUE}, full resolution.")
    int resolution;

    @Option(names = "--refine",
            description = "Predict full resolution coarse-to-fine: the overview first, then exactly only near class borders and "
                    + "where the overview is unsure (see the README for where pixels may differ from exact prediction).")
    boolean refine;

    @Option(names = "--omit", split = ",", paramLabel = "CLASS",
            description = "Write no regions of these classes into the GeoJSON, e.g. Background (they stay in the class map "
                    + "and the areas): QuPath makes objects of the classes one picks.")
    List<String> omit = new ArrayList<>();

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Class names for label values 1..K of label images, e.g. Background,Nucleus "
                    + "(label images hold numbers only; unnamed values become \"Class k\").")
    List<String> classes = new ArrayList<>();

    public SegmentCommand(SegmentationRunner runner, Terminal terminal) {
        super(terminal);
        this.runner = runner;
    }

    @Override
    public Integer call() {
        run(request());
        return 0;
    }

    /** Hands the validated job to the runner. */
    void run(SegmentRequest request) {
        runner.run(request, terminal);
    }

    /** Checks every option and builds the request; usage errors exit with 2, missing files with 1. */
    SegmentRequest request() {
        Checks checks = checks();
        checkCombinations(checks);
        checks.range("--trees", trees, 1, 10_000);
        checks.range("--depth", depth, 1, 100);
        checks.range("--tile", tile, 64, 16_384);
        int threadCount = threads.count(checks);
        checks.atLeastZero("--simplify", simplify);
        if (minArea != null) {
            checks.atLeastZero("--min-area", minArea);
        }
        if (minHole != null) {
            checks.atLeastZero("--min-hole", minHole);
        }
        checks.range("--smooth", smooth, 0, PolygonSimplifier.MAX_SMOOTHING);
        checkClassNames(checks);
        checkNames(checks);
        if (features != null && features.isBlank()) {
            throw checks.usage("--features must not be empty");
        }

        for (Path image : images) {
            Checks.readableFile("--image", image);
        }
        for (Path l : labels) {
            Checks.readableFile("--labels", l);
        }
        if (model != null) {
            Checks.readableFile("--model", model);
        }
        if (saveModel != null) {
            Checks.writableFile("--save-model", saveModel);
        }
        if (out != null) {
            Checks.usableFolder("--out", out);
        }
        checkResolution(checks);
        return new SegmentRequest(images, labels, Optional.ofNullable(out), Optional.ofNullable(saveModel),
                Optional.ofNullable(model), Optional.ofNullable(features), trees, depth, seed, tile, threadCount,
                probabilities, new PolygonCleaning(minArea, minHole, simplify, smooth), classes.stream().map(String::strip).toList(),
                overview == null ? 0 : overview, resolution, refine,
                omit.stream().map(String::strip).collect(java.util.stream.Collectors.toSet()));
    }

    private void checkCombinations(Checks checks) {
        if (labels.size() > images.size()) {
            throw checks.usage(labels.size() + " --labels for " + images.size()
                    + " --image: labels pair with images by position, at most one per image");
        }
        for (Path l : labels) {
            String name = l.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean labelImage = LABEL_IMAGE_ENDINGS.stream().anyMatch(name::endsWith);
            if (!SegmentRequest.isGeoJson(l) && !labelImage) {
                throw checks.usage("--labels " + l + ": expected GeoJSON regions (.geojson, .json) or a label image (.png, .tif, .tiff)");
            }
        }
        if (model != null) {
            if (!labels.isEmpty()) {
                throw checks.usage("--model applies a saved model and cannot be combined with --labels (leave out --model to train anew)");
            }
            for (String option : List.of("--save-model", "--features", "--trees", "--depth", "--seed", "--classes",
                    "--overview")) {
                if (checks.given(option)) {
                    throw checks.usage(option + " has no effect with --model: the saved model fixes it");
                }
            }
        } else if (labels.isEmpty()) {
            throw checks.usage("nothing to train on: give --labels for the first image(s), or --model to apply a saved model");
        }
        if (out == null) {
            if (saveModel == null) {
                throw checks.usage("where should the results go? give --out DIR (or only --save-model to train without predicting)");
            }
            if (probabilities) {
                throw checks.usage("--probabilities needs --out DIR");
            }
            if (images.size() > labels.size()) {
                throw checks.usage("--image " + images.get(labels.size()) + " has no labels and would only be predicted, which needs --out DIR");
            }
        }
    }

    private void checkResolution(Checks checks) {
        List<Integer> allowed = Overview.RESOLUTIONS;
        if (overview != null && !allowed.contains(overview)) {
            throw checks.usage("--overview " + overview + ": an overview is at 1/2, 1/4 or 1/8 (--overview 2, 4 or 8)");
        }
        if (resolution != 1 && !allowed.contains(resolution)) {
            throw checks.usage("--resolution " + resolution + ": 1 (full resolution), 2, 4 or 8");
        }
        if (resolution != 1 && refine) {
            throw checks.usage("--refine predicts full resolution; it cannot be combined with --resolution " + resolution);
        }
        if (overview != null && resolution != 1 && overview != resolution) {
            throw checks.usage("--resolution " + resolution + " needs an overview at 1/" + resolution + ", not --overview " + overview);
        }
        if ((resolution != 1 || refine) && probabilities) {
            throw checks.usage("--probabilities are written at full resolution only, without --resolution or --refine");
        }
    }

    private void checkClassNames(Checks checks) {
        Set<String> seen = new HashSet<>();
        for (String name : classes) {
            String n = name.strip();
            if (n.isEmpty()) {
                throw checks.usage("--classes: empty class name in '" + String.join(",", classes) + "'");
            }
            if (!seen.add(n)) {
                throw checks.usage("--classes: '" + n + "' is named twice");
            }
        }
        if (classes.size() > 255) {
            throw checks.usage("--classes: at most 255 classes, not " + classes.size());
        }
    }

    /** Results are named after their image, so two images with one name would overwrite each other. */
    private void checkNames(Checks checks) {
        Map<String, Path> byName = new HashMap<>();
        for (Path image : images) {
            String name = baseName(image);
            Path other = byName.putIfAbsent(name, image);
            if (other != null) {
                throw checks.usage("--image " + other + " and " + image + " share the name '" + name
                        + "', so their results would overwrite each other; rename one");
            }
        }
    }

    /** The file name without its extension: results of {@code a/01.png} are {@code 01_...}. */
    public static String baseName(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
