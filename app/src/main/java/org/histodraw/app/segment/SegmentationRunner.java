package org.histodraw.app.segment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.histodraw.app.console.ProgressBar;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.pipeline.FeatureChoice;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.Refinement;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideResults;
import org.histodraw.slides.pipeline.AnalysisSource;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ClassAreas;
import org.histodraw.slides.pipeline.CoarseToFine;
import org.histodraw.slides.pipeline.ModelTraining;
import org.histodraw.slides.pipeline.SlideLevels;
import org.histodraw.slides.pipeline.SlideSegmentation;
import org.histodraw.slides.pipeline.SlideStatistics;
import org.histodraw.engine.tiles.TileSource;

/**
 * Does the work of {@code histodraw segment}: train (or load) a model, predict every image tile by
 * tile, write class maps, polygons and probabilities. The command has validated the request
 * (files exist, options in range, labels pair with images); what only reading the files can tell
 * (an unreadable image, labels of another size than their image) is reported by throwing
 * {@link org.histodraw.app.UserError} or {@link org.histodraw.slides.io.SlideException}, whose
 * message the user sees as one line.
 */
public class SegmentationRunner {
    /** Channel statistics of the slides trained on, kept for their prediction (read once, not twice). */
    private final Map<Path, ChannelStatistics> measured = new HashMap<>();
    /**
     * The images trained on, kept open for their prediction: a PNG or JPEG is decoded whole when it
     * is opened (1.3 s for a 4096 x 4096 PNG from a cold start), so opening it again would decode it
     * twice.
     */
    private final Map<Path, SlideImage> trainedOn = new HashMap<>();

    public void run(SegmentRequest request, Terminal terminal) {
        try {
            segment(request, terminal);
        } finally {
            trainedOn.values().forEach(SlideImage::close);
            trainedOn.clear();
        }
    }

    private void segment(SegmentRequest request, Terminal terminal) {
        SegmentationModel model = request.model().isPresent()
                ? loadModel(request.model().get())
                : train(request, terminal);
        if (request.saveModel().isPresent()) {
            saveModel(model, request.saveModel().get());
            terminal.out().println("model " + model.id() + " saved to " + request.saveModel().get());
        }
        if (request.predicts()) {
            if ((request.resolution() > 1 || request.refine()) && model.overview() == null) {
                throw new UserError("model " + model.name() + " has no overview for --" + (request.refine() ? "refine"
                        : "resolution") + ": train it with --overview N");
            }
            model.classes().firstUnknown(request.omitted()).ifPresent(name -> {
                throw new UserError("--omit: model " + model.name() + " has no class " + name + " (its classes: "
                        + String.join(", ", model.classes().names()) + ")");
            });
            if (request.resolution() > 1 && model.overview().resolution() != request.resolution()) {
                throw new UserError("model " + model.name() + " has an overview at 1/" + model.overview().resolution()
                        + ", not 1/" + request.resolution() + ": use --resolution " + model.overview().resolution());
            }
            predictAll(request, model, terminal);
        }
        terminal.out().flush();
    }

    /** A saved model, or a {@link UserError} saying why the file is not one. */
    public static SegmentationModel loadModel(Path file) {
        try {
            return ModelCodec.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UserError("cannot read model " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(file.getFileName() + ": " + e.getMessage());
        }
    }

    static void saveModel(SegmentationModel model, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path part = parent.resolve(file.getFileName() + ".part");
            Files.write(part, ModelCodec.write(model));
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError("cannot save the model to " + file + ": " + e.getMessage());
        }
    }

    private SegmentationModel train(SegmentRequest request, Terminal terminal) {
        FeatureSettings features;
        try {
            features = request.features().map(FeatureSettings::parse).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new UserError("--features: " + e.getMessage());
        }
        ForestSettings forest = ForestSettings.builder().trees(request.trees()).maxDepth(request.depth())
                .seed(request.seed()).build();
        List<SlideImage> opened = new ArrayList<>();
        boolean done = false;
        try {
            TrainingInputs inputs = new TrainingInputs(request.classNames());
            for (int i = 0; i < request.labels().size(); i++) {
                SlideImage image = SlideImages.open(request.images().get(i));
                opened.add(image);
                inputs.add(baseName(request.images().get(i)), analysed(image, features), request.labels().get(i));
            }
            for (String warning : inputs.warnings()) {
                terminal.err().println("histodraw: warning: " + warning);
            }
            ClassList classes = inputs.classList();
            List<TrainingImage> images = inputs.images(classes);
            ModelTraining training = new ModelTraining(request.threads(), request.tile());
            long t0 = System.nanoTime();
            ModelTraining.Prepared prepared = training.prepare(features, images, (image, chosen) -> null);
            for (int i = 0; i < images.size(); i++) {
                measured.put(request.images().get(i), prepared.statistics().get(i));
            }
            TrainingSet samples = prepared.samples();
            try {
                ModelTraining.requireEveryClass(samples, classes, "images");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            long t1 = System.nanoTime();
            RandomForest trained = training.grow(samples, forest);
            long t2 = System.nanoTime();
            SegmentationModel model = SegmentationModel.of(request.saveModel().map(SegmentationRunner::baseName)
                    .orElse("model"), System.currentTimeMillis(), prepared.choice().chosen(), classes, trained,
                    images.stream().map(TrainingImage::snapshot).toList())
                    .withFeatureChoice(prepared.choice().automatic() ? prepared.choice().reason() : "");
            report(terminal.out(), model, prepared.choice(), samples, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            if (request.overviewNeeded() > 0) {
                long t3 = System.nanoTime();
                model = training.withOverview(model, request.overviewNeeded(), forest, images, prepared.statistics());
                terminal.out().printf(Locale.ROOT, "overview at 1/%d trained (%.2f s)%n", request.overviewNeeded(),
                        (System.nanoTime() - t3) / 1e9);
            }
            done = true;
            return model;
        } finally {
            for (int i = 0; i < opened.size(); i++) {
                if (done && request.predicts() && trainedOn.putIfAbsent(request.images().get(i), opened.get(i)) == null) {
                    continue;
                }
                opened.get(i).close();
            }
        }
    }


    private static void report(PrintWriter out, SegmentationModel model, FeatureChoice.Result choice,
                               TrainingSet samples, double sampleSeconds, double growSeconds) {
        RandomForest forest = model.forest();
        out.println(choice.describe());
        out.printf(Locale.ROOT, "trained %d trees on %,d labelled pixels x %d features (features %.2f s, forest %.2f s)%n",
                forest.treeCount(), samples.sampleCount(), samples.featureCount(), sampleSeconds, growSeconds);
        double[] perClass = forest.outOfBagAccuracyPerClass();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "out-of-bag accuracy %.3f", forest.outOfBagAccuracy()));
        for (int c = 1; c <= model.classes().size(); c++) {
            line.append(String.format(Locale.ROOT, "; %s %.3f", model.classes().get(c).name(), perClass[c - 1]));
        }
        out.println(line);
        out.println("most useful features: " + topFeatures(model, 5));
    }

    /** The features the forest leaned on most (mean decrease in impurity), as "name (share%)". */
    static String topFeatures(SegmentationModel model, int count) {
        double[] importance = model.forest().featureImportances();
        List<String> names = new FeatureBank(model.features()).featureNames();
        Integer[] order = new Integer[importance.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(importance[b], importance[a]));
        List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(count, order.length); i++) {
            top.add(String.format(Locale.ROOT, "%s (%.0f%%)", names.get(order[i]), 100 * importance[order[i]]));
        }
        return String.join(", ", top);
    }

    private void predictAll(SegmentRequest request, SegmentationModel model, Terminal terminal) {
        Path outDir = request.out().orElseThrow();
        ClassAreas areas = new ClassAreas(model.classes());
        try (SlideSegmentation segmentation = new SlideSegmentation(model, request.tile(), request.threads())) {
            for (Path file : request.images()) {
                SlideImage kept = trainedOn.remove(file);
                try (SlideImage image = kept != null ? kept : SlideImages.open(file)) {
                    long[] pixels = predictOne(request, model, terminal, outDir, segmentation, file, image,
                            analysed(image, model.features()), measured.get(file));
                    areas.add(file.getFileName().toString(), image.width(), image.height(), image.micronsPerPixel(), pixels);
                }
            }
        }
        try {
            areas.write(outDir.resolve("class-areas.csv"));
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Segments one image into its result files; returns the pixels of each class (of the slide's own pixels). */
    private static long[] predictOne(SegmentRequest request, SegmentationModel model, Terminal terminal, Path outDir,
                                   SlideSegmentation segmentation, Path file, SlideImage image, TileSource pixels,
                                   ChannelStatistics statistics) {
        String name = baseName(file);
        Optional<Double> mpp = image.micronsPerPixel();
        int r = request.resolution();
        long t0 = System.nanoTime();
        if (r > 1 || request.refine()) {
            // The slide's statistics of its full resolution: the overview was trained with them.
            ChannelStatistics slide = statistics != null ? statistics
                    : SlideStatistics.measure(model.features(), image, request.threads());
            int resolution = model.overview().resolution();
            TileSource level = SlideLevels.level(image, resolution);
            if (r > 1) {
                try (SlideResults outputs = new SlideResults(outDir, name, level.width(), level.height(), r, model,
                        file.getFileName().toString(), mpp, false, request.cleaning(), request.omitted());
                     SlideSegmentation overview = new SlideSegmentation(model.overviewModel(), request.tile(),
                             request.threads())) {
                    ProgressBar bar = terminal.progress(name + " at 1/" + r, tiles(level, request), "tiles");
                    overview.predict(level, slide, false, outputs, (done, total) -> bar.advance(1), new Cancellation());
                    bar.finish();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long[] classPixels = outputs.pixelsPerClass(); // the slide's pixels
                    terminal.out().println(summary(name + " at 1/" + r, image, model, classPixels, outputs.polygons(), seconds, mpp));
                    return classPixels;
                }
            }
            Refinement plan = CoarseToFine.plan(model, level, image.width(), image.height(), slide, request.tile(),
                    request.threads(), CoarseToFine.MAX_UNCERTAINTY);
            double planSeconds = (System.nanoTime() - t0) / 1e9;
            try (SlideResults outputs = new SlideResults(outDir, name, image.width(), image.height(), 1, model,
                    file.getFileName().toString(), mpp, false, request.cleaning(), request.omitted())) {
                ProgressBar bar = terminal.progress(name, tiles(image, request), "tiles");
                AtomicLong exact = new AtomicLong();
                segmentation.predict(pixels, slide, plan, outputs, (done, total) -> bar.advance(1), new Cancellation(), exact);
                bar.finish();
                double seconds = (System.nanoTime() - t0) / 1e9;
                terminal.out().println(summary(name, image, model, outputs.pixelsPerClass(), outputs.polygons(), seconds, mpp));
                terminal.out().printf(Locale.ROOT, "  coarse-to-fine: overview at 1/%d in %.2f s; %.1f%% of the pixels "
                                + "predicted exactly, %.1f%% from the overview's settled blocks%n", resolution, planSeconds,
                        100.0 * exact.get() / ((double) image.width() * image.height()), 100 * plan.settledShare());
                return outputs.pixelsPerClass();
            }
        }
        ProgressBar bar = terminal.progress(name, tiles(image, request), "tiles");
        try (SlideResults outputs = new SlideResults(outDir, name, image.width(), image.height(), 1, model,
                file.getFileName().toString(), mpp, request.probabilities(), request.cleaning(), request.omitted())) {
            segmentation.predict(pixels, statistics, request.probabilities(), outputs, (done, total) -> bar.advance(1),
                    new Cancellation());
            bar.finish();
            double seconds = (System.nanoTime() - t0) / 1e9;
            terminal.out().println(summary(name, image, model, outputs.pixelsPerClass(), outputs.polygons(), seconds, mpp));
            return outputs.pixelsPerClass();
        }
    }

    private static long tiles(TileSource image, SegmentRequest request) {
        return (long) ceilDiv(image.width(), request.tile()) * ceilDiv(image.height(), request.tile());
    }

    /** What the features read of the image: its RGB, or the channels they pick; refused with the reason when they do not fit. */
    private static TileSource analysed(SlideImage image, FeatureSettings features) {
        try {
            return AnalysisSource.of(image, features);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static String summary(String name, SlideImage image, SegmentationModel model, long[] pixels, long polygons,
                                  double seconds, Optional<Double> mpp) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %d x %d px in %.2f s (%.1f Mpx/s), %d polygons",
                name, image.width(), image.height(), seconds, (double) image.width() * image.height() / 1e6 / seconds,
                polygons));
        for (int c = 1; c < pixels.length; c++) {
            String area = mpp.isPresent()
                    ? String.format(Locale.ROOT, "%.0f µm²", pixels[c] * mpp.get() * mpp.get())
                    : String.format(Locale.ROOT, "%d px²", pixels[c]);
            s.append("; ").append(model.classes().get(c).name()).append(' ').append(area);
        }
        return s.toString();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
